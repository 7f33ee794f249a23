import Foundation
import GRDB
import LedgerCore

/// One write of a group committed together (`ReplicaStore.writeEach(_:)`): the policy it runs under and what it does.
public struct GroupedWrite<Result> {
    /// `nil` for a write that applies no change (sealing the next batch of a pull).
    public var policy: (any ReplicaPolicy)?
    public var body: (ReplicaTransaction) throws -> Result

    public init(policy: (any ReplicaPolicy)?, _ body: @escaping (ReplicaTransaction) throws -> Result) {
        self.policy = policy
        self.body = body
    }
}

extension ReplicaStore {
    /// Runs several writes in **one** SQLite transaction, each in its own savepoint: one commit, one fsync for all of
    /// them (the hub's group commit, 5/6), while each write still succeeds or fails alone. A write that throws is
    /// rolled back to its savepoint and reported as its `.failure`; its neighbours before and after it commit.
    ///
    /// Each write sees everything the writes before it in the group did, exactly as if they had been separate
    /// transactions in that order, and the state carried between writes (`WriteStateCache`) moves on only past the
    /// writes that succeeded.
    ///
    /// - Returns: one result per write, in order.
    /// - Throws: only what fails the whole group (the transaction cannot begin, or its commit fails): then nothing of
    ///   it is kept, and the caller reports the error to every write.
    public func writeEach<Result>(_ writes: [GroupedWrite<Result>]) throws -> [Swift.Result<Result, any Error>] {
        do {
            return try writeTransaction { db in
                let dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? -1
                var state = writeState.load(dataVersion: dataVersion)
                var results: [Swift.Result<Result, any Error>] = []
                results.reserveCapacity(writes.count)
                for write in writes {
                    var value: Result?
                    var after = state
                    do {
                        try db.inSavepoint {
                            let transaction = try ReplicaTransaction(db: db, store: self, policy: write.policy, state: state)
                            value = try write.body(transaction)
                            if let context = auditContext.value, transaction.booksChanged { try transaction.appendAudit(context) }
                            try transaction.flush()
                            after = (transaction.vector, transaction.currentRegistryView)
                            return .commit
                        }
                    } catch {
                        results.append(.failure(error))
                        // A rolled-back write leaves the state as the writes before it left it. If SQLite itself
                        // rolled the whole transaction back (it does on some I/O errors), the group fails below.
                        guard db.isInsideTransaction else { throw error }
                        continue
                    }
                    state = after
                    if let value { results.append(.success(value)) }
                }
                if let vector = state.vector {
                    writeState.store(vector: vector, registryView: state.registryView, dataVersion: dataVersion)
                } else {
                    writeState.clear()
                }
                return results
            }
        } catch {
            writeState.clear()
            throw error
        }
    }
}
