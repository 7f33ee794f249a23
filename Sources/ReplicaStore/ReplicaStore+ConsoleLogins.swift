import Foundation
import GRDB
import LedgerCore

/// One person's console login at this office (4/6): the bcrypt hash of their passphrase and the failures that lock
/// it. Office-local state: it never travels, and a restored office keeps what its backup had.
public struct ConsoleLogin: Sendable, Equatable {
    public var staff: String
    public var hash: String
    public var failures: Int
    public var lockedUntilMilliseconds: Int64
}

extension ReplicaStore {
    public func consoleLogin(_ staff: String) throws -> ConsoleLogin? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT staff, hash, failures, locked_until_ms FROM console_login WHERE staff = ?", arguments: [staff])
                .map { ConsoleLogin(staff: $0["staff"], hash: $0["hash"], failures: $0["failures"], lockedUntilMilliseconds: $0["locked_until_ms"]) }
        }
    }

    /// Sets (or replaces) `staff`'s passphrase hash and clears any lock.
    public func setConsoleLogin(_ staff: String, hash: String) throws {
        try writeTransaction { db in
            try db.execute(sql: """
                INSERT INTO console_login (staff, hash) VALUES (?, ?)
                ON CONFLICT(staff) DO UPDATE SET hash = excluded.hash, failures = 0, locked_until_ms = 0
                """, arguments: [staff, hash])
        }
    }

    /// Counts a failed login; at `limit` failures the login is locked until `lockMilliseconds` from now.
    /// - Returns: the login after the failure.
    @discardableResult
    public func recordConsoleLoginFailure(_ staff: String, limit: Int, lockMilliseconds: Int64) throws -> ConsoleLogin? {
        let now = clock.nowMilliseconds()
        try writeTransaction { db in
            try db.execute(sql: """
                UPDATE console_login SET failures = failures + 1,
                    locked_until_ms = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until_ms END WHERE staff = ?
                """, arguments: [limit, now + lockMilliseconds, staff])
            try db.execute(sql: "UPDATE console_login SET failures = 0 WHERE staff = ? AND failures >= ?", arguments: [staff, limit])
        }
        return try consoleLogin(staff)
    }

    public func clearConsoleLoginFailures(_ staff: String) throws {
        try writeTransaction { db in try db.execute(sql: "UPDATE console_login SET failures = 0 WHERE staff = ?", arguments: [staff]) }
    }

    /// When this office last received a batch from each peer (milliseconds since 1970).
    public func lastReceived() throws -> [String: Int64] {
        try writer.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT peer, MAX(received_at_ms) AS at FROM received_batch GROUP BY peer")
                .map { ($0["peer"] as String, $0["at"] as Int64) })
        }
    }

    /// The clock this store writes with (the console's sessions expire by it).
    public var nowMilliseconds: Int64 { clock.nowMilliseconds() }
}

