import GRDB
import LedgerCore

/// The first of an account request's two steps at the hub (3/6 item 6): the fund manager's check, kept in the hub's
/// own `account_request_check` table. It commits with whatever the hub writes in the same transaction, and the
/// approval that follows names it in its replicated reason, so the branch sees who checked and who approved.
extension ReplicaTransaction {
    /// Records (or replaces, while the request is undecided) the check of `request` by `staff`.
    public func recordAccountRequestCheck(_ request: String, by staff: String, note: String?, atMilliseconds: Int64) throws {
        try db.execute(sql: """
            INSERT INTO account_request_check (request, checked_by, note, at_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT(request) DO UPDATE SET checked_by = excluded.checked_by, note = excluded.note, at_ms = excluded.at_ms
            """, arguments: [request, staff, note, atMilliseconds])
    }

    /// Who checked `request`, with their note, or `nil` if nobody has yet.
    public func accountRequestCheck(_ request: String) throws -> (checkedBy: String, note: String?)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT checked_by, note FROM account_request_check WHERE request = ?", arguments: [request]) else {
            return nil
        }
        return (row["checked_by"], row["note"])
    }
}
