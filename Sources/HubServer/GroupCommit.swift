import BatchExchange
import Foundation
import LedgerCore

/// The hub's group commit (5/6): uploads and pulls that arrive while a transaction is being written are applied
/// together in the next one, with one fsync, instead of one transaction and one fsync each.
///
/// Nothing is held back on purpose. When the writer is idle a piece of work is committed at once, alone; while a
/// commit runs, everything that arrives queues and goes in the next group. A piece therefore waits at most for the
/// commit in progress and then its own group, and a group is bounded in pieces and in changes
/// (`workCountMax`, `changeCountMax`; a larger batch goes alone), so that wait is bounded too.
///
/// Each piece succeeds or fails alone (`BatchExchange.perform`: a savepoint per piece): a batch that fails does not
/// undo its neighbours, and the order of the queue is the order of application.
actor GroupCommit {
    typealias Perform = @Sendable ([GroupedExchangeWork]) async -> [Result<GroupedExchangeResult, any Error>]

    /// Pieces of work in one transaction at most.
    let workCountMax: Int
    /// Changes in one transaction at most (a single larger batch is committed alone).
    let changeCountMax: Int
    private let perform: Perform
    private let committed: @Sendable (_ pieceCount: Int, _ nanoseconds: Int64) -> Void
    private var queue: [Waiting] = []
    private var isCommitting = false

    private struct Waiting {
        var work: GroupedExchangeWork
        var changeCount: Int
        var continuation: CheckedContinuation<Result<GroupedExchangeResult, any Error>, Never>
    }

    /// - Parameters:
    ///   - perform: runs one group in one transaction (the hub's `exchange.perform`, off the cooperative pool).
    ///   - committed: told the size of every group and the time it took once it is committed (metrics).
    init(workCountMax: Int, changeCountMax: Int, perform: @escaping Perform,
         committed: @escaping @Sendable (_ pieceCount: Int, _ nanoseconds: Int64) -> Void = { _, _ in }) {
        precondition(workCountMax >= 1 && changeCountMax >= 1, "group commit limits out of range")
        self.workCountMax = workCountMax
        self.changeCountMax = changeCountMax
        self.perform = perform
        self.committed = committed
    }

    /// Queues `work` for the next group and returns what came of it once its group is committed.
    func submit(_ work: GroupedExchangeWork) async -> Result<GroupedExchangeResult, any Error> {
        await withCheckedContinuation { continuation in
            queue.append(Waiting(work: work, changeCount: Self.changeCount(of: work), continuation: continuation))
            if !isCommitting {
                isCommitting = true
                Task { await self.commitWhileQueued() }
            }
        }
    }

    /// Pieces waiting for the next group now (tests and metrics).
    var waitingCount: Int { queue.count }

    private func commitWhileQueued() async {
        while !queue.isEmpty {
            let group = takeGroup()
            let started = ContinuousClock.now
            let results = await perform(group.map(\.work))
            let elapsed = (ContinuousClock.now - started).components
            committed(group.count, elapsed.seconds &* 1_000_000_000 &+ elapsed.attoseconds / 1_000_000_000)
            for (waiting, result) in zip(group, results) { waiting.continuation.resume(returning: result) }
        }
        isCommitting = false
    }

    /// The head of the queue, as far as the limits allow (always at least one piece).
    private func takeGroup() -> [Waiting] {
        var count = 0
        var changes = 0
        for waiting in queue {
            guard count < workCountMax, count == 0 || changes + waiting.changeCount <= changeCountMax else { break }
            count += 1
            changes += waiting.changeCount
        }
        let group = Array(queue.prefix(count))
        queue.removeFirst(count)
        return group
    }

    private static func changeCount(of work: GroupedExchangeWork) -> Int {
        switch work {
        case .receive(let opened): opened.changes.count
        case .sealNext: 0
        }
    }
}
