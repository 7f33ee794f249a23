import Foundation
import GRDB
import LedgerCore

/// One account's position: posted (not rejected) voucher lines only.
public struct AccountBalance: Codable, Equatable, Sendable {
    public var account: String
    public var org: String
    public var code: String
    public var name: String
    public var currency: String
    public var status: String
    public var debitMinorUnits: Int64
    public var creditMinorUnits: Int64
    /// Debits minus credits.
    public var balanceMinorUnits: Int64
}

/// The counts `fundsync status` shows.
public struct ReplicaStatus: Codable, Equatable, Sendable {
    public var org: String
    public var role: String
    public var versionVector: [String: Int64]
    /// Changes written or received and not yet acknowledged by a peer, summed over peers.
    public var outbox: Int
    /// Batches received and applied (including replays).
    public var inbox: Int
    /// Received changes waiting for an earlier stream position or a dependency.
    public var pending: Int
    /// Refused files kept in `quarantine/` (filled in by the caller, which knows the folder).
    public var quarantine: Int
    /// Received changes this replica rejected, plus (at a node) its own vouchers the hub rejected.
    public var rejected: Int
    public var vouchers: Int
    public var peers: [PeerStatus]
    /// This office's signing key id (filled in by the caller, which knows the key file).
    public var keyID: String?
    /// At the hub (filled in by the caller): open security alerts, links whose batches fail to apply, and which of those
    /// are blocked now (issue 9). `nil` at a node.
    public var securityAlerts: [SecurityAlert]?
    public var failingLinks: [LinkFailure]?
    public var blockedLinks: [String]?
    /// At a node restored from a backup or rebuilt: where its resync with the hub stands (§8.8); `nil` otherwise.
    public var resync: String?
}

/// The state of the link with one peer.
public struct PeerStatus: Codable, Equatable, Sendable {
    public var peer: String
    public var outbox: Int
    public var sentPosition: Int64
    public var ackedPosition: Int64
    public var receivedPosition: Int64
    public var pending: Int
}

