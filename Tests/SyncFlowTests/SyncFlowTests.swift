import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Hub and county nodes in one process, exchanging real batch files: registry down, vouchers up, rejections
/// back, with files shuffled, duplicated and carried one way at a time.
@Suite struct SyncFlowTests {
    @Test func registryReachesOnlyTheNodesInScope() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let a = province.node("340121"), b = province.node("340122")
        let accountsA = try a.store.balances().map(\.account)
        #expect(accountsA == ["340000:1012.340121", "340000:1013.340121", "340000:1533.340121", "340000:2242.02.340121",
                              "340121:1002", "340121:3001.01", "340121:6001"], "its own accounts and the hub's sub-accounts with it")
        #expect(try b.store.balances(org: b.org).map(\.account) == ["340122:1002", "340122:3001.01", "340122:6001"])
        let units = try a.store.read { try $0.orgUnits().map(\.code.rawValue) }
        #expect(units == ["340000", "340100", "340121"], "a county sees its own unit and its ancestors, not its sibling")
        let keys = try a.store.read { try $0.nodeKeys().map(\.org.rawValue) }
        #expect(keys.sorted() == ["340000", "340121"])
    }

    @Test func vouchersPostedOfflineArriveAtTheHubExactlyOnce() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340122")
        try county.post([TestProvince.draft("340122:1002", "340122:6001", "5000.00", memo: "income"),
                         TestProvince.draft("340122:3001.01", "340122:1002", "4800.00", memo: "sweep")])
        try county.post([TestProvince.draft("340122:1002", "340122:6001", "100.01")])
        let files = try province.export(from: "340122")
        #expect(files.count == 1)
        let first = try expectReceived(province.hub.exchange.importFiles(files + files))
        #expect(first[0].applied == 4 && first[1].isAlreadyApplied, "three vouchers and the release announcement (§6.28)")
        let hubBalances = try province.hub.store.balances(org: OrgCode("340122")!)
        #expect(hubBalances.first { $0.account == "340122:1002" }?.balanceMinorUnits == 30_001)
        #expect(try hubBalances == county.store.balances(org: county.org))
        #expect(try province.hub.store.versionVector()[county.org] == 4)
        #expect(try province.hub.verify().isEmpty)
        #expect(try county.verify().isEmpty)
    }

    @Test func unacknowledgedChangesAreResentUntilAcknowledged() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340121")
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        let lost = try province.export(from: "340121")  // this file is lost on the way
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "2.00")])
        let second = try province.export(from: "340121")
        #expect(lost.count == 1 && second.count == 1)
        let outcome = try expectReceived(province.hub.exchange.importFiles(second))
        #expect(outcome[0].applied == 3, "the second file re-sends the first change (and the release announcement before it)")
        #expect(try county.store.status().outbox == 3)
        try province.deliverFromHub()  // carries the hub's acknowledgement
        #expect(try county.store.status().outbox == 0)
        #expect(try province.export(from: "340121").isEmpty, "nothing left to send once acknowledged")
        #expect(try expectReceived(province.hub.exchange.importFiles(lost))[0].isAlreadyApplied)
    }

    @Test func shuffledAndDuplicatedFilesConverge() throws {
        var generator = SeededGenerator(seed: 7)
        let province = try TestProvince()
        defer { province.remove() }
        var carried: [URL] = []
        for round in 1...4 {
            for code in ["340121", "340122"] {
                try province.node(code).post([TestProvince.draft("\(code):1002", "\(code):6001", "\(round)0.00")])
                // Each export re-sends everything unacknowledged, with a new batch sequence.
                carried += try province.export(from: code)
            }
        }
        carried += carried.prefix(3)
        carried.shuffle(using: &generator)
        try expectReceived(province.hub.exchange.importFiles(carried))
        for code in ["340121", "340122"] {
            let node = province.node(code)
            #expect(try province.hub.store.versionVector()[node.org] == 5, "four vouchers and the release announcement")
            #expect(try province.hub.store.balances(org: node.org) == node.store.balances(org: node.org))
        }
        #expect(try province.hub.store.status().pending == 0)
        #expect(try province.hub.verify().isEmpty)
    }

    @Test func frozenAtTheHubMeansRejectedAndTheCountyIsTold() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340122")
        try province.hub.setAccountStatus("340122:1002", to: .frozen)  // the county is offline: it does not know yet
        try county.post([TestProvince.draft("340122:3001.01", "340122:1002", "900.00", memo: "payment")])
        try county.post([TestProvince.draft("340122:3001.01", "340122:6001", "10.00", memo: "fine")])
        let outcome = try expectReceived(province.hub.exchange.importFiles(province.export(from: "340122")))
        #expect(outcome[0].applied == 2 && outcome[0].rejected == 1, "the release announcement applies too")
        let rejected = try province.hub.store.rejectedChanges()
        #expect(rejected.count == 1 && rejected[0].reason.contains("frozen") && rejected[0].code == "account-not-active")
        #expect(try province.hub.verify().isEmpty, "a rejected change still counts for gap-free counters")
        try province.deliverFromHub()
        let atCounty = try county.store.rejectedVouchers()
        #expect(atCounty.map(\.id) == ["340122-V000001"])
        #expect(atCounty[0].reason.contains("340122:1002 is frozen"))
        #expect(try county.store.balances(org: county.org) == province.hub.store.balances(org: county.org), "rejected voucher excluded on both sides")
        #expect(try county.store.balances().first { $0.account == "340122:1002" }?.status == "frozen")
        #expect(throws: NodeError.self) { try county.post([TestProvince.draft("340122:3001.01", "340122:1002", "1.00")]) }
    }

    @Test func reversalCorrectsAPostedVoucher() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340121")
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "700.00")])
        try county.post([VoucherDraft(date: "2026-11-03", memo: "wrong amount", preparer: "Clerk", reverses: "340121-V000001")])
        #expect(throws: NodeError.self) {
            try county.post([VoucherDraft(date: "2026-11-03", memo: "twice", preparer: "Clerk", reverses: "340121-V000001")])
        }
        try expectReceived(province.hub.exchange.importFiles(province.export(from: "340121")))
        #expect(try province.hub.store.balances(org: county.org).allSatisfy { $0.balanceMinorUnits == 0 })
        #expect(try province.hub.store.status().rejected == 0)
    }

    @Test func postingIsAllOrNothing() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340121")
        #expect(throws: NodeError.self) {
            try county.post([TestProvince.draft("340121:1002", "340121:6001", "1.00"),
                             TestProvince.draft("340121:1002", "340121:NOPE", "1.00")])
        }
        #expect(try county.store.status().vouchers == 0)
        #expect(try county.store.versionVector()[county.org] == 0)
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        #expect(try county.store.read { try $0.voucherExists("340121-V000001") })
    }

    @Test func revokedKeyIsRefusedAndNothingChanges() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let county = province.node("340121")
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        let files = try province.export(from: "340121")
        try province.hub.revokeKey(county.signingKey.publicKey.keyID)
        let before = try province.hub.store.balances()
        let results = province.hub.exchange.importFiles(files)
        guard case .refused(_, let error, let quarantined) = results[0] else { Issue.record("accepted: \(results)"); return }
        #expect(error.name == "revoked-key")
        #expect(FileManager.default.fileExists(atPath: quarantined.path + ".reason"))
        #expect(try province.hub.store.balances() == before)
        #expect(try province.hub.store.versionVector()[county.org] == 0)
    }

    /// A node never applies a batch meant for another office: it skips it and leaves it for that office.
    @Test func nodeSkipsBatchesAddressedToAnotherOffice() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let a = province.node("340121"), b = province.node("340122")
        try a.post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        let files = try province.export(from: "340121")
        let results = b.exchange.importFiles(files)
        guard case .skipped(_, let recipient) = results[0] else { Issue.record("not skipped: \(results)"); return }
        #expect(recipient == TestProvince.province)
        #expect(try b.store.versionVector()[a.org] == 0 && b.store.status().quarantine == 0)
    }
}
