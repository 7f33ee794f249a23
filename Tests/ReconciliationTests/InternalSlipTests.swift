import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 7: the D4 internal transactions beyond sweeps and allocations, with the exact entries on both sides.
/// - 费用分摊: the centre shares a cost out; the branch's side is a proposal it accepts or returns, and a returned slip is
///   reversed at the hub and re-issued corrected (D4 §5.3.2), never written into the branch's books without it.
/// - 代垫费用: a branch pays an expense of the centre; the hub books its side from the slip, after checking it.
@Suite struct InternalSlipTests {
    static let day = BusinessDate("2026-11-03")!
    static let hubSigners = DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager")

    static func province() throws -> BusinessProvince {
        let province = try BusinessProvince()
        try province.hub.putAccount(AccountRecord(id: "340000:6602", org: TestProvince.province, kind: .subject, code: "6602",
                                                  name: "Administrative expenses", currency: .cny, status: .active))
        try province.base.deliverFromHub()
        return province
    }

    static func mirror(_ province: BusinessProvince, _ code: String) throws -> (hub: Int64, branch: Int64) {
        let hub = try province.hub.store.balances(org: TestProvince.province).first { $0.account == "340000:2242.02.\(code)" }?.balanceMinorUnits ?? 0
        let branch = try province.node(code).store.balances(org: OrgCode(code)!).first { $0.account == "\(code):3001.01" }?.balanceMinorUnits ?? 0
        return (hub, branch)
    }

    @Test func aSharedCostIsProposedAcceptedOrReturnedAndReissued() throws {
        let province = try Self.province()
        defer { province.remove() }
        let hub = province.hub, county = province.node("340122")
        let slip = try hub.allocateCost(branch: OrgCode("340122")!, amount: AmountMinorUnits(1_200_000), hubExpense: "340000:6602",
                                        branchExpense: "340122:6602", date: Self.day, memo: "training, November", signatures: Self.hubSigners)
        #expect(try BusinessProvince.lines(in: hub.store, source: "slip:\(slip)") == [["Dr 340000:2242.02.340122 12000.00", "Cr 340000:6602 12000.00"]])
        try province.base.deliverFromHub()
        #expect(try county.store.documents(.slip).first { $0["id"] == slip }?["status"] == "proposed")
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(slip)").isEmpty, "nothing is written into the branch's books by the hub")

        // The county returns it: the amount should have been ¥10,000.00.
        let returned = try county.returnSlip(slip, reason: "our share is 10,000.00 per the training list", date: Self.day,
                                             signatures: BusinessProvince.clerks("340122"))
        #expect(throws: NodeError.self, "returned: no longer waiting") { try county.acceptSlip(slip, signatures: BusinessProvince.clerks("340122")) }
        try province.sync("340122")
        #expect(try hub.store.documents(.slip).first { $0["id"] == slip }?["status"] == "rejected")
        #expect(try hub.store.documents(.slip).first { $0["id"] == returned }?["memo"] == "our share is 10,000.00 per the training list")
        let reissued = try hub.reissueCostAllocation(slip, amount: AmountMinorUnits(1_000_000), date: Self.day, memo: "training, November (corrected)",
                                                     signatures: Self.hubSigners)
        #expect(try BusinessProvince.lines(in: hub.store, source: "slip:\(slip):withdrawn") == [["Cr 340000:2242.02.340122 12000.00", "Dr 340000:6602 12000.00"]])
        #expect(throws: TreasuryError.self, "re-issued once") {
            try hub.reissueCostAllocation(slip, amount: AmountMinorUnits(1_000_000), date: Self.day, memo: "again", signatures: Self.hubSigners)
        }
        try province.base.deliverFromHub()
        #expect(try county.store.documents(.slip).first { $0["id"] == reissued }?["related"] == slip, "the new slip names the one it replaces")
        try county.acceptSlip(reissued, signatures: BusinessProvince.clerks("340122"))
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(reissued)") == [["Dr 340122:6602 10000.00", "Cr 340122:3001.01 10000.00"]])
        try province.sync("340122")
        let (centre, own) = try Self.mirror(province, "340122")
        #expect(centre == -own && own == -1_000_000, "2242.02 mirrors 3001.01 after the correction")
        let findings = try Reconciler(hub: hub).run(from: Self.day, through: Self.day, incremental: false).findings
        #expect(!findings.contains { $0.subject.hasPrefix(slip) || $0.subject.hasPrefix(reissued) }, "\(findings.map(\.message))")
    }

    @Test func anExpensePaidOnTheCentresBehalfIsBookedOnBothSides() throws {
        let province = try Self.province()
        defer { province.remove() }
        let county = province.node("340122"), expense = BusinessProvince.expense("340122")
        #expect(throws: LedgerRuleViolation.self, "the centre's side must be an expense subject") {
            try county.payOnBehalf(account: expense, amount: AmountMinorUnits(50_000), hubExpense: "340000:4001", date: Self.day, advice: "X",
                                   memo: "x", signatures: BusinessProvince.clerks("340122"))
        }
        let slip = try county.payOnBehalf(account: expense, amount: AmountMinorUnits(358_000), hubExpense: "340000:6602", date: Self.day,
                                          advice: "BOC-PAY-77", memo: "venue for the provincial audit meeting",
                                          signatures: BusinessProvince.clerks("340122"))
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(slip)") == [["Dr 340122:3001.01 3580.00", "Cr \(expense) 3580.00"]])
        try province.sync("340122")
        #expect(try BusinessProvince.lines(in: province.hub.store, source: "slip:\(slip)") == [["Dr 340000:6602 3580.00", "Cr 340000:2242.02.340122 3580.00"]])
        let (centre, own) = try Self.mirror(province, "340122")
        #expect(centre == -own && own == 358_000)
    }

    @Test func theHubRefusesAnExpenseOnBehalfThatCreditsAnotherBranch() throws {
        let province = try Self.province()
        defer { province.remove() }
        let plant = Plant(province: province, county: "340122")
        try plant.raw { transaction in
            var fields = plant.slipFields(100_000, Self.day)
            fields["kind"] = .text("expense_on_behalf")
            fields["bank_account"] = .text(BusinessProvince.expense("340122"))
            fields["receiver_entries"] = .list([
                .record(["account": .text("340000:6602"), "side": .text("debit"), "amount": .integer(100_000)]),
                .record(["account": .text("340000:2242.02.340121"), "side": .text("credit"), "amount": .integer(100_000)]),
            ])
            try transaction.appendLocal(table: .slip, key: "340122-S2026-900009", operation: .insert, businessDate: Self.day.description, fields: fields)
        }
        try province.sync("340122")
        #expect(try province.hub.store.documents(.slip).first { $0["id"] == "340122-S2026-900009" } == nil, "rejected, nothing applied")
        #expect(try province.node("340122").store.rejectionNotices().contains { $0.key == "340122-S2026-900009" })
        #expect(try BusinessProvince.lines(in: province.hub.store, source: "slip:340122-S2026-900009").isEmpty)
    }
}