extension ReplicaStore {
    /// Balances per account, in account order. `org` limits the result to one org unit.
    /// - Parameter asOf: only vouchers dated on or before this day (every posted voucher when `nil`).
    public func balances(org: OrgCode? = nil, asOf: BusinessDate? = nil) throws -> [AccountBalance] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.org, a.code, a.name, a.currency, a.status,
                    COALESCE(SUM(CASE WHEN l.side = 'debit' THEN l.amount END), 0) AS debits,
                    COALESCE(SUM(CASE WHEN l.side = 'credit' THEN l.amount END), 0) AS credits
                FROM account a
                LEFT JOIN voucher_line l ON l.account = a.id
                    AND l.voucher_id IN (SELECT id FROM voucher WHERE status = 'posted' AND (?2 IS NULL OR date <= ?2))
                WHERE (?1 IS NULL OR a.org = ?1)
                GROUP BY a.id ORDER BY a.org, a.id
                """, arguments: [org?.rawValue, asOf?.description]).map { row in
                let debits: Int64 = row["debits"]
                let credits: Int64 = row["credits"]
                return AccountBalance(account: row["id"], org: row["org"], code: row["code"], name: row["name"],
                                      currency: row["currency"], status: row["status"], debitMinorUnits: debits,
                                      creditMinorUnits: credits, balanceMinorUnits: debits - credits)
            }
        }
    }

    /// The replica's version vector.
    public func versionVector() throws -> VersionVector {
        try writer.read { db in try Self.loadVector(db) }
    }

    /// Counts for `fundsync status`.
    public func status() throws -> ReplicaStatus {
        try writer.read { db in
            let vector = try Self.loadVector(db)
            let peers = try Row.fetchAll(db, sql: """
                SELECT p.peer,
                    (SELECT COUNT(*) FROM outbox o WHERE o.peer = p.peer) AS outbox,
                    COALESCE((SELECT next_position - 1 FROM stream_out s WHERE s.peer = p.peer), 0) AS sent,
                    COALESCE((SELECT acked_position FROM stream_out s WHERE s.peer = p.peer), 0) AS acked,
                    COALESCE((SELECT applied_position FROM stream_in i WHERE i.peer = p.peer), 0) AS received,
                    (SELECT COUNT(*) FROM pending q WHERE q.peer = p.peer) AS pending
                FROM (SELECT peer FROM stream_out UNION SELECT peer FROM stream_in) p ORDER BY p.peer
                """).map { row in
                PeerStatus(peer: row["peer"], outbox: row["outbox"], sentPosition: row["sent"], ackedPosition: row["acked"],
                           receivedPosition: row["received"], pending: row["pending"])
            }
            let rejectedReceived = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log WHERE rejected = 1") ?? 0
            let rejectedOwn = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM voucher WHERE status = 'rejected' AND origin = ?",
                                               arguments: [org.rawValue]) ?? 0
            return ReplicaStatus(
                org: org.rawValue, role: role.rawValue,
                versionVector: Dictionary(uniqueKeysWithValues: vector.sortedEntries.map { ($0.origin.rawValue, $0.counter) }),
                outbox: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0,
                inbox: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM received_batch") ?? 0,
                pending: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending") ?? 0,
                quarantine: 0, rejected: rejectedReceived + rejectedOwn,
                vouchers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM voucher") ?? 0, peers: peers, keyID: nil)
        }
    }

    /// For each peer: the registry version it has reported applying (its acknowledgement vector's entry for this
    /// replica) and the latest registry version queued for it. A peer below its current version is stale.
    public func registryVersions() throws -> [(peer: String, applied: Int64, current: Int64)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.peer, o.registry_counter, COALESCE(i.reported_vector, '{}') AS reported
                FROM stream_out o LEFT JOIN stream_in i ON i.peer = o.peer ORDER BY o.peer
                """).map { row in
                let reported = TransitionApplier.parseVector(row["reported"])
                return (row["peer"], reported[org], row["registry_counter"])
            }
        }
    }

    /// Concurrent transitions this replica resolved: the kept state and the losing transition.
    public func conflicts() throws -> [(table: String, id: String, winner: String, loser: String, loserState: String, keptState: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT doc_table, doc_id, winner, loser, loser_state, kept_state FROM conflict ORDER BY doc_table, doc_id")
                .map { ($0["doc_table"], $0["doc_id"], $0["winner"], $0["loser"], $0["loser_state"], $0["kept_state"]) }
        }
    }

    /// Every document of `table`, as column → text (amounts in fen), in id order.
    ///
    /// Three states are derived here from replicated data, never written into the replicated row (which must stay what
    /// the change log says, `changeLogDiscrepancies`):
    /// - a slip still in transit (or issued) here is `cleared` once a posted voucher books its bank receipt, at either side;
    /// - a difference notice is `explained` once an explanation of it exists (at the county at once, at the hub when
    ///   the explanation arrives);
    /// - at a node, a payment the bank paid that this node could not book (no posted voucher books it, for example
    ///   because its expense subject is frozen) is `paid_unbooked`; a released payment is with the bank, and
    ///   booked only once the bank has paid it (7/7).
    public func documents(_ table: ReplicatedTable) throws -> [[String: String]] {
        try typedDocuments(table).map { row in
            row.compactMapValues { value in
                switch value {
                case .text(let text): text
                case .integer(let number): String(number)
                case .null: nil
                }
            }
        }
    }

    /// ``documents(_:)`` with typed values: integers (amounts in minor units, counters) stay numbers, for `--json`.
    public func typedDocuments(_ table: ReplicatedTable) throws -> [[String: DocumentValue]] {
        let derivedState: String?
        var derivedColumn = "state"
        switch table {
        case .slip:
            // A slip is one fact everywhere (3/6 item 7): it is cleared once its receiving side booked the bank receipt
            // (a voucher with source `receipt:<slip>`), wherever that voucher was written — the hub's receipt reaches the
            // county (it books the hub's 1012.B), the county's reaches the hub. The stored status is only this office's view.
            derivedColumn = "status"
            derivedState = """
                CASE WHEN d.status IN ('in_transit', 'issued') AND EXISTS (SELECT 1 FROM voucher v WHERE v.source = 'receipt:' || d.id
                AND v.status = 'posted') THEN 'cleared' ELSE d.status END
                """
        case .differenceNotice:
            derivedState = "CASE WHEN EXISTS (SELECT 1 FROM explanation e WHERE e.notice = d.id) THEN 'explained' ELSE d.state END"
        case .payment where role == .node:
            derivedState = """
                CASE WHEN d.state = 'paid' AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.source = 'payment:' || d.id
                AND v.status = 'posted') THEN 'paid_unbooked' ELSE d.state END
                """
        default:
            derivedState = nil
        }
        // The reason of a stateful document's latest transition (a refusal, a withdrawal, the bank's return): what the
        // clerk who entered it needs to see.
        let stateful = [ReplicatedTable.payment, .application, .accountRequest].contains(table)
        let reason = stateful ? ", (SELECT t.reason FROM transition t WHERE t.doc_table = '\(table.rawValue)' AND t.doc_id = d.id "
            + "ORDER BY t.rowid DESC LIMIT 1) AS state_reason" : ""
        return try writer.read { db in
            let sql = "SELECT d.*" + (derivedState.map { ", \($0) AS derived_state" } ?? "") + reason + " FROM \(table.rawValue) d ORDER BY d.id"
            return try Row.fetchAll(db, sql: sql).map { row in
                var values: [String: DocumentValue] = [:]
                for column in row.columnNames where column != "derived_state" {
                    let value: DatabaseValue = row[column]
                    switch value.storage {
                    case .string(let text): values[column] = .text(text)
                    case .int64(let number): values[column] = .integer(number)
                    case .double(let number): values[column] = .text(String(number))
                    case .blob(let data): values[column] = .text(data.map { String(format: "%02x", $0) }.joined())
                    case .null: values[column] = .null
                    }
                }
                if derivedState != nil, let state = row["derived_state"] as String? { values[derivedColumn] = .text(state) }
                return values
            }
        }
    }

    /// Vouchers of this replica the hub rejected, with the reason (what a clerk needs to see).
    public func rejectedVouchers() throws -> [(id: String, reason: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, reject_reason FROM voucher WHERE status = 'rejected' ORDER BY id").map {
                (id: $0["id"], reason: ($0["reject_reason"] as String?) ?? "")
            }
        }
    }

    /// Rejection notices: at a node, the hub's refusals of this node's changes; at the hub, the ones it sent.
    public func rejectionNotices() throws -> [RejectionRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, origin, tbl, key, reason, code FROM rejection ORDER BY origin, counter")
                .map { RejectionRecord(change: $0["id"], origin: $0["origin"], table: $0["tbl"], key: $0["key"], code: $0["code"],
                                       reason: $0["reason"]) }
        }
    }

    /// Received changes this replica rejected, with the reason.
    public func rejectedChanges() throws -> [RejectionRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT origin, counter, tbl, key, reason, reject_code FROM change_log WHERE rejected = 1 ORDER BY origin, counter
                """).compactMap { row in
                    guard let origin = OrgCode(row["origin"]) else { return nil }
                    return RejectionRecord(change: ChangeID(origin: origin, counter: row["counter"]).description, origin: origin.rawValue,
                                           table: row["tbl"], key: row["key"], code: row["reject_code"],
                                           reason: (row["reason"] as String?) ?? "")
                }
        }
    }
}

/// A document's column value as `documents --json` prints it: text, a number, or null.
public enum DocumentValue: Encodable, Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case null

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .null: try container.encodeNil()
        }
    }
}

/// One rejection as `rejections` lists it: the change, the document it carried, the stable code (`nil` for a
/// rejection recorded by release 1) and the sentence.
public struct RejectionRecord: Codable, Sendable, Equatable {
    /// The rejected change, `origin:counter`.
    public var change: String
    /// The office that wrote the rejected change.
    public var origin: String
    public var table: String
    public var key: String
    public var code: String?
    public var reason: String
}
