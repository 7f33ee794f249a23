import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import SyncTesting
import Testing

/// The sync driver against a real hub and node in-process (no sockets): it converges, never applies a change twice
/// under retries and lost answers, and stops within its limits.
@Suite struct SyncSessionTests {
    let limits = SyncLimits(retryAttemptCountMax: 3, retryDelayMillisecondsInitial: 1, retryDelayMillisecondsMax: 2)

    func post(_ count: Int, at node: Node) throws {
        for index in 0..<count {
            let org = node.org.rawValue
            _ = try node.post([TestProvince.draft("\(org):1002", "\(org):6001", "\(index + 1).00")])
        }
    }

    /// The node's own counter equals the hub's vector entry for it, and both replicas verify.
    func expectConverged(_ province: TestProvince, _ node: Node, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let own = try node.store.versionVector()[node.org]
        #expect(try province.hub.store.versionVector()[node.org] == own, sourceLocation: sourceLocation)
        #expect(try province.hub.verify().isEmpty, sourceLocation: sourceLocation)
        #expect(try node.verify().isEmpty, sourceLocation: sourceLocation)
    }

    @Test func pushThenPullConvergesAndLeavesNothingToSend() async throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        try post(3, at: node)
        let transport = InProcessHubTransport(hub: province.hub, node: node.org)
        let report = await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
        #expect(report.outcome == .complete, "\(report.summary)")
        #expect(report.uploadedChangeCount == 4, "three vouchers and the node's release announcement (§6.28)")
        try expectConverged(province, node)
        #expect(try node.store.status().outbox == 0)
        #expect(try province.hub.store.status().peers.first { $0.peer == "340121" }?.outbox == 0)
        // A second session has nothing to do.
        let again = await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
        #expect(again.outcome == .complete && again.uploadedBatchCount == 0 && again.downloadedBatchCount == 0)
    }

    @Test func anAnswerLostAfterTheHubAppliedIsSettledWithoutApplyingTwice() async throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        try post(2, at: node)
        let transport = InProcessHubTransport(hub: province.hub, node: node.org, uploadFaults: [.answerLostAfterApply])
        let report = await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
        #expect(report.outcome == .complete, "\(report.summary)")
        #expect(report.uncertainUploadCount == 1)
        try expectConverged(province, node)
        // Applied exactly once: two vouchers at the hub, not four.
        #expect(try province.hub.store.status().vouchers == 2)
    }

    @Test func anUploadLostBeforeTheHubIsReportedUncertainAndTheNextSyncSettlesIt() async throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        // A first session acknowledges the registry, so the hub has nothing to send when the upload is lost.
        _ = await SyncSession.run(node: node, transport: InProcessHubTransport(hub: province.hub, node: node.org), limits: limits,
                                  clock: ContinuousClock())
        try post(1, at: node)
        let lossy = InProcessHubTransport(hub: province.hub, node: node.org, uploadFaults: [.lostBeforeHub])
        let first = await SyncSession.run(node: node, transport: lossy, limits: limits, clock: ContinuousClock())
        #expect(first.outcome == .uncertain, "\(first.summary)")
        #expect(first.summary.hasPrefix("uncertain: the next sync settles it by acknowledgement"))
        #expect(try province.hub.store.versionVector()[node.org] == 1, "only the release announcement of the first session")
        let second = await SyncSession.run(node: node, transport: InProcessHubTransport(hub: province.hub, node: node.org),
                                           limits: limits, clock: ContinuousClock())
        #expect(second.outcome == .complete, "\(second.summary)")
        try expectConverged(province, node)
    }

    @Test func transientFailuresAreRetriedWithinTheLimit() async throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        try post(1, at: node)
        // A registry change for the node, so the batch altered on the way down carries changes the hub re-sends.
        try province.hub.putAccount(AccountRecord(id: "340121:1001", org: node.org, kind: .subject, code: "1001", name: "Cash",
                                                  currency: .cny, status: .active))
        let transport = InProcessHubTransport(hub: province.hub, node: node.org, uploadFaults: [.unreachable, .serverFailure],
                                              downloadFaults: [.unreachable, .flipByte])
        let report = await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
        #expect(report.outcome == .complete, "\(report.summary)")
        #expect(report.retryCount == 4)
        try expectConverged(province, node)
        // The altered download was refused and kept in the node's quarantine.
        #expect(try BatchFiles.quarantineCount(in: node.directory.quarantine) == 1)
        #expect(try node.store.status().outbox == 0)
        #expect(try province.hub.store.status().peers.first { $0.peer == "340121" }?.outbox == 0)
    }

    @Test func anUnreachableHubEndsTheSessionAfterTheAttemptLimit() async throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        try post(1, at: node)
        let transport = InProcessHubTransport(hub: province.hub, node: node.org, uploadFaults: Array(repeating: .unreachable, count: 10))
        let report = await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
        guard case .failed = report.outcome else { Issue.record("expected failed: \(report.summary)"); return }
        #expect(transport.uploadAttemptCount == limits.retryAttemptCountMax)
        // Nothing lost: the change is still in the outbox for the next sync.
        #expect(try node.store.status().outbox == 2, "the change and the release announcement")
    }
}
