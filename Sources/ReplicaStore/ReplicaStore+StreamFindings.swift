import Foundation
import GRDB
import LedgerCore

/// A fact the hub booked although one of its own controls would have refused it (issue 9): a counterpart on an
/// account the hub froze or closed, or in a period the hub closed. The bank movement happened, so the booking
/// stands and the stream moves on; the finding tells the fund centre what to look at. Hub-only, never replicated.
public struct StreamFinding: Codable, Sendable, Equatable {
    /// `counterpart-on-inactive-account` or `counterpart-in-closed-period`.
    public var kind: String
    /// The document that caused the booking (`slip:<id>`).
    public var document: String
    /// The office whose document it was.
    public var org: String
    public var businessDate: String
    public var detail: String
    public var recordedAtMilliseconds: Int64
}

extension ReplicaTransaction {
    /// Records a finding in the same transaction as the booking it is about.
    public func recordStreamFinding(kind: String, document: String, org: OrgCode, businessDate: BusinessDate, detail: String) throws {
        try db.execute(sql: """
            INSERT INTO stream_finding (kind, document, org, business_date, detail, recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [kind, document, org.rawValue, businessDate.description, detail, nowMilliseconds()])
    }
}

extension ReplicaStore {
    /// Every stream finding, oldest first.
    public func streamFindings() throws -> [StreamFinding] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, document, org, business_date, detail, recorded_at_ms FROM stream_finding ORDER BY id
                """).map {
                StreamFinding(kind: $0["kind"], document: $0["document"], org: $0["org"], businessDate: $0["business_date"],
                              detail: $0["detail"], recordedAtMilliseconds: $0["recorded_at_ms"])
            }
        }
    }
}
