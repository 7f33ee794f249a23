import Foundation
import GRDB
import LedgerCore

extension ReplicaTransaction {
    /// Applies a received batch: takes the sender's acknowledgement, then processes changes in stream order,
    /// parking any that must wait and releasing parked ones that can now go.
    func receive(_ batch: IncomingBatch) throws -> ReceiveOutcome {
        var outcome = ReceiveOutcome()
        outcome.changeCount = batch.changes.count
        outcome.acknowledged = try takeAcknowledgement(from: batch.sender, position: batch.ackStreamPosition)
        let peer = batch.sender.rawValue
        try db.execute(sql: "INSERT INTO stream_in (peer) VALUES (?) ON CONFLICT(peer) DO NOTHING", arguments: [peer])
        var applied = try Int64.fetchOne(db, sql: "SELECT applied_position FROM stream_in WHERE peer = ?", arguments: [peer]) ?? 0
        receivingFileHash = batch.fileHash
        receivingAck = batch.ackVector
        let superseded = try isSupersededByResync(batch)
        if superseded { outcome.superseded = batch.changes.count }
        for (index, item) in batch.changes.enumerated() where !superseded {
            let position = Int64(batch.firstStreamPosition) + Int64(index)
            if position <= applied {
                try countDuplicate(item.change, record: item.record, from: batch.sender, outcome: &outcome)
            } else if try isAnswerToResync(item.change) {
                // A restored node takes the hub's resync answer wherever it stands in the hub's stream: the answer
                // re-sends everything after the node's restored position, so the positions it skips hold nothing the
                // node lacks (§8.8). Anything parked before it is superseded.
                try db.execute(sql: "DELETE FROM pending WHERE peer = ? AND position < ?", arguments: [peer, position])
                try process(item.change, record: item.record, from: batch.sender, readiness: .ready, outcome: &outcome)
                applied = position
            } else if position == applied + 1, case let readiness = try readiness(of: item.change), readiness != .wait {
                try process(item.change, record: item.record, from: batch.sender, readiness: readiness, outcome: &outcome)
                applied = position
            } else {
                try db.cachedStatement(sql: "INSERT INTO pending (peer, position, record) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .execute(arguments: [peer, position, Data(item.record)])
                if db.changesCount > 0 { outcome.waiting += 1 } else { outcome.duplicates += 1 }
            }
        }
        let reported = "{" + batch.ackVector.sortedEntries.map { "\"\($0.origin.rawValue)\":\($0.counter)" }.joined(separator: ",") + "}"
        try db.execute(sql: """
            UPDATE stream_in SET applied_position = ?1, batches_received = batches_received + 1,
                highest_batch_sequence = CASE WHEN ?2 > highest_batch_sequence THEN ?2 ELSE highest_batch_sequence END,
                previous_reported_vector = CASE WHEN ?3 >= highest_batch_sequence AND reported_vector != ?4 AND ?6 = 0 THEN reported_vector
                    ELSE previous_reported_vector END,
                reported_vector = CASE WHEN ?3 >= highest_batch_sequence AND ?6 = 0 THEN ?4 ELSE reported_vector END WHERE peer = ?5
            """, arguments: [applied, Int64(batch.batchSequence), Int64(batch.batchSequence), reported, peer, superseded ? 1 : 0])
        try releasePending(outcome: &outcome)
        if outcome.duplicates > 0 {
            // The peer re-sent what we had applied: our acknowledgement did not reach it (an acknowledgement-only
            // batch can be lost too). Forget that it was sent, so the next export acknowledges again.
            try db.execute(sql: "UPDATE stream_in SET ack_sent_position = ? WHERE peer = ? AND ack_sent_position > ?",
                           arguments: [Int64(batch.firstStreamPosition) - 1, peer, Int64(batch.firstStreamPosition) - 1])
        }
        try db.execute(sql: """
            INSERT INTO received_batch (peer, batch_sequence, received_at_ms, change_count, applied_count, rejected_count,
                duplicate_count, pending_count, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [peer, Int64(batch.batchSequence), nowMilliseconds(), outcome.changeCount, outcome.applied,
                             outcome.rejected, outcome.duplicates, outcome.waiting, batch.fileHash])
        return outcome
    }

    enum Readiness {
        case ready, duplicate, wait
        /// One of this node's own changes, returned by the hub during resync (§8.8).
        case ownReturned
    }

    /// Whether a change at the head of its stream can be processed now. For an origin whose every change this
    /// replica receives, counters must arrive without gaps; dependencies are checked only for such origins.
    func readiness(of change: Change) throws -> Readiness {
        let origin = change.id.origin
        guard let policy else { preconditionFailure("receiving needs a policy") }
        if let state = try resync() {
            // A restored node applies nothing of the hub's stream before the hub's answer, which re-sends it all
            // (§8.8); after the answer, its own changes come back in counter order.
            guard let awaiting = state.awaitingThrough else { return .wait }
            if origin == org, change.id.counter > vector[org] {
                return change.id.counter == vector[org] + 1 && change.id.counter <= awaiting ? .ownReturned : .wait
            }
        }
        if origin == org { return .duplicate }
        if policy.receivesEveryChange(of: origin) {
            if change.id.counter <= vector[origin] { return .duplicate }
            if change.id.counter > vector[origin] + 1 { return .wait }
        } else if try isLogged(change.id) {
            return .duplicate
        }
        for (dependency, counter) in change.deps.counters where dependency != org && dependency != origin {
            if policy.receivesEveryChange(of: dependency), vector[dependency] < counter { return .wait }
        }
        return .ready
    }

    /// Applies or rejects one change whose `readiness` (computed once by the caller) is not `.wait`.
    func process(_ change: Change, record: ArraySlice<UInt8>, from peer: OrgCode, readiness: Readiness,
                 outcome: inout ReceiveOutcome) throws {
        guard let policy else { preconditionFailure("receiving needs a policy") }
        if readiness == .duplicate {
            try countDuplicate(change, record: record, from: peer, outcome: &outcome)
            return
        }
        if readiness == .ownReturned {
            try applyReturnedOwnChange(change, record: record)
            outcome.applied += 1
            return
        }
        afterApply.removeAll()
        let verdict = try policy.review(change, from: peer, in: self)
        try insertLog(change, record: record, receivedFrom: peer, verdict: verdict)
        defer { afterApply.removeAll() }
        if verdict == .apply {
            // A change that cannot be materialised (a field missing, a duplicate key) is rejected with the reason,
            // never half-applied: `ChangeApplier` reads and checks every field before its first write, and only that
            // first statement can hit a constraint, which SQLite undoes by itself (statement atomicity). So no
            // savepoint per change is needed on this hot path.
            do {
                try ChangeApplier.apply(change, in: self)
                outcome.applied += 1
                for effect in afterApply { try effect(self) }
            } catch {
                guard let rejection = Self.rejection(for: error, change: change) else { throw error }
                try markRejected(change.id, code: rejection.code, reason: rejection.reason)
                outcome.rejected += 1
                advanceVector(change.id)
                try policy.didReceive(change, verdict: .reject(code: rejection.code, reason: rejection.reason), in: self)
                return
            }
        } else {
            outcome.rejected += 1
        }
        advanceVector(change.id)
        if verdict == .apply, try isAnswerToResync(change) {
            try acceptResyncAnswer(change, from: peer)
            return
        }
        try policy.didReceive(change, verdict: verdict, in: self)
    }

    /// Counts a change this replica already holds: a replay, unless the logged change with that id has other bytes.
    /// Then its origin wrote two different changes under one id — restored from an old backup, or its key used
    /// elsewhere — and the copies of its books now differ. That is a **fork**: never a silent duplicate. It is counted
    /// as such, and at the hub raised as a security alert on the sender's link in this same transaction (2/6,
    /// finding 7). The logged change stays; the other one is not applied.
    func countDuplicate(_ change: Change, record: ArraySlice<UInt8>, from peer: OrgCode, outcome: inout ReceiveOutcome) throws {
        guard let logged = try Data.fetchOne(db.cachedStatement(sql: "SELECT record FROM change_log WHERE origin = ? AND counter = ?"),
                                             arguments: [change.id.origin.rawValue, change.id.counter]),
              !logged.elementsEqual(record) else {
            outcome.duplicates += 1
            return
        }
        outcome.forks += 1
        guard role == .hub else { return }
        let detail = "change \(change.id) (\(change.table) \(change.key)) arrived from \(peer) with other content than the change "
            + "\(change.id) already applied here: \(change.id.origin) wrote two different changes under one id (restored from an "
            + "old backup, or its key is used elsewhere). The first stays; the other was not applied."
        try db.execute(sql: """
            INSERT INTO security_alert (link, key_id, code, detail, file_hash, raised_at_ms) VALUES (?, '', 'fork', ?, ?, ?)
            """, arguments: [peer.rawValue, detail, receivingFileHash, nowMilliseconds()])
    }

    /// The code and reason to record when materialising a received change failed because of its content; `nil` for
    /// failures of the machine (disk, I/O), which must abort the whole batch instead.
    static func rejection(for error: any Error, change: Change) -> (code: String, reason: String)? {
        switch error {
        case let violation as LedgerRuleViolation: return (violation.name, violation.description)
        case let storeError as ReplicaStoreError: return ("invalid-record", storeError.description)
        case let databaseError as DatabaseError where databaseError.resultCode == .SQLITE_CONSTRAINT:
            return ("conflicting-record",
                    "\(change.table) \(change.key) conflicts with an existing record (\(databaseError.message ?? "constraint failed"))")
        default: return nil
        }
    }

    func markRejected(_ id: ChangeID, code: String, reason: String) throws {
        try db.execute(sql: "UPDATE change_log SET rejected = 1, reason = ?, reject_code = ? WHERE origin = ? AND counter = ?",
                       arguments: [reason, code, id.origin.rawValue, id.counter])
    }

    /// Processes parked changes, stream by stream, while the head of some stream is ready.
    func releasePending(outcome: inout ReceiveOutcome) throws {
        var progress = true
        while progress {
            progress = false
            // Only the streams that have something waiting: a batch costs the same with 100 or 3,000 peers (5/6).
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT peer, applied_position FROM stream_in WHERE peer IN (SELECT DISTINCT peer FROM pending) ORDER BY peer
                """)) {
                let peerText: String = row["peer"]
                guard let peer = OrgCode(peerText) else { continue }
                var applied: Int64 = row["applied_position"]
                while let record = try Data.fetchOne(db, sql: "SELECT record FROM pending WHERE peer = ? AND position = ?",
                                                     arguments: [peerText, applied + 1]) {
                    let bytes = [UInt8](record)
                    let change = try ChangeCodec.decode(bytes, range: 0..<bytes.count)
                    let readiness = try readiness(of: change)
                    guard readiness != .wait else { break }
                    try process(change, record: bytes[...], from: peer, readiness: readiness, outcome: &outcome)
                    try db.execute(sql: "DELETE FROM pending WHERE peer = ? AND position = ?", arguments: [peerText, applied + 1])
                    applied += 1
                    outcome.released += 1
                    progress = true
                }
                try db.execute(sql: "DELETE FROM pending WHERE peer = ? AND position <= ?", arguments: [peerText, applied])
                try db.execute(sql: "UPDATE stream_in SET applied_position = ? WHERE peer = ?", arguments: [applied, peerText])
            }
        }
    }

    /// Records that `peer` has processed our stream up to `position`, trimming the outbox. An acknowledgement
    /// beyond what was ever sent is clamped (it can only come from a peer restored from a newer backup).
    func takeAcknowledgement(from peer: OrgCode, position: UInt64) throws -> Int {
        guard let row = try Row.fetchOne(db, sql: "SELECT next_position, acked_position FROM stream_out WHERE peer = ?",
                                         arguments: [peer.rawValue]) else { return 0 }
        let next: Int64 = row["next_position"]
        let acked: Int64 = row["acked_position"]
        let clamped = min(Int64(clamping: position), next - 1)
        guard clamped > acked else { return 0 }
        try db.execute(sql: "UPDATE stream_out SET acked_position = ? WHERE peer = ?", arguments: [clamped, peer.rawValue])
        if role == .hub {
            // The hub keeps what it sent a node, so it can send its stream again to the node restored from a backup
            // (§8.8): an acknowledged entry moves out of the outbox instead of going away.
            try db.execute(sql: """
                INSERT INTO outbox_acknowledged (peer, position, origin, counter)
                SELECT peer, position, origin, counter FROM outbox WHERE peer = ? AND position <= ?
                ON CONFLICT DO NOTHING
                """, arguments: [peer.rawValue, clamped])
        }
        try db.execute(sql: "DELETE FROM outbox WHERE peer = ? AND position <= ?", arguments: [peer.rawValue, clamped])
        return db.changesCount
    }
}

