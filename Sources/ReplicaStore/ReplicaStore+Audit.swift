import Foundation
import GRDB
import LedgerCore

/// One entry of the audit log.
public struct AuditEntry: Codable, Equatable, Sendable {
    public var id: String
    public var org: String
    public var atMilliseconds: Int64
    public var actor: String
    public var action: String
    public var detail: String
}

extension ReplicaStore {
    /// Records who did what at this office, as a replicated change (a node's entries travel up to the hub with
    /// its batches). `policy` routes it like any other change of this office.
    public func audit(actor: String, action: String, detail: String, policy: any ReplicaPolicy) throws {
        try write(policy: policy) { transaction in
            let id = "\(org.rawValue)-L\(try transaction.nextSequence("audit"))"
            try transaction.appendLocal(table: .audit, key: id, operation: .insert, fields: [
                "org": .text(org.rawValue), "at_ms": .integer(transaction.nowMilliseconds()), "actor": .text(actor),
                "action": .text(action), "detail": .text(String(detail.prefix(4_000))),
            ])
        }
    }

    /// The audit log this replica holds (at the hub: every office's), oldest first, optionally of one org.
    public func auditLog(org: OrgCode? = nil) throws -> [AuditEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE (?1 IS NULL OR org = ?1) ORDER BY at_ms, id", arguments: [org?.rawValue]).map {
                AuditEntry(id: $0["id"], org: $0["org"], atMilliseconds: $0["at_ms"], actor: $0["actor"], action: $0["action"], detail: $0["detail"])
            }
        }
    }

    /// A consistent copy of the replica in one SQLite file, taken with SQLite's online backup while the office
    /// keeps working (readers and the writer are not stopped).
    /// The backup file is created with mode 0600 (`PrivateFiles`): it holds the books.
    public func backup(to path: String) throws {
        try PrivateFiles.create(URL(fileURLWithPath: path))
        let destination = try DatabaseQueue(path: path)
        try writer.backup(to: destination)
        try destination.close()
    }
}