/// Issue 3/6, item 7: a branch-to-branch allocation order (D4 §2.5 names the source branch's expense account): the
/// centre moves ¥300,000 from Changfeng's account to Feidong, both intercompany pairs move, and nothing overdraws.
@Suite struct BranchTransferTests {
    @Test func aTransferMovesMoneyFromOneBranchToAnotherThroughTheCentre() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, a = province.node("340121"), b = province.node("340122"), source = BusinessProvince.expense("340121")
        let day = BusinessDate("2026-11-03")!
        let tooMuch = try hub.prepareTransfer(from: source, to: OrgCode("340122")!, amount: AmountMinorUnits(500_000_001), date: day, preparer: "hub-fundmanager")
        try hub.approveAllocation(tooMuch, approver: "hub-manager")
        #expect(throws: LedgerRuleViolation.self, "more than the ¥5,000,000 Changfeng holds") {
            try hub.payAllocation(tooMuch, cashier: "hub-cashier", advice: "BOC-T-0")
        }
        #expect(throws: TreasuryError.self, "not to itself") {
            try hub.prepareTransfer(from: source, to: OrgCode("340121")!, amount: AmountMinorUnits(100), date: day, preparer: "hub-fundmanager")
        }
        let order = try hub.prepareTransfer(from: source, to: OrgCode("340122")!, amount: AmountMinorUnits(30_000_000), date: day, preparer: "hub-fundmanager")
        try hub.approveAllocation(order, approver: "hub-manager")
        let paid = try hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-T-1")
        #expect(try BusinessProvince.lines(in: hub.store, source: "slip:\(paid.slip)")
                == [["Dr 340000:2242.02.340122 300000.00", "Cr 340000:2242.02.340121 300000.00"]])
        try province.base.deliverFromHub()
        let out = try #require(try a.store.documents(.slip).first { $0["kind"] == "transfer_out" })
        #expect(out["status"] == "booked")
        #expect(try BusinessProvince.lines(in: a.store, source: "slip:\(out["id"]!)") == [["Dr 340121:3001.01 300000.00", "Cr \(source) 300000.00"]])
        #expect(try BusinessProvince.lines(in: b.store, source: "slip:\(paid.slip)") == [["Dr 340122:1012 300000.00", "Cr 340122:3001.01 300000.00"]])
        for code in ["340121", "340122"] {
            try province.sync(code)
            let (centre, own) = try InternalSlipTests.mirror(province, code)
            #expect(centre == -own, "2242.02.\(code) mirrors \(code):3001.01")
        }
        #expect(try hub.store.documents(.bankJournal).allSatisfy { $0["slip"] != paid.slip }, "no bank of the centre moved")
    }
}
