import CCrypto

// The building blocks of payload encryption (`Protocol/PROTOCOL.md` §13), each a thin wrapper over one libcrypto
// call so that each can be checked against the `openssl` command line on its own (OpenSSLEncryptionCrossCheckTests).

/// Bytes from libcrypto's CSPRNG (seeded by the operating system), for nonces, IVs and content keys.
public enum SecureRandom {
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw CryptoError("draw random bytes") }
        return bytes
    }
}

/// X25519 Diffie–Hellman (RFC 7748) through `EVP_PKEY_derive`.
enum X25519 {
    static let keyBytes = 32

    /// The 32-byte shared secret of `privateKey` and `peer`. OpenSSL refuses an all-zero result (a low-order
    /// peer point), which is thrown like any other failure.
    static func sharedSecret(_ privateKey: EncryptionPrivateKey, _ peer: EncryptionPublicKey) throws(CryptoError) -> [UInt8] {
        guard privateKey.algorithm == .x25519AES256GCM, peer.algorithm == .x25519AES256GCM else {
            throw CryptoError("X25519 needs two X25519 keys")
        }
        guard let context = EVP_PKEY_CTX_new(privateKey.pkey, nil) else { throw CryptoError("create derive context") }
        defer { EVP_PKEY_CTX_free(context) }
        var length = 0
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peer.pkey) == 1,
              EVP_PKEY_derive(context, nil, &length) == 1, length == keyBytes else { throw CryptoError("X25519 key agreement") }
        var secret = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_derive(context, &secret, &length) == 1, length == keyBytes else { throw CryptoError("X25519 key agreement") }
        return secret
    }
}

/// HMAC (RFC 2104) with SHA-256 or SM3, through libcrypto's one-shot `HMAC`.
enum HMACDigest {
    static func authenticate(_ digest: PayloadHashAlgorithm, key: [UInt8], message: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: EVP_MAX_MD_SIZE_VALUE)
        var length: UInt32 = 0
        let md = digest == .sha256 ? EVP_sha256() : EVP_sm3()
        let result = key.withUnsafeBufferPointer { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                HMAC(md, keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.baseAddress, messageBytes.count, &output, &length)
            }
        }
        precondition(result != nil && Int(length) == PayloadHashAlgorithm.digestBytes, "HMAC failed: \(CryptoError.drainOpenSSLErrors())")
        return Array(output.prefix(Int(length)))
    }
}

/// HKDF (RFC 5869) over `HMACDigest`, written out here (extract, then expand) so that `openssl kdf … HKDF`, an
/// independent implementation, can check it.
enum HKDF {
    static func derive(_ digest: PayloadHashAlgorithm, inputKey: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        let hashBytes = PayloadHashAlgorithm.digestBytes
        precondition(length <= 255 * hashBytes, "HKDF output of \(length) bytes is too long")
        // An empty salt is HashLen zero bytes (RFC 5869 §2.2); HMAC pads a short key with zeros, so both are the same.
        let pseudorandomKey = HMACDigest.authenticate(digest, key: salt, message: inputKey[...])
        var output: [UInt8] = []
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            block = HMACDigest.authenticate(digest, key: pseudorandomKey, message: (block + info + [counter])[...])
            output += block
            counter += 1
        }
        return Array(output.prefix(length))
    }
}

/// AES-256-GCM (NIST SP 800-38D) with a 12-byte nonce, a 16-byte tag and no additional authenticated data.
enum AES256GCM {
    static let keyBytes = 32

    static func seal(key: [UInt8], nonce: [UInt8], plaintext: [UInt8]) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        precondition(key.count == keyBytes && nonce.count == 12, "AES-256-GCM needs a 32-byte key and a 12-byte nonce")
        let context = try CipherContext(EVP_aes_256_gcm(), key: key, iv: nonce, encrypt: true, gcm: true)
        let ciphertext = try context.update(plaintext[...])
        try context.finish()
        var tag = [UInt8](repeating: 0, count: 16)
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1 else { throw CryptoError("read GCM tag") }
        return (ciphertext, tag)
    }

    /// The plaintext, or `nil` when the tag does not authenticate the ciphertext.
    static func open(key: [UInt8], nonce: [UInt8], ciphertext: ArraySlice<UInt8>, tag: [UInt8]) throws(CryptoError) -> [UInt8]? {
        precondition(key.count == keyBytes && nonce.count == 12 && tag.count == 16, "AES-256-GCM parameter sizes")
        let context = try CipherContext(EVP_aes_256_gcm(), key: key, iv: nonce, encrypt: false, gcm: true)
        let plaintext = try context.update(ciphertext)
        var expected = tag
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, 16, &expected) == 1 else { throw CryptoError("set GCM tag") }
        do { try context.finish() } catch { return nil }
        return plaintext
    }
}

