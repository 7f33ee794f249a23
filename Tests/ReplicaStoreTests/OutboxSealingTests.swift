import Foundation
import LedgerCore
import ReplicaStore
import SyncTesting
import Testing

/// Goal: the outbox is sealed in one transaction per call, an online pull seals exactly one batch, and a seal that
/// fails uses up nothing. Method: a hub store with two changes queued for the county, sealed one change per batch.
@Suite struct OutboxSealingTests {
    struct SealFailure: Error {}

    @Test func aPullSealsExactlyOneBatchAndTakesOneSequence() throws {
        let store = try ReplicaStoreTests.hubStore()
        let first = try store.sealOutgoing(to: ReplicaStoreTests.county, changeCountMax: 1, batchCountMax: 1) { $0 }
        #expect(first.count == 1)
        #expect(first.first?.batchSequence == 1 && first.first?.firstStreamPosition == 1 && first.first?.records.count == 1)
        // Not acknowledged yet, so the next pull seals the same first change again, under the next sequence.
        let second = try store.sealOutgoing(to: ReplicaStoreTests.county, changeCountMax: 1, batchCountMax: 1) { $0 }
        #expect(second.map(\.batchSequence) == [2] && second.map(\.firstStreamPosition) == [1])
        // A push seals everything: two batches of one change each.
        let all = try store.sealOutgoing(to: ReplicaStoreTests.county, changeCountMax: 1) { $0 }
        #expect(all.map(\.batchSequence) == [3, 4] && all.map(\.firstStreamPosition) == [1, 2])
    }

    @Test func aSealThatFailsUsesUpNoSequenceAndNoAcknowledgement() throws {
        let store = try ReplicaStoreTests.hubStore()
        #expect(throws: SealFailure.self) {
            _ = try store.sealOutgoing(to: ReplicaStoreTests.county) { _ -> [UInt8] in throw SealFailure() }
        }
        let sealed = try store.sealOutgoing(to: ReplicaStoreTests.county) { $0 }
        #expect(sealed.map(\.batchSequence) == [1], "the failed seal took no batch sequence")
        #expect(try store.peersWithSomethingToSend() == [ReplicaStoreTests.county], "the changes stay queued until acknowledged")
    }

    @Test func nothingToSendSealsNothing() throws {
        let store = try ReplicaStore.create(path: nil, role: .node, org: ReplicaStoreTests.county, clock: ManualClock())
        let sealed = try store.sealOutgoing(to: ReplicaStoreTests.hub, batchCountMax: 1) { $0 }
        #expect(sealed.isEmpty)
        #expect(try store.peersWithSomethingToSend().isEmpty)
    }
}
