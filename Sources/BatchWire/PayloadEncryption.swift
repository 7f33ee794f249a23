import CCrypto
import LedgerCore

/// The encryption fields of a version 2 header (`Protocol/PROTOCOL.md` §13.2). They are part of the signed header,
/// so a relay can neither read the payload nor swap any of them.
public struct PayloadEncryption: Hashable, Sendable {
    public var algorithm: EncryptionAlgorithm
    /// Key id (§3.5) of the recipient's encryption public key: lets a receiver say "encrypted for another key"
    /// instead of a bare authentication failure.
    public var recipientKeyID: String
    /// Id 1: the sender's ephemeral X25519 public key (32 bytes). Id 2: the SM2 ciphertext of the content key.
    public var encapsulatedKey: [UInt8]
    /// Id 1: the AES-GCM nonce (12 bytes). Id 2: the SM4-CTR initial counter block (16 bytes).
    public var nonce: [UInt8]
    /// Id 1: the GCM tag (16 bytes). Id 2: HMAC-SM3 over nonce ‖ ciphertext (32 bytes).
    public var tag: [UInt8]

    public init(algorithm: EncryptionAlgorithm, recipientKeyID: String, encapsulatedKey: [UInt8], nonce: [UInt8], tag: [UInt8]) {
        self.algorithm = algorithm
        self.recipientKeyID = recipientKeyID
        self.encapsulatedKey = encapsulatedKey
        self.nonce = nonce
        self.tag = tag
    }
}

/// Randomness fixed in advance, so that test vectors can be generated and re-sealed byte for byte. Offices never
/// pass one: every field left `nil` is drawn from libcrypto's CSPRNG.
struct EncryptionRandomness {
    /// Id 1: the raw 32-byte ephemeral X25519 private key.
    var ephemeralPrivateKey: [UInt8]?
    /// Id 2: the 32-byte content key.
    var contentKey: [UInt8]?
    /// Id 2: an SM2 ciphertext of `contentKey` made earlier (SM2 encryption is randomised inside libcrypto).
    var encapsulatedKey: [UInt8]?
    /// The nonce (id 1) or IV (id 2).
    var nonce: [UInt8]?
}

/// Encrypts and decrypts the compressed payload of a version 2 batch (`Protocol/PROTOCOL.md` §13.3–13.5).
enum PayloadCipher {
    static let contentKeyBytes = 32

    /// The HKDF `info`: `fundsync/batch-v2/<scheme name>/<sender>/<recipient>` in ASCII. It binds the payload key
    /// to the link, so that a ciphertext lifted into a batch of another sender (signed with that sender's own key)
    /// no longer decrypts. Org codes cannot contain `/`, so the string is unambiguous.
    static func info(_ algorithm: EncryptionAlgorithm, sender: OrgCode, recipient: OrgCode) -> [UInt8] {
        Array("fundsync/batch-v2/\(algorithm.name)/\(sender.rawValue)/\(recipient.rawValue)".utf8)
    }

    /// Id 1 payload key: HKDF-SHA256(salt = ephemeral public ‖ recipient public, IKM = X25519 shared secret).
    static func x25519PayloadKey(sharedSecret: [UInt8], ephemeralPublic: [UInt8], recipientPublic: [UInt8], info: [UInt8]) -> [UInt8] {
        HKDF.derive(.sha256, inputKey: sharedSecret, salt: ephemeralPublic + recipientPublic, info: info, length: AES256GCM.keyBytes)
    }

    /// Id 2 keys: HKDF-SM3(empty salt, IKM = content key) → 48 bytes: the SM4 key, then the HMAC-SM3 key.
    static func sm2PayloadKeys(contentKey: [UInt8], info: [UInt8]) -> (encryption: [UInt8], mac: [UInt8]) {
        let material = HKDF.derive(.sm3, inputKey: contentKey, salt: [], info: info, length: SM4CTR.keyBytes + 32)
        return (Array(material.prefix(SM4CTR.keyBytes)), Array(material.dropFirst(SM4CTR.keyBytes)))
    }

