import BatchExchange
import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// 5/6 item 3, the hub's group commit. Goal: uploads and pulls applied in one transaction still succeed or fail
/// alone — a batch that fails does not undo its neighbours, a pull in the same group sees what the uploads before it
/// applied — and the failed batch applies later, whole. Method: three counties' batches opened, then handed to
/// `BatchExchange.perform` as one group with a pull; the hub's review is made to fail for one county's changes only
/// (a storage failure, not a verdict), as a damaged table would.
@Suite struct GroupCommitTests {
    @Test func aFailedBatchInAGroupUndoesNothingOfItsNeighboursAndAppliesLater() throws {
        let counties = ["340121", "340122", "340123"]
        let province = try TestProvince(counties: counties)
        defer { province.remove() }
        var opened: [String: OpenedBatch] = [:]
        for (index, code) in counties.enumerated() {
            try province.node(code).post([TestProvince.draft("\(code):1002", "\(code):6001", "\(index + 1)0.00")])
            let files = try province.export(from: code)
            try #require(files.count == 1)
            guard case .success(let batch) = try province.hub.exchange.openBytes(try BatchFiles.read(files[0]), label: "\(code).fsb") else {
                Issue.record("the batch of \(code) did not open")
                return
            }
            opened[code] = batch
        }
        let failing = OrgCode("340122")!
        var exchange = province.hub.exchange
        exchange.policyHook = { base in FailsForOnePeer(base: base, peer: failing) }
        let first = OrgCode("340121")!
        let results = exchange.perform([
            .receive(opened["340121"]!), .receive(opened["340122"]!), .receive(opened["340123"]!),
            .sealNext(peer: first, encryptFor: nil),
        ])
        try #require(results.count == 4)
        guard case .success(.received(let outcomeA)) = results[0], case .failure(let error) = results[1],
              case .success(.received(let outcomeC)) = results[2], case .success(.sealed(let sealed?)) = results[3] else {
            Issue.record("expected applied, failed, applied, sealed: \(results)")
            return
        }
        #expect(outcomeA.applied == 2 && outcomeC.applied == 2, "the neighbours of the failed batch applied (a voucher and the release announcement each)")
        #expect(String(describing: error).contains("simulated storage failure"), "\(error)")
        let vector = try province.hub.store.versionVector()
        #expect(vector[first] == 2 && vector[OrgCode("340123")!] == 2)
        #expect(vector[failing] == 0, "nothing of the failed batch is kept")
        // The pull sealed in the same transaction, after the first county's upload, acknowledges it.
        let header = try BatchEnvelope.parse(sealed).header
        #expect(header.recipient == first && header.ackStreamPosition == 2, "the pull saw the upload before it: \(header)")

        // The failed batch is tried again, alone, and applies whole; the books agree everywhere.
        let retried = province.hub.exchange.perform([.receive(opened["340122"]!)])
        guard case .success(.received(let outcomeB))? = retried.first else {
            Issue.record("the retry did not apply: \(retried)")
            return
        }
        #expect(outcomeB.applied == 2)
        #expect(try province.hub.store.versionVector()[failing] == 2)
        #expect(try province.hub.verify().isEmpty)
    }
}

/// The hub's policy, except that reviewing any change from `peer` fails as storage would (the batch is not judged).
private struct FailsForOnePeer: ReplicaPolicy {
    struct SimulatedStorageFailure: Error, CustomStringConvertible {
        var description: String { "simulated storage failure while reviewing" }
    }

    let base: any ReplicaPolicy
    let peer: OrgCode

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        if peer == self.peer { throw SimulatedStorageFailure() }
        return try base.review(change, from: peer, in: transaction)
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {
        try base.didReceive(change, verdict: verdict, in: transaction)
    }

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] {
        try base.recipients(of: change, in: transaction)
    }

    func receivesEveryChange(of origin: OrgCode) -> Bool { base.receivesEveryChange(of: origin) }
}
