import Foundation
import GRDB
import LedgerCore

extension ReplicaTransaction {
    /// Writes a change originating here: assigns the next counter of this replica's origin, stores the change in
    /// the change log, applies it to its table, advances the version vector and queues it for every recipient the
    /// policy names. All inside the caller's transaction.
    ///
    /// - Parameters:
    ///   - dependsOn: extra causal dependencies (the hub names the change a rejection answers). A node always
    ///     depends on its whole version vector, which is small.
    /// - precondition: the transaction was opened with a policy (`ReplicaStore.write(policy:_:)`).
    @discardableResult
    public func appendLocal(table: ReplicatedTable, key: String, operation: ChangeOperation, businessDate: String = "",
                            fields: [String: FieldValue], dependsOn: VersionVector = VersionVector()) throws -> Change {
        guard let policy else { preconditionFailure("appendLocal needs a transaction opened with a policy") }
        // A restored node does not know which of its counters the hub already holds: it writes nothing until the
        // hub's resync answer is applied (§8.8), or it would fork its own history.
        if let state = try resync() { throw ReplicaStoreError(.resyncPending(state.description)) }
        // A node's first change at a release is preceded by its announcement (§6.28), so a batch never carries a change
        // of a newer release ahead of the news that the node runs it.
        if role == .node, table != .officeRelease { try announceRelease() }
        let fields = try signedFields(table: table, key: key, operation: operation, fields: fields)
        let counter = vector[org] + 1
        var deps: VersionVector
        switch role {
        case .node: deps = vector
        case .hub:
            deps = dependsOn
            deps.advance(org, to: counter - 1)
        }
        let change = Change(id: ChangeID(origin: org, counter: counter), deps: deps, table: table.rawValue, key: key,
                            operation: operation, businessDate: businessDate, createdAtMilliseconds: nowMilliseconds(),
                            fields: fields)
        try change.checkWireLimits()
        let record = ChangeCodec.encode(change)
        guard record.count <= Limits.changeBytesMax else {
            throw LedgerRuleViolation.malformed("\(table.rawValue) \(key) is \(record.count) bytes; one change is limited to \(Limits.changeBytesMax)")
        }
        try insertLog(change, record: record[...], receivedFrom: nil, verdict: .apply)
        try ChangeApplier.apply(change, in: self)
        advanceVector(change.id)
        // The office's release announcement is written by the software, not by a person's command: it is not audited.
        if table != .audit && table != .officeRelease { localChangeCount += 1 }
        let isRegistry = table.isHubOwned && table != .rejection && table != .allocation && table != .resync
        for peer in try policy.recipients(of: change, in: self) where peer != org {
            try enqueueOrHold(change, to: peer, isRegistry: isRegistry)
        }
        return change
    }

    /// Queues an already-logged change for `peer` at the next position of that outgoing stream.
    /// - Parameter isRegistry: the change is a registry record, so the peer's current registry version becomes
    ///   its counter (the version the peer must report back before it is up to date).
    public func enqueue(_ id: ChangeID, to peer: OrgCode, isRegistry: Bool = false) throws {
        let position = try nextOutgoingPosition(for: peer)
        try db.cachedStatement(sql: "INSERT INTO outbox (peer, position, origin, counter) VALUES (?, ?, ?, ?)")
            .execute(arguments: [peer.rawValue, position, id.origin.rawValue, id.counter])
        if isRegistry {
            try db.cachedStatement(sql: "UPDATE stream_out SET registry_counter = ? WHERE peer = ? AND registry_counter < ?")
                .execute(arguments: [id.counter, peer.rawValue, id.counter])
        }
    }

    /// Queues, for a newly enrolled `peer`, the latest change this replica wrote of each of `rows` (table and key),
    /// in the order they were written, except those already queued for it. The caller names the rows in the peer's
    /// scope (found through the registry's own indexes), so enrolling costs the size of that scope, not of the
    /// province (5/6); the latest change of a row is found through the index `change_log_own` (named: left to itself,
    /// SQLite walks the primary key back from the newest change for `MAX(counter)`, which is every change of the hub).
    public func enqueueLatest(of rows: [(table: ReplicatedTable, key: String)], for peer: OrgCode) throws {
        let latest = try db.cachedStatement(sql: """
            SELECT MAX(counter) FROM change_log INDEXED BY change_log_own
            WHERE origin = '\(org.rawValue)' AND tbl = ? AND key = ? AND rejected = 0
            """)
        let queued = try db.cachedStatement(sql: "SELECT 1 FROM outbox WHERE peer = ? AND origin = ? AND counter = ?")
        var counters: Set<Int64> = []
        for row in rows {
            guard let counter = try Int64.fetchOne(latest, arguments: [row.table.rawValue, row.key]),
                  try Int.fetchOne(queued, arguments: [peer.rawValue, org.rawValue, counter]) == nil else { continue }
            counters.insert(counter)
        }
        for counter in counters.sorted() {
            try enqueue(ChangeID(origin: org, counter: counter), to: peer, isRegistry: true)
        }
    }

    /// The node keys of `org` (index `node_key_org`).
    public func nodeKeys(of org: OrgCode) throws -> [NodeKeyRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT key_id, org, algorithm, public_key_pem, status FROM node_key WHERE org = ? ORDER BY key_id"),
                         arguments: [org.rawValue]).compactMap(NodeKeyRecord.init(row:))
    }

    func insertLog(_ change: Change, record: ArraySlice<UInt8>, receivedFrom: OrgCode?, verdict: ChangeVerdict) throws {
        var reason: String?, code: String?
        if case .reject(let name, let text) = verdict { (code, reason) = (name, text) }
        // `applied_seq`: this replica's own order of logging, so a replay of the log (`changeLogDiscrepancies`)
        // resolves concurrent transitions exactly as they were resolved here.
        try db.cachedStatement(sql: """
            INSERT INTO change_log (origin, counter, tbl, key, op, business_date, created_at_ms, record, received_from, rejected,
                reason, reject_code, applied_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                change.id.origin.rawValue, change.id.counter, change.table, change.key, Int64(change.operation.rawValue),
                change.businessDate, change.createdAtMilliseconds, Data(record), receivedFrom?.rawValue,
                reason == nil ? 0 : 1, reason, code, try nextSequence("applied"),
            ])
    }

    /// True when the change log already holds `id`.
    public func isLogged(_ id: ChangeID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM change_log WHERE origin = ? AND counter = ?"),
                          arguments: [id.origin.rawValue, id.counter]) ?? false
    }
}
