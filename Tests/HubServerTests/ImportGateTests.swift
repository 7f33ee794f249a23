@testable import HubServer
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