extension ReplicaStore {
    /// Applies a verified batch from `batch.sender` in one transaction.
    /// An import that applied something is audited in its own transaction when `auditing` is set.
    public func receive(_ batch: IncomingBatch, policy: any ReplicaPolicy) throws -> ReceiveOutcome {
        try write(policy: policy) { transaction in try receive(batch, in: transaction) }
    }

    /// Receiving `batch` as one write of a group committed together (`writeEach(_:)`).
    public func groupedReceive(_ batch: IncomingBatch, policy: any ReplicaPolicy) -> GroupedWrite<ReceiveOutcome> {
        GroupedWrite(policy: policy) { transaction in try self.receive(batch, in: transaction) }
    }

    private func receive(_ batch: IncomingBatch, in transaction: ReplicaTransaction) throws -> ReceiveOutcome {
        var outcome = try transaction.receive(batch)
        if role == .hub, batch.resyncRequested { outcome.resyncAnswered = try transaction.answerResync(batch) }
        if role == .hub, !batch.resyncRequested, outcome.applied + outcome.released > 0 {
            try transaction.checkStatedRelease(of: batch.sender)
        }
        // A verified batch from this link was received: whatever failed before on it is over (hub-only storage,
        // written in this transaction, so it costs no second commit).
        if role == .hub {
            try transaction.db.execute(sql: "DELETE FROM link_failure WHERE peer = ?", arguments: [batch.sender.rawValue])
        }
        let applied = outcome.applied + outcome.released
        transaction.receivedChangeCount += applied
        transaction.auditNote = "batch \(batch.batchSequence) from \(batch.sender): \(applied) change(s) applied, "
            + "\(outcome.rejected) rejected (file hash \(batch.fileHash.prefix(16)))"
        return outcome
    }
}
