import Foundation
import GRDB
import LedgerCore

/// Where a restored or rebuilt node stands in its resync with the hub (PROTOCOL.md §8.8).
///
/// A node restored from a backup no longer knows which of its own counters and document numbers it had used after
/// the backup was taken, nor what the hub had sent it since. Posting on would fork it: a voucher `P000005` at the
/// hub and another `P000005` here. So it posts nothing until the hub has answered: its batches carry the resync
/// flag, the hub sends back the node's own changes it holds beyond the restored counter and its own stream again
/// from the restored position, and the node continues after the highest counter and document number.
public struct ResyncState: Equatable, Sendable {
    /// The node's own counter in the restored replica (0 for a rebuilt node).
    public var restoredCounter: Int64
    /// The hub's answer has arrived, and the node applies its own changes the hub returned, through this counter.
    public var awaitingThrough: Int64?

    public var description: String {
        if let awaitingThrough {
            return "restored at counter \(restoredCounter); applying this office's own changes returned by the hub, through \(awaitingThrough)"
        }
        return "restored at counter \(restoredCounter); waiting for the hub's resync answer (exchange with the hub: sync, or export and "
            + "carry the file, then import the hub's answer). Nothing can be posted until then"
    }
}

enum ResyncMeta {
    static let restoredCounter = "resync.restored_counter"
    static let awaitingThrough = "resync.awaiting_through"
    /// At the hub: the position of its latest resync answer in `node`'s stream.
    static func answerPosition(_ node: OrgCode) -> String { "resync.answer_position.\(node.rawValue)" }
}

extension ReplicaStore {
    /// Marks this node as restored (or rebuilt): until the hub's resync answer is applied it refuses to post, its
    /// batches ask the hub for resync, and of the hub's stream it applies only that answer (PROTOCOL.md §8.8).
    /// - Throws: `wrongRole` at the hub (a restored hub is resynchronised by its nodes' re-sending, §8.4).
    public func requireResync() throws {
        guard role == .node else { throw ReplicaStoreError(.wrongRole(expected: "node", actual: role.rawValue)) }
        try writeTransaction { db in
            let counter = try Int64.fetchOne(db, sql: "SELECT counter FROM version_vector WHERE origin = ?", arguments: [org.rawValue]) ?? 0
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", arguments: [ResyncMeta.restoredCounter, String(counter)])
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [ResyncMeta.awaitingThrough])
        }
    }

    /// The resync this node is in, or `nil` when it posts normally.
    public func resyncState() throws -> ResyncState? {
        try writer.read { db in try ReplicaTransaction.resyncState(db) }
    }
}

extension ReplicaTransaction {
    static func resyncState(_ db: Database) throws -> ResyncState? {
        guard let restored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [ResyncMeta.restoredCounter])
            .flatMap({ Int64($0) }) else { return nil }
        let awaiting = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [ResyncMeta.awaitingThrough])
            .flatMap { Int64($0) }
        return ResyncState(restoredCounter: restored, awaitingThrough: awaiting)
    }

    /// True while this node waits for the hub's answer to its resync and may write nothing (§8.8).
    public func awaitsResync() throws -> Bool { try resync() != nil }

    /// The node's resync, read once per transaction (the hub is never in one).
    func resync() throws -> ResyncState? {
        guard role == .node else { return nil }
        if let cachedResync { return cachedResync.state }
        let state = try Self.resyncState(db)
        cachedResync = CachedResync(state: state)
        return state
    }

    /// True when `change`, received from the hub, is the answer to this node's current resync request: the jump in
    /// the hub's stream is taken only for that (its restored counter is the one this node recorded at restore).
    func isAnswerToResync(_ change: Change) throws -> Bool {
        guard role == .node, change.table == ReplicatedTable.resync.rawValue, let state = try resync(), state.awaitingThrough == nil
        else { return false }
        return change.fields["node"]?.textValue == org.rawValue && change.fields["restored_counter"]?.integerValue == state.restoredCounter
    }

    /// Takes the hub's answer (after it was stored like any hub change): this node's stream to the hub continues
    /// after the hub's position (the hub holds everything up to it), and the node's own changes the hub returns
    /// follow in the stream. When there are none, the resync is over.
    func acceptResyncAnswer(_ change: Change, from hub: OrgCode) throws {
        let fields = FieldReader(change.fields, context: "resync \(change.key)")
        let hubPosition = try fields.integer("hub_position")
        let hubCounter = try fields.integer("hub_counter")
        try db.execute(sql: "INSERT INTO stream_out (peer) VALUES (?) ON CONFLICT(peer) DO NOTHING", arguments: [hub.rawValue])
        try raiseOutgoingPosition(for: hub, past: hubPosition)
        try db.execute(sql: "UPDATE stream_out SET acked_position = ? WHERE peer = ? AND acked_position < ?",
                       arguments: [hubPosition, hub.rawValue, hubPosition])
        try db.execute(sql: "DELETE FROM outbox WHERE peer = ? AND position <= ?", arguments: [hub.rawValue, hubPosition])
        try setAwaiting(through: hubCounter)
    }

    func setAwaiting(through counter: Int64) throws {
        guard let state = try resync() else { return }
        if vector[org] >= counter {
            try db.execute(sql: "DELETE FROM meta WHERE key IN (?, ?)", arguments: [ResyncMeta.restoredCounter, ResyncMeta.awaitingThrough])
            cachedResync = CachedResync(state: nil)
        } else {
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", arguments: [ResyncMeta.awaitingThrough, String(counter)])
            cachedResync = CachedResync(state: ResyncState(restoredCounter: state.restoredCounter, awaitingThrough: counter))
        }
    }

    /// Applies one of this node's own changes that the hub returned during resync: logged as written here (it was),
    /// materialised, and never queued again (the hub holds it). The document numbering moves past its id.
    func applyReturnedOwnChange(_ change: Change, record: ArraySlice<UInt8>) throws {
        try insertLog(change, record: record, receivedFrom: nil, verdict: .apply)
        try ChangeApplier.apply(change, in: self)
        advanceVector(change.id)
        if let (name, number) = DocumentNumbering.sequence(of: change.key, org: org) {
            try raiseSequence(name, past: number)
        }
        if let awaiting = try resync()?.awaitingThrough { try setAwaiting(through: awaiting) }
    }
}

