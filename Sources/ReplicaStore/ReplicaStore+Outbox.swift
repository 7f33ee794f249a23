import Foundation
import GRDB
import LedgerCore

/// A batch ready to be sealed: addressing fields and the encoded change records of consecutive stream positions.
public struct OutgoingBatch: Sendable {
    public var peer: OrgCode
    public var batchSequence: UInt64
    /// 0 when the batch only carries an acknowledgement.
    public var firstStreamPosition: UInt64
    public var ackStreamPosition: UInt64
    public var ackVector: VersionVector
    public var records: [[UInt8]]
    /// This replica was restored and waits for the hub's resync answer (PROTOCOL.md §8.8): the batch asks for it.
    public var resyncRequested = false
}

extension ReplicaStore {
    /// The peers this replica has something for: unacknowledged changes, or an acknowledgement not yet sent.
    public func peersWithSomethingToSend() throws -> [OrgCode] {
        try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT peer FROM outbox GROUP BY peer
                UNION SELECT peer FROM stream_in WHERE applied_position > ack_sent_position
                ORDER BY 1
                """).compactMap(OrgCode.init)
        }
    }

    /// Prepares the batches for `peer`: every unacknowledged change, split into batches of at most
    /// `changeCountMax`, or one empty batch that carries only the acknowledgement. Each batch takes the next batch
    /// sequence of the link. Returns `[]` when there is nothing to send. Nothing is marked as sent (tests and tools
    /// that seal by hand); the exchange seals with `sealOutgoing(to:changeCountMax:batchCountMax:_:)`.
    ///
    /// Changes stay in the outbox until the peer acknowledges them, so they are re-sent by every export until then.
    public func prepareExport(to peer: OrgCode, changeCountMax: Int = Limits.exportChangeCountMax) throws -> [OutgoingBatch] {
        try writeTransaction { db in try prepareBatches(db, to: peer, changeCountMax: changeCountMax, batchCountMax: Int.max) }
    }

    /// Prepares at most `batchCountMax` batches for `peer` (as `prepareExport`) and hands each to `seal`, all in one
    /// write transaction that also records the acknowledgement they carry as sent. If `seal` throws, nothing is
    /// used up: no batch sequence is taken and the acknowledgement is not counted as sent.
    ///
    /// With `batchCountMax: 1` this is "the next batch" of an online pull: one transaction, one batch sealed.
    public func sealOutgoing<Sealed>(to peer: OrgCode, changeCountMax: Int = Limits.exportChangeCountMax, batchCountMax: Int = Int.max,
                                     _ seal: (OutgoingBatch) throws -> Sealed) throws -> [Sealed] {
        precondition(batchCountMax >= 1, "batchCountMax must be at least 1")
        return try writeTransaction { db in
            try sealOutgoing(db, to: peer, changeCountMax: changeCountMax, batchCountMax: batchCountMax, seal)
        }
    }

    /// Sealing the next batch for `peer` (an online pull) as one write of a group committed together
    /// (`writeEach(_:)`): `nil` when there is nothing to send.
    public func groupedSealNext<Sealed>(to peer: OrgCode, _ seal: @escaping (OutgoingBatch) throws -> Sealed) -> GroupedWrite<Sealed?> {
        GroupedWrite(policy: nil) { transaction in
            try self.sealOutgoing(transaction.db, to: peer, changeCountMax: Limits.exportChangeCountMax, batchCountMax: 1, seal).first
        }
    }

    private func sealOutgoing<Sealed>(_ db: Database, to peer: OrgCode, changeCountMax: Int, batchCountMax: Int,
                                      _ seal: (OutgoingBatch) throws -> Sealed) throws -> [Sealed] {
        let batches = try prepareBatches(db, to: peer, changeCountMax: changeCountMax, batchCountMax: batchCountMax)
        let sealed = try batches.map(seal)
        if let ack = batches.map(\.ackStreamPosition).max() {
            try db.execute(sql: "UPDATE stream_in SET ack_sent_position = ? WHERE peer = ? AND ack_sent_position < ?",
                           arguments: [Int64(ack), peer.rawValue, Int64(ack)])
        }
        return sealed
    }

    private func prepareBatches(_ db: Database, to peer: OrgCode, changeCountMax: Int, batchCountMax: Int) throws -> [OutgoingBatch] {
        precondition(changeCountMax >= 1 && changeCountMax <= Limits.batchChangeCountMax, "changeCountMax out of range")
        // Two entries of the vector, not the whole of it (one per office): a pull costs the same at 3,000 nodes (5/6).
        let counter = try db.cachedStatement(sql: "SELECT counter FROM version_vector WHERE origin = ?")
        let ownCounter = try Int64.fetchOne(counter, arguments: [org.rawValue]) ?? 0
        let peerCounter = try Int64.fetchOne(counter, arguments: [peer.rawValue]) ?? 0
        let applied = try Int64.fetchOne(db, sql: "SELECT applied_position FROM stream_in WHERE peer = ?",
                                         arguments: [peer.rawValue]) ?? 0
        let ackSent = try Int64.fetchOne(db, sql: "SELECT ack_sent_position FROM stream_in WHERE peer = ?",
                                         arguments: [peer.rawValue]) ?? 0
        // Only the rows the batches will hold are read: a pull of one batch does not load a long outbox.
        let rowCountMax = batchCountMax >= Int.max / changeCountMax ? Int64.max : Int64(batchCountMax * changeCountMax)
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.position, c.record FROM outbox o JOIN change_log c ON c.origin = o.origin AND c.counter = o.counter
            WHERE o.peer = ? ORDER BY o.position LIMIT ?
            """, arguments: [peer.rawValue, rowCountMax])
        // A restored node asks the hub for resync in every batch until the answer arrives, and sends one even when it
        // has nothing else to say (§8.8).
        let asksResync = role == .node ? try ReplicaTransaction.resyncState(db).map { $0.awaitingThrough == nil } ?? false : false
        if rows.isEmpty && applied <= ackSent && !asksResync { return [] }
        var ackVector = VersionVector()
        ackVector.advance(org, to: ownCounter)
        ackVector.advance(peer, to: peerCounter)
        var chunks: [[Row]] = stride(from: 0, to: rows.count, by: changeCountMax).map { Array(rows[$0..<min($0 + changeCountMax, rows.count)]) }
        if chunks.isEmpty { chunks = [[]] }
        try db.execute(sql: "INSERT INTO stream_out (peer) VALUES (?) ON CONFLICT(peer) DO NOTHING", arguments: [peer.rawValue])
        var sequence = try Int64.fetchOne(db, sql: "SELECT next_batch_sequence FROM stream_out WHERE peer = ?",
                                          arguments: [peer.rawValue]) ?? 1
        var batches: [OutgoingBatch] = []
        for chunk in chunks {
            let first: Int64 = chunk.first?["position"] ?? 0
            batches.append(OutgoingBatch(peer: peer, batchSequence: UInt64(sequence), firstStreamPosition: UInt64(first),
                                         ackStreamPosition: UInt64(applied), ackVector: ackVector,
                                         records: chunk.map { [UInt8]($0["record"] as Data) }, resyncRequested: asksResync))
            sequence += 1
        }
        try db.execute(sql: "UPDATE stream_out SET next_batch_sequence = ? WHERE peer = ?", arguments: [sequence, peer.rawValue])
        return batches
    }


    static func loadVector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT origin, counter FROM version_vector") {
            if let origin = OrgCode(row[0]) { vector.advance(origin, to: row[1]) }
        }
        return vector
    }
}
