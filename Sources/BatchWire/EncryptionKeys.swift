import CCrypto
import LedgerCore

/// The payload encryption schemes of format version 2 (`Protocol/PROTOCOL.md` §13), by header byte 12.
///
/// The scheme is chosen by the type of the recipient's encryption key: an X25519 key gets id 1, an SM2 key id 2.
public enum EncryptionAlgorithm: UInt8, Hashable, Sendable, CaseIterable {
    /// X25519 key agreement with an ephemeral sender key, HKDF-SHA256, AES-256-GCM.
    case x25519AES256GCM = 1
    /// SM2 public-key encryption of a fresh 32-byte content key, HKDF-SM3, SM4-CTR, HMAC-SM3 (encrypt-then-MAC).
    case sm2SM4CTR = 2

    public var name: String {
        switch self {
        case .x25519AES256GCM: "x25519-hkdf-sha256-aes-256-gcm"
        case .sm2SM4CTR: "sm2-sm4-ctr-hmac-sm3"
        }
    }

    /// The encryption scheme an office gets at `init` next to its signing algorithm: the national algorithms
    /// (SM2 signing) go with SM2 encryption, Ed25519 with X25519. The two keys are always separate key pairs.
    public init(companionOf signature: SignatureAlgorithm) {
        self = signature == .sm2sm3 ? .sm2SM4CTR : .x25519AES256GCM
    }

    /// Bytes of the nonce (id 1, the AES-GCM nonce) or initial counter block (id 2, the SM4-CTR IV) in the header.
    public var nonceBytes: Int { self == .x25519AES256GCM ? 12 : 16 }
    /// Bytes of the authentication tag in the header: the GCM tag (id 1) or the HMAC-SM3 output (id 2).
    public var tagBytes: Int { self == .x25519AES256GCM ? 16 : 32 }
}

/// A recipient's public encryption key: X25519 (RFC 7748) or SM2 (GB/T 32918.4), as a libcrypto `EVP_PKEY`.
///
/// Encryption keys are separate from signing keys: an office has one key pair for each purpose.
public final class EncryptionPublicKey: @unchecked Sendable {
    // `@unchecked Sendable`: never mutated after creation; see `PublicKey`.
    let pkey: OpaquePointer
    public let algorithm: EncryptionAlgorithm
    /// The SubjectPublicKeyInfo DER encoding.
    public let derBytes: [UInt8]

    init(owning pkey: OpaquePointer) throws(CryptoError) {
        self.pkey = pkey
        if EVP_PKEY_is_a(pkey, "X25519") == 1 {
            algorithm = .x25519AES256GCM
        } else if EVP_PKEY_is_a(pkey, "SM2") == 1 {
            algorithm = .sm2SM4CTR
        } else {
            EVP_PKEY_free(pkey)
            throw CryptoError("unsupported encryption key type", detail: "only X25519 and SM2 keys encrypt batches")
        }
        var pointer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(pkey, &pointer)
        guard length > 0, let pointer else { EVP_PKEY_free(pkey); throw CryptoError("encode public key") }
        derBytes = Array(UnsafeBufferPointer(start: pointer, count: Int(length)))
        CRYPTO_free(pointer, #fileID, #line)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), as `openssl pkey -pubout` writes it.
    public convenience init(pem: String) throws(CryptoError) {
        let pkey = try PEMIO.read(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        try self.init(owning: pkey)
    }

    /// An X25519 public key from its 32 raw bytes (RFC 7748), as carried in a version 2 header.
    static func x25519(raw: [UInt8]) throws(CryptoError) -> EncryptionPublicKey {
        guard raw.count == X25519.keyBytes,
              let pkey = raw.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, $0.baseAddress, $0.count) })
        else { throw CryptoError("read X25519 public key") }
        return try EncryptionPublicKey(owning: pkey)
    }

    /// The key as PEM text.
    public var pem: String { PEMIO.write { bio in PEM_write_bio_PUBKEY(bio, pkey) } }

    /// The key id, computed as for signing keys (§3.5): hex of the first 8 bytes of SHA-256 over the DER.
    public var keyID: String { hexString(PayloadHashAlgorithm.sha256.digest(derBytes).prefix(8)) }

    /// The 32 raw bytes of an X25519 key (`nil` for SM2).
    var rawX25519: [UInt8]? {
        guard algorithm == .x25519AES256GCM else { return nil }
        var raw = [UInt8](repeating: 0, count: X25519.keyBytes)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == X25519.keyBytes else { return nil }
        return raw
    }
}

/// An office's private encryption key, stored as PKCS#8 PEM in `encryption.key` (mode 0600).
public final class EncryptionPrivateKey: @unchecked Sendable {
    // `@unchecked Sendable`: see `PublicKey`; decryption does not mutate the key object.
    let pkey: OpaquePointer
    public let publicKey: EncryptionPublicKey

    init(owning pkey: OpaquePointer) throws(CryptoError) {
        self.pkey = pkey
        guard EVP_PKEY_up_ref(pkey) == 1 else { throw CryptoError("reference key") }
        publicKey = try EncryptionPublicKey(owning: pkey)
    }

    deinit { EVP_PKEY_free(pkey) }

    public var algorithm: EncryptionAlgorithm { publicKey.algorithm }

    /// Creates a fresh key pair with the operating system's randomness (through libcrypto).
    public static func generate(_ algorithm: EncryptionAlgorithm) throws(CryptoError) -> EncryptionPrivateKey {
        let id = algorithm == .x25519AES256GCM ? EVP_PKEY_X25519 : EVP_PKEY_SM2
        guard let context = EVP_PKEY_CTX_new_id(id, nil) else { throw CryptoError("create key context") }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &pkey) == 1, let pkey else {
            throw CryptoError("generate \(algorithm.name) key")
        }
        return try EncryptionPrivateKey(owning: pkey)
    }

    /// An X25519 key from its 32 raw private bytes: for the fixed ephemeral keys of test vectors only.
    static func x25519(raw: [UInt8]) throws(CryptoError) -> EncryptionPrivateKey {
        guard raw.count == X25519.keyBytes,
              let pkey = raw.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, $0.baseAddress, $0.count) })
        else { throw CryptoError("read X25519 private key") }
        return try EncryptionPrivateKey(owning: pkey)
    }

    /// Reads a PEM `PRIVATE KEY` (PKCS#8).
    public convenience init(pem: String) throws(CryptoError) {
        let pkey = try PEMIO.read(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
        try self.init(owning: pkey)
    }

    /// The private key as unencrypted PKCS#8 PEM; the caller writes it to a file only it may read.
    public var privateKeyPEM: String {
        PEMIO.write { bio in PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
    }
}
