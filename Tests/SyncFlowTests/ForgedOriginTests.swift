import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Regression tests of issue 2/6, finding 1: a node must not be able to erase another node's change at the hub.
///
/// Method: county B takes county A's batch file (a relay, a shared USB stick), puts A's changes with A's next
/// counters into a batch it signs with its own valid key, and uploads it before A's file arrives. Then A's genuine
/// file is imported. Nothing B sent may use up A's counters, A's vector entry or any stream position.
@Suite struct ForgedOriginTests {
    @Test func aNodeCannotEraseAnotherNodesChangeAtTheHub() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        let a = province.node("340121"), b = province.node("340122")
        try a.post([TestProvince.draft("340121:1002", "340121:6001", "12.50"),
                    TestProvince.draft("340121:1002", "340121:6001", "7.25")])
        let genuine = try province.export(from: "340121")
        let envelope = try BatchEnvelope.parse([UInt8](Data(contentsOf: try #require(genuine.first))))
        let stolen = try envelope.decodeChanges().map { Array($0.record) }
        #expect(stolen.count >= 2)

        let forged = try BatchSealer.seal(
            BatchAddressing(sender: b.org, recipient: TestProvince.province, batchSequence: 1, firstStreamPosition: 1,
                            ackStreamPosition: 0, ackVector: VersionVector(), createdAtMilliseconds: province.clock.nowMilliseconds()),
            records: stolen, signingKey: b.signingKey)
        let hubVectorBefore = try province.hub.store.versionVector()
        let refused = try province.hub.exchange.importBytes(forged, label: "forged-by-340122.fsb")

        guard case .failure(let error) = refused else {
            Issue.record("the forged batch was received: \(refused)")
            return
        }
        #expect(error.name == "origin-not-authorised", "\(error)")
        #expect(try province.hub.store.versionVector() == hubVectorBefore, "nothing B sent moves any vector entry")

        let outcomes = try expectReceived(province.hub.exchange.importFiles(genuine))
        #expect(outcomes.first?.applied == stolen.count, "A's genuine changes all apply")
        #expect(try province.hub.store.versionVector()[a.org] == a.store.versionVector()[a.org])
        #expect(try province.hub.store.balances(org: a.org) == a.store.balances(org: a.org))
        try province.deliverFromHub()
        #expect(try a.store.status().rejected == 0, "A receives no rejection for vouchers it wrote")

        // The refusal used up nothing of B's own stream either: B's next genuine batch applies from position 1.
        try b.post([TestProvince.draft("340122:1002", "340122:6001", "3.00")])
        let fromB = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        #expect(fromB.first?.applied == 2 && fromB.first?.rejected == 0, "B's release announcement and its voucher")
        #expect(try province.hub.store.versionVector()[b.org] == b.store.versionVector()[b.org])
        #expect(try province.hub.verify().isEmpty)
    }
}
