import BatchExchange
@testable import HubServer
import LedgerCore
import Testing

/// 2/6 finding 4, bounded import concurrency. Goal: at most `concurrencyMax` uploads apply at once, at most
/// `waitingCountMax` wait, and the next one is answered `busy` (503 with Retry-After) instead of queueing without end;
/// a freed turn goes to the first waiting upload. Method: the gate alone, with turns taken and given back by hand.
@Suite struct ImportGateTests {
    @Test func turnsAreBoundedAndTheOverflowIsBusy() async throws {
        let gate = ImportGate(concurrencyMax: 1, waitingCountMax: 1)
        try await gate.enter()
        let waiter = Task { try await gate.enter() }
        while await gate.counts.waiting == 0 { await Task.yield() }
        let refused = await #expect(throws: HubAPIError.self) { try await gate.enter() }
        #expect(refused?.reason == "busy" && refused?.status == .serviceUnavailable && refused?.headers[.retryAfter] == "1")
        await gate.leave()  // hands the turn to the waiting upload
        try await waiter.value
        let afterHandOver = await gate.counts
        #expect(afterHandOver.active == 1 && afterHandOver.waiting == 0)
        await gate.leave()
        let afterAll = await gate.counts
        #expect(afterAll.active == 0)
    }

    @Test func aTurnIsGivenBackWhenTheImportThrows() async throws {
        struct Failure: Error {}
        let gate = ImportGate(concurrencyMax: 1, waitingCountMax: 0)
        await #expect(throws: Failure.self) { try await gate.withTurn { () async throws -> Int in throw Failure() } }
        #expect(try await gate.withTurn { 7 } == 7, "the failed import gave its turn back")
    }
}

/// 5/6 item 3: the gate also bounds the bytes of the uploads it holds, so many small uploads share a commit while
/// large ones go a few at a time; an upload larger than the whole budget still goes, alone; turns stay in order.
@Suite struct ImportGateBytesTests {
    @Test func bytesAreBoundedInOrderAndAnOversizedUploadGoesAlone() async throws {
        let gate = ImportGate(concurrencyMax: 8, bytesMax: 100, waitingCountMax: 8)
        try await gate.enter(bytes: 60)
        let second = Task { try await gate.enter(bytes: 60) }
        while await gate.counts.waiting == 0 { await Task.yield() }
        // A small upload behind a waiting one waits its turn too (first come, first served).
        let third = Task { try await gate.enter(bytes: 10) }
        while await gate.counts.waiting < 2 { await Task.yield() }
        #expect(await gate.counts.active == 1)
        await gate.leave(bytes: 60)
        try await second.value
        try await third.value
        let both = await gate.counts
        #expect(both.active == 2 && both.waiting == 0)
        await gate.leave(bytes: 60)
        await gate.leave(bytes: 10)
        try await gate.enter(bytes: 500)  // larger than the budget, but alone
        #expect(await gate.counts.active == 1)
        await gate.leave(bytes: 500)
    }

    @Test func theBytesWaitingAreBoundedTooButOneUploadMayAlwaysWait() async throws {
        let gate = ImportGate(concurrencyMax: 1, bytesMax: 1_000, waitingCountMax: 8, waitingBytesMax: 50)
        try await gate.enter(bytes: 10)
        let large = Task { try await gate.enter(bytes: 400) }  // over the waiting budget, but the only one waiting
        while await gate.counts.waiting == 0 { await Task.yield() }
        let refused = await #expect(throws: HubAPIError.self) { try await gate.enter(bytes: 20) }
        #expect(refused?.reason == "busy")
        await gate.leave(bytes: 10)
        try await large.value
        let small = Task { try await gate.enter(bytes: 20) }  // the waiting budget is free again
        while await gate.counts.waiting == 0 { await Task.yield() }
        await gate.leave(bytes: 400)
        try await small.value
        await gate.leave(bytes: 20)
        #expect(await gate.counts.active == 0)
    }
}

/// 5/6 item 3, the group commit's queue. Goal: work that arrives while a commit runs goes in the next group, in
/// order, bounded in pieces and in changes; every piece gets its own result. Method: a `perform` that holds the first
/// group until the test has queued more, and records each group it is given.
@Suite struct GroupCommitQueueTests {
    @Test func workArrivingDuringACommitIsGroupedInOrderWithinTheLimits() async throws {
        let recorder = GroupRecorder()
        let commit = GroupCommit(workCountMax: 3, changeCountMax: 1_000, perform: { work in
            await recorder.record(work)
            return work.map { piece -> Result<GroupedExchangeResult, any Error> in
                guard case .sealNext(let peer, _) = piece else { return .success(.sealed(nil)) }
                return .success(.sealed(Array(peer.rawValue.utf8)))
            }
        })
        let peers = (1...7).map { OrgCode(String(340_120 + $0))! }
        let firstTask = Task { await commit.submit(.sealNext(peer: peers[0], encryptFor: nil)) }
        while await recorder.groups.isEmpty { await Task.yield() }  // the first group (alone) is being committed
        var tasks: [Task<Result<GroupedExchangeResult, any Error>, Never>] = []
        for peer in peers.dropFirst() {
            tasks.append(Task { await commit.submit(.sealNext(peer: peer, encryptFor: nil)) })
            while await commit.waitingCount < tasks.count { await Task.yield() }  // queued in this order
        }
        await recorder.release()
        var answers = [await firstTask.value]
        for task in tasks { answers.append(await task.value) }
        for (peer, answer) in zip(peers, answers) {
            guard case .success(.sealed(let bytes?)) = answer else {
                Issue.record("no answer for \(peer): \(answer)")
                continue
            }
            #expect(bytes == Array(peer.rawValue.utf8), "each piece gets its own result")
        }
        let sizes = await recorder.groups.map(\.count)
        #expect(sizes == [1, 3, 3], "alone when idle, then the queue in groups of at most 3: \(sizes)")
    }
}

/// Holds the first group until released, and records every group.
private actor GroupRecorder {
    private(set) var groups: [[GroupedExchangeWork]] = []
    private var gate: CheckedContinuation<Void, Never>?
    private var released = false

    func record(_ work: [GroupedExchangeWork]) async {
        groups.append(work)
        if groups.count == 1 && !released { await withCheckedContinuation { gate = $0 } }
    }

    func release() {
        released = true
        gate?.resume()
        gate = nil
    }
}