/// SM4 (GB/T 32907-2016) in CTR mode: a 16-byte key and a 16-byte initial counter block, incremented as one
/// 128-bit big-endian integer per block (NIST SP 800-38A), as `openssl enc -sm4-ctr` does. Its own inverse.
enum SM4CTR {
    static let keyBytes = 16

    static func apply(key: [UInt8], iv: [UInt8], _ input: ArraySlice<UInt8>) throws(CryptoError) -> [UInt8] {
        precondition(key.count == keyBytes && iv.count == 16, "SM4-CTR needs a 16-byte key and a 16-byte IV")
        let context = try CipherContext(EVP_sm4_ctr(), key: key, iv: iv, encrypt: true, gcm: false)
        let output = try context.update(input)
        try context.finish()
        return output
    }
}

/// SM2 public-key encryption (GB/T 32918.4-2016) with SM3, through `EVP_PKEY_encrypt`: the ciphertext is the DER
/// `SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2 }` (GM/T 0009), as `openssl pkeyutl
/// -encrypt` writes it.
enum SM2Encryption {
    static func encrypt(_ plaintext: [UInt8], to key: EncryptionPublicKey) throws(CryptoError) -> [UInt8] {
        guard key.algorithm == .sm2SM4CTR, let context = EVP_PKEY_CTX_new(key.pkey, nil) else { throw CryptoError("SM2 encryption context") }
        defer { EVP_PKEY_CTX_free(context) }
        var length = 0
        guard EVP_PKEY_encrypt_init(context) == 1, EVP_PKEY_encrypt(context, nil, &length, plaintext, plaintext.count) == 1 else {
            throw CryptoError("SM2 encrypt")
        }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_encrypt(context, &output, &length, plaintext, plaintext.count) == 1 else { throw CryptoError("SM2 encrypt") }
        return Array(output.prefix(length))
    }

    static func decrypt(_ ciphertext: [UInt8], with key: EncryptionPrivateKey) throws(CryptoError) -> [UInt8] {
        guard key.algorithm == .sm2SM4CTR, let context = EVP_PKEY_CTX_new(key.pkey, nil) else { throw CryptoError("SM2 decryption context") }
        defer { EVP_PKEY_CTX_free(context) }
        var length = 0
        guard EVP_PKEY_decrypt_init(context) == 1, EVP_PKEY_decrypt(context, nil, &length, ciphertext, ciphertext.count) == 1 else {
            throw CryptoError("SM2 decrypt")
        }
        var output = [UInt8](repeating: 0, count: max(length, 1))
        guard EVP_PKEY_decrypt(context, &output, &length, ciphertext, ciphertext.count) == 1 else { throw CryptoError("SM2 decrypt") }
        return Array(output.prefix(length))
    }
}

/// One `EVP_CIPHER_CTX`, freed with the object.
final class CipherContext {
    let pointer: OpaquePointer
    let encrypt: Bool

    init(_ cipher: OpaquePointer?, key: [UInt8], iv: [UInt8], encrypt: Bool, gcm: Bool) throws(CryptoError) {
        guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError("create cipher context") }
        self.pointer = pointer
        self.encrypt = encrypt
        let initialise = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
        guard initialise(pointer, cipher, nil, nil, nil) == 1 else { throw CryptoError("initialise cipher") }
        if gcm, EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) != 1 { throw CryptoError("set GCM nonce length") }
        guard initialise(pointer, nil, nil, key, iv) == 1 else { throw CryptoError("set cipher key") }
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    func update(_ input: ArraySlice<UInt8>) throws(CryptoError) -> [UInt8] {
        // Payloads are at most `batchPayloadBytesCompressedMax` (128 MiB), well inside the Int32 length of EVP.
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        if !input.isEmpty {
            let ok = input.withUnsafeBufferPointer { bytes in
                (encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate)(pointer, &output, &written, bytes.baseAddress, Int32(bytes.count))
            }
            guard ok == 1 else { throw CryptoError("cipher update") }
        }
        return Array(output.prefix(Int(written)))
    }

    /// Ends the operation; for GCM decryption this is where the tag is checked.
    func finish() throws(CryptoError) {
        var tail = [UInt8](repeating: 0, count: 32)
        var written: Int32 = 0
        guard (encrypt ? EVP_EncryptFinal_ex : EVP_DecryptFinal_ex)(pointer, &tail, &written) == 1, written == 0 else {
            throw CryptoError("cipher final")
        }
    }
}
