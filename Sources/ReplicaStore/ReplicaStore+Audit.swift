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
    /// The key id whose signature the entry carries (4/6): the actor signed it with a key the registry certifies,
    /// checked when it was written here or when the hub received it. `nil`: unsigned (an office of release 1, or a
    /// command run without the people's keys; the actor is then a name as typed, or `os:<account>`).
    public var signedWithKey: String?
    /// The actor's name in the registry, when the actor is registered staff.
    public var actorName: String?

    /// How a listing names who acted: "王芳 (340122-wangfang), signed with key …", or the name as given, marked unsigned.
    public var actorDescription: String {
        let who = actorName.map { "\($0) (\(actor))" } ?? actor
        return signedWithKey.map { "\(who) ✓ key \($0)" } ?? "\(who) (unsigned)"
    }
}

/// Who is acting on this office, and through which command: set once by the composition root (the CLI) for a
/// command that changes the office (`ReplicaStore.auditing`). While it is set, every write transaction that changes
/// the books — a local write, or an import that applied something — also appends one audit entry, **in the same
/// transaction**, so an entry exists exactly when its change does.
public struct AuditContext: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var detail: String

    public init(actor: String, action: String, detail: String) {
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}

/// The audit context of a store, shared by the threads that use it.
final class AuditContextBox: @unchecked Sendable {
    private let lock = NSLock()
    private var context: AuditContext?

    var value: AuditContext? {
        get { lock.withLock { context } }
        set { lock.withLock { context = newValue } }
    }
}

extension ReplicaStore {
    /// The audit context of the command being run (`nil`: writes are not audited, as in tests and the simulation).
    public var auditing: AuditContext? {
        get { auditContext.value }
        set { auditContext.value = newValue }
    }

    /// Records who did what at this office on its own, as a replicated change (a node's entries travel up to the hub
    /// with its batches): for an action that writes nothing else, such as an export. `policy` routes it like any
    /// other change of this office.
    public func audit(actor: String, action: String, detail: String, policy: any ReplicaPolicy) throws {
        try write(policy: policy) { transaction in
            try transaction.appendAudit(AuditContext(actor: actor, action: action, detail: detail))
        }
    }

    /// The audit log this replica holds (at the hub: every office's), oldest first, optionally of one org.
    public func auditLog(org: OrgCode? = nil) throws -> [AuditEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.org, a.at_ms, a.actor, a.action, a.detail, json_extract(a.signatures, '$[0].key') AS signed_key,
                    s.name AS actor_name
                FROM audit a LEFT JOIN staff s ON s.id = a.actor WHERE (?1 IS NULL OR a.org = ?1) ORDER BY a.at_ms, a.id
                """, arguments: [org?.rawValue]).map {
                AuditEntry(id: $0["id"], org: $0["org"], atMilliseconds: $0["at_ms"], actor: $0["actor"], action: $0["action"],
                           detail: $0["detail"], signedWithKey: $0["signed_key"], actorName: $0["actor_name"])
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

extension ReplicaTransaction {
    /// Appends one audit entry of this office.
    func appendAudit(_ context: AuditContext) throws {
        // A restored node waiting for resync may not take a counter (§8.8): what it does meanwhile (export, import)
        // is in its received- and sent-batch logs; its audit trail resumes with the first entry after the resync.
        if try resync() != nil { return }
        let id = "\(org.rawValue)-L\(try nextSequence("audit"))"
        let detail = context.detail + (auditNote.map { " — \($0)" } ?? "")
        try appendLocal(table: .audit, key: id, operation: .insert, fields: [
            "org": .text(org.rawValue), "at_ms": .integer(nowMilliseconds()), "actor": .text(context.actor),
            "action": .text(context.action), "detail": .text(String(detail.prefix(4_000))),
        ])
    }
}