    /// Encrypts `compressed` for `recipientKey`. Returns the ciphertext (as long as the input) and the header fields.
    static func encrypt(_ compressed: [UInt8], for recipientKey: EncryptionPublicKey, sender: OrgCode, recipient: OrgCode,
                        randomness: EncryptionRandomness? = nil) throws(CryptoError) -> (ciphertext: [UInt8], fields: PayloadEncryption) {
        let algorithm = recipientKey.algorithm
        let info = info(algorithm, sender: sender, recipient: recipient)
        let nonce = try fixedOrRandom(randomness?.nonce, count: algorithm.nonceBytes)
        precondition(nonce.count == algorithm.nonceBytes, "nonce of \(nonce.count) bytes for \(algorithm.name)")
        switch algorithm {
        case .x25519AES256GCM:
            let ephemeral = try EncryptionPrivateKey.x25519(raw: fixedOrRandom(randomness?.ephemeralPrivateKey, count: X25519.keyBytes))
            guard let ephemeralPublic = ephemeral.publicKey.rawX25519, let recipientPublic = recipientKey.rawX25519 else {
                throw CryptoError("read X25519 public keys")
            }
            let key = x25519PayloadKey(sharedSecret: try X25519.sharedSecret(ephemeral, recipientKey),
                                       ephemeralPublic: ephemeralPublic, recipientPublic: recipientPublic, info: info)
            let (ciphertext, tag) = try AES256GCM.seal(key: key, nonce: nonce, plaintext: compressed)
            return (ciphertext, PayloadEncryption(algorithm: algorithm, recipientKeyID: recipientKey.keyID,
                                                  encapsulatedKey: ephemeralPublic, nonce: nonce, tag: tag))
        case .sm2SM4CTR:
            let contentKey = try fixedOrRandom(randomness?.contentKey, count: contentKeyBytes)
            precondition(contentKey.count == contentKeyBytes, "an SM2-scheme content key is 32 bytes")
            var wrapped = randomness?.encapsulatedKey ?? []
            if wrapped.isEmpty { wrapped = try SM2Encryption.encrypt(contentKey, to: recipientKey) }
            let keys = sm2PayloadKeys(contentKey: contentKey, info: info)
            let ciphertext = try SM4CTR.apply(key: keys.encryption, iv: nonce, compressed[...])
            let tag = HMACDigest.authenticate(.sm3, key: keys.mac, message: (nonce + ciphertext)[...])
            return (ciphertext, PayloadEncryption(algorithm: algorithm, recipientKeyID: recipientKey.keyID,
                                                  encapsulatedKey: wrapped, nonce: nonce, tag: tag))
        }
    }

    /// Decrypts the ciphertext of a verified batch (signature and payload hash already checked, §7 steps 16–17).
    /// - Throws: `encryptedForAnotherKey` when `key` is absent or is not the key the header names;
    ///   `decryptionFailed` when the key does not fit the scheme, the key agreement or unwrapping fails, or the tag
    ///   does not authenticate the ciphertext.
    static func decrypt(_ ciphertext: ArraySlice<UInt8>, fields: PayloadEncryption, key: EncryptionPrivateKey?,
                        sender: OrgCode, recipient: OrgCode) throws(BatchDecodingError) -> [UInt8] {
        guard let key, key.publicKey.keyID == fields.recipientKeyID else {
            throw BatchDecodingError(.encryptedForAnotherKey(keyID: fields.recipientKeyID, ownKeyID: key?.publicKey.keyID))
        }
        guard key.algorithm == fields.algorithm else {
            throw BatchDecodingError(.decryptionFailed("the batch uses \(fields.algorithm.name) but the key is for \(key.algorithm.name)"))
        }
        let info = info(fields.algorithm, sender: sender, recipient: recipient)
        do {
            switch fields.algorithm {
            case .x25519AES256GCM:
                let ephemeral = try EncryptionPublicKey.x25519(raw: fields.encapsulatedKey)
                guard let recipientPublic = key.publicKey.rawX25519 else { throw CryptoError("read X25519 public key") }
                let payloadKey = x25519PayloadKey(sharedSecret: try X25519.sharedSecret(key, ephemeral),
                                                  ephemeralPublic: fields.encapsulatedKey, recipientPublic: recipientPublic, info: info)
                guard let plaintext = try AES256GCM.open(key: payloadKey, nonce: fields.nonce, ciphertext: ciphertext, tag: fields.tag) else {
                    throw BatchDecodingError(.decryptionFailed(tagMismatch))
                }
                return plaintext
            case .sm2SM4CTR:
                let contentKey: [UInt8]
                do {
                    contentKey = try SM2Encryption.decrypt(fields.encapsulatedKey, with: key)
                } catch {
                    throw BatchDecodingError(.decryptionFailed("the wrapped content key does not decrypt with this office's key"))
                }
                guard contentKey.count == contentKeyBytes else {
                    throw BatchDecodingError(.decryptionFailed("the wrapped content key is \(contentKey.count) bytes, not \(contentKeyBytes)"))
                }
                let keys = sm2PayloadKeys(contentKey: contentKey, info: info)
                let expected = HMACDigest.authenticate(.sm3, key: keys.mac, message: (fields.nonce + ciphertext)[...])
                guard expected.count == fields.tag.count, CRYPTO_memcmp(expected, fields.tag, expected.count) == 0 else {
                    throw BatchDecodingError(.decryptionFailed(tagMismatch))
                }
                return try SM4CTR.apply(key: keys.encryption, iv: fields.nonce, ciphertext)
            }
        } catch let error as BatchDecodingError {
            throw error
        } catch {
            throw BatchDecodingError(.decryptionFailed("the payload key cannot be derived (\(error))"))
        }
    }

    private static func fixedOrRandom(_ fixed: [UInt8]?, count: Int) throws(CryptoError) -> [UInt8] {
        if let fixed { return fixed }
        return try SecureRandom.bytes(count)
    }

    static let tagMismatch = "the authentication tag does not match: the payload was altered or encrypted for another key"
}
