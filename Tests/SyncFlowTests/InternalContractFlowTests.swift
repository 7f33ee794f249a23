import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 3: fixed deposits placed by branches with the centre and internal loans to branches, through real
/// batch files, with the exact entries on both sides and the exact refusals.
@Suite struct InternalContractFlowTests {
    static let signatures = DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor")

    /// A county with ¥1,000,000.00 in its current deposit at the centre (swept up on 2 Nov).
    static func provinceWithDeposit() throws -> BusinessProvince {
        let province = try BusinessProvince()
        let county = province.node("340122"), income = BusinessProvince.income("340122")
        try county.post([VoucherDraft(date: "2026-11-02", memo: "income", preparer: "340122-cashier",
                                      lines: [.init(account: income, debit: "1000200.00"), .init(account: "340122:6001", credit: "1000200.00")])])
        _ = try county.sweep(account: income, date: BusinessDate("2026-11-02")!, amount: nil, advice: "A1", signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        return province
    }

    static func slip(of source: String, in province: BusinessProvince) throws -> String {
        try #require(try province.hub.store.documents(.slip).first { $0["related"] == source.split(separator: ":")[1].description
                                                                      && $0["kind"] == source.split(separator: ":")[0].description }?["id"])
    }

    @Test func aFixedDepositIsPlacedAtAFixedRateAndPaidBackWithItsInterestOnBothSides() throws {
        let province = try Self.provinceWithDeposit()
        defer { province.remove() }
        let county = province.node("340122"), hub = province.hub, branch = OrgCode("340122")!
        let deposit = try hub.placeFixedDeposit(branch: branch, amount: AmountMinorUnits(60_000_000), term: ContractTerm("3m")!,
                                                date: BusinessDate("2026-11-03")!, signatures: Self.signatures)
        #expect(deposit.maturity == BusinessDate("2027-02-03")! && deposit.rate == AnnualRate(percent: "1.71")! && deposit.dayCount == .actual365)
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(deposit.id):start")
                == [["Dr 340000:2242.02.340122 600000.00", "Cr 340000:2242.03.340122 600000.00"]])
        try province.base.deliverFromHub()
        let placed = try Self.slip(of: "deposit_placed:\(deposit.id)", in: province)
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(placed)") == [["Dr 340122:1031 600000.00", "Cr 340122:3001.01 600000.00"]])
        #expect(try county.store.read { try $0.contract(deposit.id) }?.state == .active, "the branch holds the contract too")

        // Refusals: more than the ¥400,000 left in the current deposit; an unregistered signer; before maturity.
        #expect(throws: LedgerRuleViolation.self) {
            try hub.placeFixedDeposit(branch: branch, amount: AmountMinorUnits(40_000_001), term: ContractTerm("6m")!,
                                      date: BusinessDate("2026-11-03")!, signatures: Self.signatures)
        }
        #expect(throws: TreasuryError.self) {
            try hub.placeFixedDeposit(branch: branch, amount: AmountMinorUnits(100), term: ContractTerm("6m")!, date: BusinessDate("2026-11-03")!,
                                      signatures: DocumentSignatures(preparer: "someone", reviewer: "hub-supervisor"))
        }
        #expect(throws: TreasuryError.self, "5 months is not a term the centre offers") {
            try hub.placeFixedDeposit(branch: branch, amount: AmountMinorUnits(100), term: ContractTerm("5m")!, date: BusinessDate("2026-11-03")!,
                                      signatures: Self.signatures)
        }
        #expect(throws: TreasuryError.self, "no withdrawal before maturity") {
            try hub.matureDeposit(deposit.id, date: BusinessDate("2027-02-02")!, renew: false, signatures: Self.signatures)
        }

        // The 3-month rate rises on 1 Dec: the deposit keeps the rate fixed at placement.
        try hub.putRate(RateEntry(kind: .fixed3Months, effectiveFrom: BusinessDate("2026-12-01")!, rate: AnnualRate(percent: "2.25")!, dayCount: .actual365))
        let accrued = try hub.contractPositions(asOf: BusinessDate("2026-12-31")!).first?.accruedMinorUnits
        #expect(accrued == 165_847, "59 days at 1.71 %: 1,658.4657… → 1,658.47")
        let settled = try hub.matureDeposit(deposit.id, date: BusinessDate("2027-02-03")!, renew: false, signatures: Self.signatures)
        #expect(settled.interestMinorUnits == 258_608 && settled.days == 92 && settled.principalMinorUnits == 60_000_000)
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(deposit.id):interest:2027-02-03")
                == [["Dr 340000:6411 2586.08", "Cr 340000:2242.02.340122 2586.08"]])
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(deposit.id):end")
                == [["Dr 340000:2242.03.340122 600000.00", "Cr 340000:2242.02.340122 600000.00"]])
        try province.base.deliverFromHub()
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(settled.slips[0])") == [["Dr 340122:3001.01 2586.08", "Cr 340122:6011 2586.08"]])
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(settled.slips[1])")
                == [["Dr 340122:3001.01 600000.00", "Cr 340122:1031 600000.00"]])
        #expect(try county.store.read { try $0.contract(deposit.id) }?.state == .matured)
        let hubDeposit = try hub.store.balances(org: TestProvince.province).first { $0.account == "340000:2242.02.340122" }
        let countyIntercompany = try county.store.balances(org: county.org).first { $0.account == "340122:3001.01" }
        #expect(hubDeposit?.balanceMinorUnits == -100_258_608 && countyIntercompany?.balanceMinorUnits == 100_258_608)
        #expect(throws: TreasuryError.self, "paid once") {
            try hub.matureDeposit(deposit.id, date: BusinessDate("2027-02-04")!, renew: false, signatures: Self.signatures)
        }
    }

    @Test func aRenewalKeepsThePrincipalAtTheCentreAndPaysTheInterestOut() throws {
        let province = try Self.provinceWithDeposit()
        defer { province.remove() }
        let hub = province.hub
        let deposit = try hub.placeFixedDeposit(branch: OrgCode("340122")!, amount: AmountMinorUnits(60_000_000), term: ContractTerm("3m")!,
                                                date: BusinessDate("2026-11-03")!, signatures: Self.signatures)
        let renewed = try hub.matureDeposit(deposit.id, date: BusinessDate("2027-02-03")!, renew: true, signatures: Self.signatures)
        let successorID = try #require(renewed.renewedAs)
        let successor = try #require(try hub.store.read { try $0.contract(successorID) })
        #expect(renewed.principalMinorUnits == 0 && renewed.vouchers.count == 1, "only the interest moves")
        #expect(successor.start == BusinessDate("2027-02-03")! && successor.maturity == BusinessDate("2027-05-03")!
                && successor.chainStart == deposit.start && successor.chainPaid == AmountMinorUnits(258_608))
        #expect(try hub.store.read { try $0.contract(deposit.id) }?.state == .renewed)
        let fixed = try hub.store.balances(org: TestProvince.province).first { $0.account == "340000:2242.03.340122" }
        #expect(fixed?.balanceMinorUnits == -60_000_000, "the principal stays placed")
    }

    @Test func aLoanIsDrawnChargedPeriodicallyAndRepaidWithOverdueInterest() throws {
        let province = try Self.provinceWithDeposit()
        defer { province.remove() }
        let county = province.node("340122"), hub = province.hub, branch = OrgCode("340122")!
        #expect(throws: TreasuryError.self, "a loan needs the fund-centre manager") {
            try hub.drawLoan(branch: branch, amount: AmountMinorUnits(30_000_000), term: ContractTerm("6m")!, date: BusinessDate("2026-11-03")!,
                             signatures: Self.signatures)
        }
        let approved = DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor", approver: "hub-manager")
        let loan = try hub.drawLoan(branch: branch, amount: AmountMinorUnits(30_000_000), term: ContractTerm("6m")!,
                                    date: BusinessDate("2026-11-03")!, signatures: approved)
        #expect(loan.kind == .shortLoan && loan.rate == AnnualRate(percent: "4.35")! && loan.maturity == BusinessDate("2027-05-03")!)
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(loan.id):start")
                == [["Dr 340000:1013.340122 300000.00", "Cr 340000:2242.02.340122 300000.00"]])
        try province.base.deliverFromHub()
        let drawn = try Self.slip(of: "loan_drawn:\(loan.id)", in: province)
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(drawn)") == [["Dr 340122:3001.01 300000.00", "Cr 340122:2001.01 300000.00"]])

        // November's settlement charges 3–30 Nov (28 days at 4.35 %, actual/360): ¥1,015.00; run again, nothing more.
        let settlement = try hub.settleInterest(from: BusinessDate("2026-11-01")!, through: BusinessDate("2026-11-30")!,
                                                postingDate: BusinessDate("2026-11-30")!, signatures: Self.signatures)
        let charged = try #require(settlement.first { $0.contract == loan.id })
        #expect(charged.interestMinorUnits == 101_500 && charged.days == 28 && charged.kind == "loan" && charged.dayCount == "actual/360")
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(loan.id):interest:2026-11-30")
                == [["Dr 340000:2242.02.340122 1015.00", "Cr 340000:6011 1015.00"]])
        let again = try hub.settleInterest(from: BusinessDate("2026-11-01")!, through: BusinessDate("2026-11-30")!,
                                           postingDate: BusinessDate("2026-11-30")!, signatures: Self.signatures)
        #expect(!again.contains { $0.contract == loan.id }, "a loan's interest is charged once")

        #expect(try hub.contractPositions(asOf: BusinessDate("2027-05-10")!).first { $0.contract == loan.id }?.overdue == true)
        // Repaid 2 Jun 2027: 1 Dec–2 May at 4.35 % (153 days, 5,546.25) and 3 May–1 Jun at 6.525 % (30 days, 1,631.25).
        let repaid = try hub.repayLoan(loan.id, date: BusinessDate("2027-06-02")!, signatures: Self.signatures)
        #expect(repaid.interestMinorUnits == 554_625 && repaid.penaltyMinorUnits == 163_125 && repaid.principalMinorUnits == 30_000_000)
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(loan.id):interest:2027-06-02")
                == [["Dr 340000:2242.02.340122 7177.50", "Cr 340000:6011 7177.50"]])
        #expect(try BusinessProvince.lines(in: hub.store, source: "contract:\(loan.id):end")
                == [["Dr 340000:2242.02.340122 300000.00", "Cr 340000:1013.340122 300000.00"]])
        try province.base.deliverFromHub()
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(repaid.slips[0])") == [["Dr 340122:6411 7177.50", "Cr 340122:3001.01 7177.50"]])
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(repaid.slips[1])")
                == [["Dr 340122:2001.01 300000.00", "Cr 340122:3001.01 300000.00"]])
        let borrowing = try county.store.balances(org: county.org).first { $0.account == "340122:2001.01" }
        #expect(borrowing == nil || borrowing?.balanceMinorUnits == 0)
        // Deposits and loans are intercompany on both sides: nothing moved without its other side, at a day the loan was
        // out and at the end (the simulation found 2242.03 / 1031 / 2001.01 counted as external flows).
        try province.sync("340122")
        for through in ["2026-11-30", "2027-06-02"] {
            let findings = try Reconciler(hub: hub).run(from: BusinessDate("2026-11-02")!, through: BusinessDate(through)!, incremental: false).findings
            #expect(!findings.contains { ["conservation", "elimination", "internal_accounts"].contains($0.check) }, "\(through): \(findings.map(\.message))")
        }
        #expect(throws: TreasuryError.self) { try hub.repayLoan(loan.id, date: BusinessDate("2027-06-03")!, signatures: Self.signatures) }
    }

    @Test func aRepaymentTheCurrentDepositCannotCoverIsRefused() throws {
        let province = try Self.provinceWithDeposit()
        defer { province.remove() }
        let hub = province.hub, branch = OrgCode("340122")!
        let approved = DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor", approver: "hub-manager")
        let loan = try hub.drawLoan(branch: branch, amount: AmountMinorUnits(30_000_000), term: ContractTerm("6m")!,
                                    date: BusinessDate("2026-11-03")!, signatures: approved)
        // The branch places everything but ¥1,000 in a fixed deposit: the loan cannot be repaid from what is left.
        try hub.placeFixedDeposit(branch: branch, amount: AmountMinorUnits(129_900_000), term: ContractTerm("1y")!,
                                  date: BusinessDate("2026-11-04")!, signatures: Self.signatures)
        #expect(throws: LedgerRuleViolation.self) { try hub.repayLoan(loan.id, date: BusinessDate("2026-12-01")!, signatures: Self.signatures) }
        #expect(try hub.store.read { try $0.contract(loan.id) }?.state == .active, "nothing half-done")
    }
}
