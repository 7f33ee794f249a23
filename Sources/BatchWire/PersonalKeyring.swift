import Foundation
import LedgerCore

/// The personal keys one office process holds unlocked, by staff id: the ``StaffSigner`` of a terminal where the
/// people who act on a document have each given their passphrase (or of a test province, with seeded keys).
///
/// Keys stay in memory only; nothing here writes them anywhere.
public final class PersonalKeyring: StaffSigner, @unchecked Sendable {
    // `@unchecked Sendable`: the dictionary is guarded by the lock; keys themselves are immutable.
    private let lock = NSLock()
    private var keys: [String: SigningKey] = [:]

    public init(_ keys: [String: SigningKey] = [:]) {
        self.keys = keys
    }

    /// Adds (or replaces) `staff`'s key.
    public func add(_ key: SigningKey, for staff: String) {
        lock.withLock { keys[staff] = key }
    }

    /// Unlocks `staff`'s passphrase-protected key file and adds it.
    /// - Throws: ``CryptoError`` when the passphrase is wrong or the file is not an encrypted key.
    public func unlock(pem: String, passphrase: String, for staff: String) throws(CryptoError) {
        add(try PersonalKeyFile.decrypt(pem, passphrase: passphrase), for: staff)
    }

    public var staff: [String] { lock.withLock { keys.keys.sorted() } }

    public func key(for staff: String) -> SigningKey? { lock.withLock { keys[staff] } }

    public func keyID(for staff: String) -> String? { key(for: staff)?.publicKey.keyID }

    public func sign(_ message: [UInt8], as staff: String) throws -> [UInt8] {
        guard let key = key(for: staff) else { throw CryptoError("sign as \(staff)", detail: "no key of \(staff) is unlocked") }
        return try key.sign(message[...])
    }
}
