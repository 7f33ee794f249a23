import Foundation

/// Keys already parsed from their PEM text, shared by every thread of the process.
///
/// OpenSSL 3 decodes a PEM key through its provider machinery (`OSSL_DECODER`), which takes a few hundred
/// microseconds and global locks each time: a hub that parsed the sender's public key, its own decryption key and the
/// puller's key anew for every request spent about 40 % of its CPU there under 200 syncing nodes (5/6, perf). A parsed
/// key is immutable and each operation on it makes its own context, so one object serves every thread.
///
/// The cache is keyed by the PEM text itself, so a rotated or revoked key (different text, or no longer looked up)
/// never answers for another; it holds at most `countMax` keys and starts over when full.
final class ParsedKeyCache<Key: AnyObject & Sendable>: @unchecked Sendable {
    // @unchecked: `keys` is only touched under `lock`.
    private let lock = NSLock()
    private var keys: [String: Key] = [:]
    let countMax: Int

    init(countMax: Int = 4_096) {
        self.countMax = countMax
    }

    /// The key parsed from `pem`, parsing it with `parse` the first time.
    func key(pem: String, parse: (String) throws(CryptoError) -> Key) throws(CryptoError) -> Key {
        if let key = lock.withLock({ keys[pem] }) { return key }
        let key = try parse(pem)
        lock.withLock {
            if keys.count >= countMax { keys.removeAll(keepingCapacity: true) }
            keys[pem] = key
        }
        return key
    }
}

extension PublicKey {
    private static let parsed = ParsedKeyCache<PublicKey>()

    /// The key of `pem`, parsed once per process (`ParsedKeyCache`): for lookups on hot paths (every upload's and every
    /// pull's signer).
    public static func cached(pem: String) throws(CryptoError) -> PublicKey {
        try parsed.key(pem: pem) { (text: String) throws(CryptoError) -> PublicKey in try PublicKey(pem: text) }
    }
}

extension EncryptionPrivateKey {
    static let parsed = ParsedKeyCache<EncryptionPrivateKey>(countMax: 16)
}

extension EncryptionPublicKey {
    static let parsed = ParsedKeyCache<EncryptionPublicKey>()
}