/// Which numbering sequence a document id of this office was taken from (`nextSequence`), so that a node that got its
/// own documents back from the hub continues after the highest number, never reusing one.
public enum DocumentNumbering {
    /// `<org>-<LETTERS><digits>` → the letters (`L`, the audit log, is sequence `audit`); `<org>-S<year>-<digits>` →
    /// `slip.<year>`; `<org>-D<year>-<digits>` → `allocation.<year>`. `nil` for any other key.
    public static func sequence(of key: String, org: OrgCode) -> (name: String, number: Int)? {
        let prefix = org.rawValue + "-"
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        let letters = rest.prefix { $0.isASCII && $0.isUppercase }
        guard !letters.isEmpty else { return nil }
        let tail = rest.dropFirst(letters.count)
        if let number = digits(tail) {
            return (letters == "L" ? "audit" : String(letters), number)
        }
        let parts = tail.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, digits(parts[0]) != nil, let number = digits(parts[1]) else { return nil }
        switch letters {
        case "S": return ("slip.\(parts[0])", number)
        case "D": return ("allocation.\(parts[0])", number)
        default: return nil
        }
    }

    /// A run of 1 to 18 ASCII digits as a number (no sign, nothing else), so no outside key can overflow it.
    static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}

extension ReplicaTransaction {
    /// The hub's answer to a node's resync request (a verified batch with the resync flag, §8.8), queued for that node
    /// in this receive transaction:
    /// 1. a `resync` record saying where both streams continue: the node's counter and stream position as the hub
    ///    holds them;
    /// 2. the node's own changes the hub holds beyond the node's restored counter, in counter order;
    /// 3. the hub's stream to the node again, from the node's restored position, in stream order.
    ///
    /// Changes of the node the hub had parked (waiting for an earlier position) are discarded and counted: the node
    /// continues its stream after the hub's position, so those positions will carry other changes.
    /// An answer still unacknowledged for the same restored counter is not repeated (every export re-sends it).
    /// - Returns: true when an answer was queued.
    @discardableResult
    func answerResync(_ batch: IncomingBatch) throws -> Bool {
        let node = batch.sender
        // Only a release-2 node asks for a resync: its answer, and whatever was held for it, can go to it now.
        try raiseStatedRelease(node, atLeast: 2)
        // A request whose bytes the hub has already received (logged by `receive` just before, so counted twice) is a
        // replayed or duplicated file, not a new restore: answering it again after the node has taken the first answer
        // would supersede the node's batches from then on (§8.8 step 4), and their documents would be judged against
        // acknowledgements taken meanwhile. A new restore seals new requests (each export takes a new batch sequence).
        let seen = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM received_batch WHERE peer = ? AND file_hash = ?",
                                    arguments: [node.rawValue, batch.fileHash]) ?? 0
        if seen > 1 {
            try releaseHeldChanges(for: node)
            return false
        }
        // The node's registry went back with its restore, and its batch sequences restarted from the backup's: what it
        // acknowledged before the loss is no longer what it knows. Its personal signatures are judged from the
        // acknowledgement of this request on (§14.5), or every document it signs before it has re-applied the hub's
        // re-sent registry would be refused as registry-version-stale.
        let restoredAck = "{" + batch.ackVector.sortedEntries.map { "\"\($0.origin.rawValue)\":\($0.counter)" }.joined(separator: ",") + "}"
        try db.execute(sql: """
            UPDATE stream_in SET reported_vector = ?1, previous_reported_vector = ?1, highest_batch_sequence = ?2 WHERE peer = ?3
            """, arguments: [restoredAck, Int64(clamping: batch.batchSequence), node.rawValue])
        acknowledgedVectors[node] = nil
        let restoredCounter = batch.ackVector[node]
        let restoredPosition = Int64(clamping: batch.ackStreamPosition)
        let outstanding = try Bool.fetchOne(db, sql: """
            SELECT 1 FROM resync r
            JOIN change_log c ON c.origin = ? AND c.tbl = 'resync' AND c.key = r.id
            JOIN outbox o ON o.peer = ? AND o.origin = c.origin AND o.counter = c.counter
            WHERE r.node = ? AND r.restored_counter = ?
            """, arguments: [org.rawValue, node.rawValue, node.rawValue, restoredCounter]) ?? false
        guard !outstanding else {
            try releaseHeldChanges(for: node)
            return false
        }
        let hubPosition = try Int64.fetchOne(db, sql: "SELECT applied_position FROM stream_in WHERE peer = ?", arguments: [node.rawValue]) ?? 0
        try db.execute(sql: "DELETE FROM pending WHERE peer = ?", arguments: [node.rawValue])
        let discarded = db.changesCount
        let returned = try Int64.fetchAll(db, sql: "SELECT counter FROM change_log WHERE origin = ? AND counter > ? ORDER BY counter",
                                          arguments: [node.rawValue, restoredCounter])
        let resent = try Row.fetchAll(db, sql: """
            SELECT origin, counter FROM (
                SELECT position, origin, counter FROM outbox_acknowledged WHERE peer = ?1 AND position > ?2
                UNION ALL SELECT position, origin, counter FROM outbox WHERE peer = ?1 AND position > ?2)
            ORDER BY position
            """, arguments: [node.rawValue, restoredPosition]).compactMap { row -> ChangeID? in
                guard let origin = OrgCode(row["origin"] as String) else { return nil }
                return ChangeID(origin: origin, counter: row["counter"])
            }
        let key = "\(org.rawValue)-Y\(try nextSequence("resync"))"
        try appendLocal(table: .resync, key: key, operation: .insert, fields: [
            "node": .text(node.rawValue), "restored_counter": .integer(restoredCounter),
            "restored_position": .integer(restoredPosition), "hub_counter": .integer(vector[node]),
            "hub_position": .integer(hubPosition), "returned_changes": .integer(Int64(returned.count)),
            "resent_changes": .integer(Int64(resent.count)), "discarded_waiting": .integer(Int64(discarded)),
        ])
        let answerPosition = try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM outbox WHERE peer = ?", arguments: [node.rawValue]) ?? 0
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       arguments: [ResyncMeta.answerPosition(node), String(answerPosition)])
        for counter in returned { try enqueue(ChangeID(origin: node, counter: counter), to: node) }
        for id in resent { try enqueue(id, to: node) }
        try releaseHeldChanges(for: node)
        return true
    }

    /// True when `batch` was sealed by `node` before it took the hub's latest resync answer: it carries changes the
    /// restored node no longer has (a file still travelling when its disk was lost), at positions and counters the
    /// node now uses for other changes. Its changes are not applied (§8.8); a batch asking for resync is never
    /// superseded (it carries what the restored node holds).
    func isSupersededByResync(_ batch: IncomingBatch) throws -> Bool {
        guard role == .hub, !batch.resyncRequested, !batch.changes.isEmpty,
              let answer = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"),
                                               arguments: [ResyncMeta.answerPosition(batch.sender)]).flatMap({ Int64($0) })
        else { return false }
        return Int64(clamping: batch.ackStreamPosition) < answer
    }
}
