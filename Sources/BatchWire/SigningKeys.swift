import CCrypto
import LedgerCore

/// A public key that verifies batch signatures: Ed25519 (RFC 8032, "pure", no pre-hash) or SM2 with SM3
/// (GB/T 32918, distinguishing id `1234567812345678`), held as a libcrypto `EVP_PKEY`.
public final class PublicKey: @unchecked Sendable {
    // `@unchecked Sendable`: the EVP_PKEY is never mutated after creation, and OpenSSL 3 allows concurrent
    // read-only use of one key object from several threads.
    let pkey: OpaquePointer
    public let algorithm: SignatureAlgorithm
    /// The SubjectPublicKeyInfo DER encoding.
    public let derBytes: [UInt8]

    init(owning pkey: OpaquePointer) throws(CryptoError) {
        self.pkey = pkey
        guard let algorithm = KeyAlgorithmDetection.algorithm(of: pkey) else {
            EVP_PKEY_free(pkey)
            throw CryptoError("unsupported key type", detail: "only Ed25519 and SM2 keys are accepted")
        }
        self.algorithm = algorithm
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

    /// Reads a DER SubjectPublicKeyInfo (the `public_key` of a `staff_key` certificate).
    public convenience init(der: [UInt8]) throws(CryptoError) {
        let pkey: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let pkey else { throw CryptoError("read DER public key") }
        try self.init(owning: pkey)
        guard derBytes == der else { throw CryptoError("read DER public key", detail: "trailing or non-canonical bytes") }
    }

    /// The key as PEM text.
    public var pem: String { PEMIO.write { bio in PEM_write_bio_PUBKEY(bio, pkey) } }

    /// Hex of the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER: short enough for a header and a
    /// file listing, long enough that two enrolled keys never collide by accident.
    public var keyID: String { hexString(PayloadHashAlgorithm.sha256.digest(derBytes).prefix(8)) }

    /// True when `signature` is a valid signature of `message` by this key.
    public func verify(signature: ArraySlice<UInt8>, message: ArraySlice<UInt8>) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        let md = algorithm == .sm2sm3 ? EVP_sm3() : nil
        guard EVP_DigestVerifyInit(context, &keyContext, md, nil, pkey) == 1 else { _ = CryptoError.drainOpenSSLErrors(); return false }
        if algorithm == .sm2sm3, !SM2Identity.set(on: keyContext) { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        _ = CryptoError.drainOpenSSLErrors()
        return result == 1
    }
}

/// A private signing key. Generated at `init`, stored as PKCS#8 PEM in a file of mode 0600.
public final class SigningKey: @unchecked Sendable {
    // `@unchecked Sendable`: see `PublicKey`; signing does not mutate the key object.
    let pkey: OpaquePointer
    public let publicKey: PublicKey

    init(owning pkey: OpaquePointer) throws(CryptoError) {
        self.pkey = pkey
        guard EVP_PKEY_up_ref(pkey) == 1 else { throw CryptoError("reference key") }
        publicKey = try PublicKey(owning: pkey)
    }

    deinit { EVP_PKEY_free(pkey) }

    public var algorithm: SignatureAlgorithm { publicKey.algorithm }

    /// Creates a fresh key pair with the operating system's randomness (through libcrypto).
    public static func generate(_ algorithm: SignatureAlgorithm) throws(CryptoError) -> SigningKey {
        let id = algorithm == .ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_SM2
        guard let context = EVP_PKEY_CTX_new_id(id, nil) else { throw CryptoError("create key context") }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &pkey) == 1, let pkey else {
            throw CryptoError("generate \(algorithm.name) key")
        }
        return try SigningKey(owning: pkey)
    }

    /// An Ed25519 key from its 32-byte private seed (RFC 8032): deterministic, for simulations that must replay
    /// byte for byte from a seed, and for test vectors. Offices use `generate(_:)`.
    public static func ed25519(seed: [UInt8]) throws(CryptoError) -> SigningKey {
        precondition(seed.count == 32, "an Ed25519 seed is 32 bytes")
        guard let pkey = seed.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) }) else {
            throw CryptoError("create Ed25519 key from seed")
        }
        return try SigningKey(owning: pkey)
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

    /// Signs `message`. Ed25519 signatures are 64 bytes; SM2 signatures are DER, about 70–72 bytes.
    public func sign(_ message: ArraySlice<UInt8>) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError("create digest context") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        let md = algorithm == .sm2sm3 ? EVP_sm3() : nil
        guard EVP_DigestSignInit(context, &keyContext, md, nil, pkey) == 1 else { throw CryptoError("start signing") }
        if algorithm == .sm2sm3, !SM2Identity.set(on: keyContext) { throw CryptoError("set SM2 id") }
        var length = 0
        let sizeOK = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context, nil, &length, msg.baseAddress, msg.count)
        }
        guard sizeOK == 1 else { throw CryptoError("size signature") }
        var signature = [UInt8](repeating: 0, count: length)
        let ok = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count)
        }
        guard ok == 1 else { throw CryptoError("sign") }
        return Array(signature.prefix(length))
    }
}

/// SM2's distinguishing identifier, set explicitly so every implementation (and `openssl dgst -sigopt
/// distid:1234567812345678`) computes the same Z value.
enum SM2Identity {
    static let id = Array("1234567812345678".utf8)

    static func set(on context: OpaquePointer?) -> Bool {
        guard let context else { return false }
        return id.withUnsafeBytes { EVP_PKEY_CTX_set1_id(context, $0.baseAddress, Int32($0.count)) } > 0
    }
}

enum KeyAlgorithmDetection {
    static func algorithm(of pkey: OpaquePointer) -> SignatureAlgorithm? {
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(pkey, "SM2") == 1 { return .sm2sm3 }
        return nil
    }
}

/// PEM reading and writing through memory BIOs.
enum PEMIO {
    static func read(_ pem: String, _ body: (OpaquePointer?) -> OpaquePointer?) throws(CryptoError) -> OpaquePointer {
        let bytes = Array(pem.utf8)
        // BIO_new_mem_buf does not copy: the buffer must stay alive until the BIO is freed, so everything happens
        // inside the closure (a release build frees `bytes` early otherwise, and no key can be read).
        let result: OpaquePointer?? = bytes.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return .none }
            defer { BIO_free(bio) }
            return .some(body(bio))
        }
        guard let created = result else { throw CryptoError("create memory BIO") }
        guard let pkey = created else { throw CryptoError("read PEM key") }
        return pkey
    }

    static func write(_ body: (OpaquePointer?) -> Int32) -> String {
        let bio = BIO_new(BIO_s_mem())
        defer { BIO_free(bio) }
        precondition(body(bio) == 1, "PEM write failed: \(CryptoError.drainOpenSSLErrors())")
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
    }
}
