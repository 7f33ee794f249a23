import BatchWire
import Foundation
import HummingbirdBcrypt
import LedgerCore
import ReplicaStore

/// The console's login (4/6): a staff id and passphrase, checked against the bcrypt hash this office keeps
/// (`fundsync console-login`), with a lock after repeated failures. The same passphrase unlocks the person's key
/// file, if the office holds one, for this session only.
struct ConsoleLoginCheck {
    static let failureLimit = 5
    static let lockMilliseconds: Int64 = 15 * 60 * 1000

    enum Refusal: Error, Equatable {
        /// Unknown staff id, no login here, or a wrong passphrase: the same answer for all three.
        case failed
        case locked
    }

    let office: ConsoleOffice
    let keysFolder: URL?

    func check(staff id: String, passphrase: String) throws -> (StaffMember, PersonalKeyring?) {
        let store = office.store
        guard let login = try store.consoleLogin(id), let member = try store.read({ try $0.staffMember(id) }), try office.employs(member) else {
            // Spend a bcrypt's time anyway, so a guesser cannot tell unknown ids from wrong passphrases by the clock.
            _ = Bcrypt.verify(passphrase, hash: Self.decoyHash)
            throw Refusal.failed
        }
        guard login.lockedUntilMilliseconds <= store.nowMilliseconds else { throw Refusal.locked }
        guard Bcrypt.verify(passphrase, hash: login.hash) else {
            let after = try store.recordConsoleLoginFailure(id, limit: Self.failureLimit, lockMilliseconds: Self.lockMilliseconds)
            if let after, after.lockedUntilMilliseconds > store.nowMilliseconds { throw Refusal.locked }
            throw Refusal.failed
        }
        try store.clearConsoleLoginFailures(id)
        return (member, try unlockKey(of: id, passphrase: passphrase))
    }

    /// The person's key from `<keys folder>/<staff>.key`, unlocked with their passphrase; `nil` without a file.
    func unlockKey(of staff: String, passphrase: String) throws -> PersonalKeyring? {
        guard let keysFolder, !staff.contains("/"), !staff.hasPrefix(".") else { return nil }
        guard let data = FileManager.default.contents(atPath: keysFolder.appendingPathComponent("\(staff).key").path) else { return nil }
        let keyring = PersonalKeyring()
        try keyring.unlock(pem: String(decoding: data, as: UTF8.self), passphrase: passphrase, for: staff)
        return keyring
    }

    /// A bcrypt hash of nothing anyone types (cost 12, like the real ones).
    static let decoyHash = Bcrypt.hash("no such login \(UUID().uuidString)", cost: 12)
}
