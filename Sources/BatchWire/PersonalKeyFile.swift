import CCrypto

/// A person's private signing key in a passphrase-protected PKCS#8 file (`ENCRYPTED PRIVATE KEY`, RFC 5958 with
/// PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC): the software analogue of the UKEY each user is issued (D0).
///
/// The file is what `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter N` writes, so a person (or an
/// auditor) can check it with the `openssl` command line, and a key made with `openssl genpkey -aes-256-cbc` is read
/// here too (`PersonalKeyFileTests`). The private key exists unencrypted only in memory, inside the process that was
/// given the passphrase.
///
/// A PKCS#11 token would replace this file, not the callers: they sign through ``StaffSigner`` (LedgerCore's seam),
/// and a token-backed signer returns the same ``PersonalSignature`` values.
public enum PersonalKeyFile {
    /// PBKDF2 iterations of a key file this release writes. 200,000 rounds of HMAC-SHA256 take about 0.1 s on the
    /// reference machine (BENCHMARKS.md): slow for a guesser, unnoticed by a clerk who unlocks once per session.
    public static let iterations: Int32 = 200_000
    /// A passphrase shorter than this is refused when a key file is written.
    public static let minimumPassphraseLength = 8

    /// The PEM text of `key` encrypted under `passphrase`, with a fresh random salt and IV.
    /// - Throws: ``CryptoError`` for a passphrase shorter than ``minimumPassphraseLength`` or a libcrypto failure.
    public static func encrypt(_ key: SigningKey, passphrase: String, iterations: Int32 = iterations) throws(CryptoError) -> String {
        let secret = Array(passphrase.utf8)
        guard passphrase.count >= minimumPassphraseLength else {
            throw CryptoError("protect the key file", detail: "the passphrase must have at least \(minimumPassphraseLength) characters")
        }
        guard let info = EVP_PKEY2PKCS8(key.pkey) else { throw CryptoError("encode PKCS#8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        // pbe_nid -1: PBES2 with the given cipher; a NULL salt is drawn at random (libcrypto's default length); the
        // PRF is HMAC-SHA256.
        let sealed = secret.withUnsafeBufferPointer { pass in
            pass.withMemoryRebound(to: CChar.self) { chars in
                PKCS8_encrypt(-1, EVP_aes_256_cbc(), chars.baseAddress, Int32(chars.count), nil, 0, iterations, info)
            }
        }
        guard let sealed else { throw CryptoError("encrypt PKCS#8") }
        defer { X509_SIG_free(sealed) }
        return PEMIO.write { bio in PEM_write_bio_PKCS8(bio, sealed) }
    }

    /// The key in `pem`, decrypted with `passphrase`.
    /// - Throws: ``CryptoError`` "unlock the key file" when the passphrase is wrong or the file is not an encrypted
    ///   Ed25519 or SM2 key; an unencrypted key file is refused (a personal key is never stored in the clear).
    public static func decrypt(_ pem: String, passphrase: String) throws(CryptoError) -> SigningKey {
        guard pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") else {
            throw CryptoError("unlock the key file", detail: "not a passphrase-protected PKCS#8 file (BEGIN ENCRYPTED PRIVATE KEY)")
        }
        var secret = Array(passphrase.utf8CString)
        defer { for index in secret.indices { secret[index] = 0 } }
        let pkey: OpaquePointer
        do {
            pkey = try secret.withUnsafeMutableBufferPointer { pass throws(CryptoError) in
                try PEMIO.read(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, pass.baseAddress) }
            }
        } catch {
            _ = CryptoError.drainOpenSSLErrors()
            throw CryptoError("unlock the key file", detail: "wrong passphrase, or the file is damaged")
        }
        return try SigningKey(owning: pkey)
    }
}
