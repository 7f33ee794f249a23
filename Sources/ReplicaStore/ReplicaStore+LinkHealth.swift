import Foundation
import GRDB
import LedgerCore

/// A refusal whose signature verified: the signer itself sent something it may not (a forged origin, a malformed
/// payload under its own valid signature). Unlike a bad signature or a truncated file, which prove nothing about who
/// sent them, this is evidence against one office, so it stays visible — in status, metrics and the console — until an
/// operator clears it with a signed acknowledgement. The signer's valid batches still apply. Hub-only storage.
public struct SecurityAlert: Codable, Sendable, Equatable {
    public var id: Int64
    /// The office whose key signed the refused batch.
    public var link: String
    public var keyID: String
    /// The refusal's stable name (`origin-not-authorised` …).
    public var code: String
    public var detail: String
    /// SHA-256 of the refused bytes (the quarantine holds them).
    public var fileHash: String
    public var raisedAtMilliseconds: Int64
    public var clearedAtMilliseconds: Int64?
    public var clearedBy: String?
    /// The operator's note and the hub key's signature over the clearance (`SecurityAlertClearance`), base64.
    public var clearanceNote: String?
    public var clearanceSignature: String?

    public var isOpen: Bool { clearedAtMilliseconds == nil }
}

/// A link whose verified batches keep failing to apply for a reason that is not a rule violation (storage, I/O, a
/// bug): nothing was applied and the batch waits for a retry. After `attemptCountBlocked` attempts **and**
/// `blockedAfterMilliseconds`, whichever comes later, the link is blocked: shown loudly in status and metrics until a
/// batch from it applies again (issue 9). Hub-only storage.
public struct LinkFailure: Codable, Sendable, Equatable {
    public static let attemptCountBlocked = 5
    public static let blockedAfterMilliseconds: Int64 = 3_600_000

    public var peer: String
    public var attempts: Int
    public var firstFailedAtMilliseconds: Int64
    public var lastFailedAtMilliseconds: Int64
    public var lastError: String

    /// Blocked once both thresholds are passed.
    public func isBlocked(atMilliseconds now: Int64) -> Bool {
        attempts >= Self.attemptCountBlocked && now.subtractingReportingOverflow(firstFailedAtMilliseconds).partialValue >= Self.blockedAfterMilliseconds
    }
}

extension ReplicaStore {
    /// Records a security alert on `link`'s link, unless the same file already has an open one.
    public func raiseSecurityAlert(link: OrgCode, keyID: String, code: String, detail: String, fileHash: String,
                                   atMilliseconds: Int64) throws {
        try writeTransaction { db in
            // The same refused file sent again (a replay, a retry) adds nothing: one open alert per link, reason and file.
            try db.execute(sql: """
                INSERT INTO security_alert (link, key_id, code, detail, file_hash, raised_at_ms)
                SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM security_alert
                    WHERE link = ? AND code = ? AND file_hash = ? AND cleared_at_ms IS NULL)
                """, arguments: [link.rawValue, String(keyID.prefix(200)), code, String(detail.prefix(2_000)), fileHash, atMilliseconds,
                                 link.rawValue, code, fileHash])
        }
    }

    /// Every security alert, oldest first (open and cleared).
    public func securityAlerts() throws -> [SecurityAlert] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM security_alert ORDER BY id").map { row in
                SecurityAlert(id: row["id"], link: row["link"], keyID: row["key_id"], code: row["code"], detail: row["detail"],
                              fileHash: row["file_hash"], raisedAtMilliseconds: row["raised_at_ms"],
                              clearedAtMilliseconds: row["cleared_at_ms"], clearedBy: row["cleared_by"],
                              clearanceNote: row["clearance_note"], clearanceSignature: row["clearance_signature"])
            }
        }
    }

    /// Clears an open alert with the operator's signed acknowledgement. Returns false when no open alert has that id.
    public func clearSecurityAlert(id: Int64, by operatorName: String, note: String, signature: String, atMilliseconds: Int64) throws -> Bool {
        try writeTransaction { db in
            try db.execute(sql: """
                UPDATE security_alert SET cleared_at_ms = ?, cleared_by = ?, clearance_note = ?, clearance_signature = ?
                WHERE id = ? AND cleared_at_ms IS NULL
                """, arguments: [atMilliseconds, operatorName, note, signature, id])
            return db.changesCount == 1
        }
    }

    /// Counts one more failed apply of a verified batch from `peer`.
    public func recordApplyFailure(peer: OrgCode, message: String, atMilliseconds: Int64) throws {
        try writeTransaction { db in
            try db.execute(sql: """
                INSERT INTO link_failure (peer, attempts, first_failed_ms, last_failed_ms, last_error) VALUES (?, 1, ?, ?, ?)
                ON CONFLICT(peer) DO UPDATE SET attempts = attempts + 1, last_failed_ms = excluded.last_failed_ms,
                    last_error = excluded.last_error
                """, arguments: [peer.rawValue, atMilliseconds, atMilliseconds, String(message.prefix(2_000))])
        }
    }

    /// A batch from `peer` applied: its link is healthy again.
    public func clearApplyFailures(peer: OrgCode) throws {
        try writeTransaction { db in try db.execute(sql: "DELETE FROM link_failure WHERE peer = ?", arguments: [peer.rawValue]) }
    }

    /// Links whose batches are failing to apply, blocked or not yet.
    public func linkFailures() throws -> [LinkFailure] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM link_failure ORDER BY peer").map { row in
                LinkFailure(peer: row["peer"], attempts: row["attempts"], firstFailedAtMilliseconds: row["first_failed_ms"],
                            lastFailedAtMilliseconds: row["last_failed_ms"], lastError: row["last_error"])
            }
        }
    }
}
