import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// One piece of work of a group commit at the hub: an upload to apply, or the next batch of a pull to seal.
public enum GroupedExchangeWork: Sendable {
    case receive(OpenedBatch)
    /// Seal the next batch for `peer`, encrypted for `encryptFor` when given (as `sealNext(for:encryptFor:)`).
    case sealNext(peer: OrgCode, encryptFor: EncryptionPublicKey?)
}

/// What one piece of grouped work came to.
public enum GroupedExchangeResult: Sendable {
    case received(ReceiveOutcome)
    /// The sealed batch, or `nil` when there was nothing to send.
    case sealed([UInt8]?)
}

extension BatchExchange {
    /// Opens an upload without applying it (`BatchInbox.openBytes`): the CPU-heavy part of an import (signature,
    /// decryption, decompression, decoding), which the server runs in parallel, outside the writer's transaction.
    /// A refused upload is quarantined and reported to the observer, as `importBytes` does.
    /// - Throws: only what is not the batch's fault (the office's key or the quarantine cannot be read or written).
    public func openBytes(_ bytes: [UInt8], label: String) throws -> Result<OpenedBatch, BatchDecodingError> {
        try BatchInbox.openBytes(bytes, label: label, recipient: org, quarantine: office.quarantine,
                                 nowMilliseconds: office.clock.nowMilliseconds, decryptionKey: try office.encryptionKeys.loadPrivateKey(),
                                 originRule: office.originRule, resolveKey: office.resolveKey, refused: noteRefusal)
    }

    /// Applies opened uploads and seals pulls in **one** transaction and one fsync (`ReplicaStore.writeEach`), each in
    /// its own savepoint, in the order given: every piece succeeds or fails alone, as if it had been its own
    /// transaction. A receive that fails is told to the observer (a failed apply of that link), after the commit.
    ///
    /// - Returns: one result per piece, in order. When the shared transaction itself fails (it cannot begin, or the
    ///   commit fails), every piece fails with that error and nothing of the group is kept.
    public func perform(_ work: [GroupedExchangeWork]) -> [Result<GroupedExchangeResult, any Error>] {
        var results = [Result<GroupedExchangeResult, any Error>?](repeating: nil, count: work.count)
        var writes: [GroupedWrite<GroupedExchangeResult>] = []
        var writeIndexes: [Int] = []
        for (index, piece) in work.enumerated() {
            switch piece {
            case .receive(let opened):
                let policy: any ReplicaPolicy
                do {
                    let base = try office.policy(opened.header)
                    policy = policyHook.map { $0(base) } ?? base
                } catch {
                    results[index] = .failure(error)
                    continue
                }
                let batch = IncomingBatch(header: opened.header, changes: opened.changes, fileHash: opened.fileHash)
                let write = office.store.groupedReceive(batch, policy: policy)
                writes.append(GroupedWrite(policy: write.policy) { .received(try write.body($0)) })
            case .sealNext(let peer, let key):
                let write = office.store.groupedSealNext(to: peer) { batch in try self.seal(batch, encryptFor: key) }
                writes.append(GroupedWrite(policy: nil) { .sealed(try write.body($0)) })
            }
            writeIndexes.append(index)
        }
        let written: [Result<GroupedExchangeResult, any Error>]
        do {
            written = try office.store.writeEach(writes)
        } catch {
            written = Array(repeating: .failure(error), count: writes.count)
        }
        for (index, result) in zip(writeIndexes, written) { results[index] = result }
        for (piece, result) in zip(work, results) {
            if case .receive(let opened) = piece, case .failure(let error)? = result {
                office.observer?.applyFailed(sender: opened.header.sender, error: error)
            }
        }
        return results.compactMap { $0 }  // every slot was set above
    }
}
