import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 2: overdraft lines (DOMAIN.md §3.7, D3; DECISIONS.md). All units' lines together stay within 30 %
/// of the group's credit line; within its line a unit's basic or general account pays without further approval; an
/// overdraft past its term is charged the overdue rate and suspends the line at once, pushed down as a registry change.
@Suite struct OverdraftLineTests {
    static let county = "340122"
    static var expense: String { BusinessProvince.expense(county) }
    static let day = BusinessDate("2026-11-03")!

    static func pay(_ node: Node, _ amount: Int64, on date: BusinessDate = day) throws -> String {
        try node.enterPayment(account: expense, payee: "Anhui Construction", payeeAccount: "6222000033334444", amount: AmountMinorUnits(amount),
                              date: date, purpose: "works", expenseAccount: "\(county):6602", signatures: BusinessProvince.clerks(county))
    }

    @Test func allLinesTogetherStayWithinThirtyPercentOfTheGroupsCreditLine() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        #expect(throws: RegistryError.self, "no credit line yet: a line is a share of it") {
            try hub.setOverdraftLine(OrgCode("340121")!, limit: AmountMinorUnits(100), termDays: 15, from: Self.day, by: "hub-manager")
        }
        #expect(throws: RegistryError.self, "a cashier may not") {
            try hub.setGroupCreditLine(AmountMinorUnits(1_000_000_000), from: Self.day, by: "hub-cashier")
        }
        try hub.setGroupCreditLine(AmountMinorUnits(1_000_000_000), from: Self.day, by: "hub-manager")   // ¥10m: cap ¥3m
        try hub.setOverdraftLine(OrgCode("340121")!, limit: AmountMinorUnits(200_000_000), termDays: 15, from: Self.day, by: "hub-manager")
        #expect(throws: RegistryError.self, "2m + 1.5m is above the ¥3m cap") {
            try hub.setOverdraftLine(OrgCode("340122")!, limit: AmountMinorUnits(150_000_000), termDays: 15, from: Self.day, by: "hub-manager")
        }
        try hub.setOverdraftLine(OrgCode("340122")!, limit: AmountMinorUnits(100_000_000), termDays: 15, from: Self.day, by: "hub-manager")
        #expect(throws: RegistryError.self, "the lines granted (¥3m) are above 30 % of ¥9m") {
            try hub.setGroupCreditLine(AmountMinorUnits(900_000_000), from: Self.day, by: "hub-manager")
        }
        #expect(throws: RegistryError.self, "the group's own accounts never overdraw") {
            try hub.setOverdraftLine(TestProvince.province, limit: AmountMinorUnits(100), termDays: 15, from: Self.day, by: "hub-manager")
        }
        #expect(throws: RegistryError.self, "hub param cannot set a line around these checks") {
            try hub.putParameter("overdraft_line.340122", value: "9999999.00", effectiveFrom: Self.day)
        }
    }

    @Test func withinItsLineAUnitPaysAndPastTheTermItIsChargedPenaltyAndSuspended() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, county = province.node(Self.county)
        try hub.setGroupCreditLine(AmountMinorUnits(1_000_000_000), from: Self.day, by: "hub-manager")
        try hub.setOverdraftLine(OrgCode(Self.county)!, limit: AmountMinorUnits(100_000_000), termDays: 15, from: Self.day, by: "hub-manager")
        try province.base.deliverFromHub()
        // ¥5,000,000 in the account and a ¥1,000,000 line: ¥5,600,000 may be paid, and nothing more.
        let payment = try Self.pay(county, 560_000_000)
        #expect(CashControlTests.code { _ = try Self.pay(county, 40_000_001) } == "insufficient-funds")
        try province.sync(Self.county)
        try hub.releasePayment(payment, by: "hub-supervisor", on: Self.day)
        try province.bankPays(payment)
        try province.base.deliverFromHub()
        try province.sync(Self.county)
        #expect(try BusinessProvince.lines(in: county.store, source: "payment:\(payment)")
                == [["Dr 340122:6602 5600000.00", "Cr \(Self.expense) 5600000.00"]])

        // 3–18 Nov is 16 days overdrawn, past the 15-day term: the line is suspended at once, before anyone writes it.
        let suspendedDay = BusinessDate("2026-11-18")!
        #expect(try hub.store.read { try $0.overdraftLine(OrgCode(Self.county)!, on: BusinessDate("2026-11-17")!) }.suspended == false)
        #expect(try hub.store.read { try $0.overdraftLine(OrgCode(Self.county)!, on: suspendedDay) }.suspended == true)
        let review = try hub.reviewOverdrafts(asOf: suspendedDay, suspend: true)
        let unit = try #require(review.first { $0.org == Self.county })
        #expect(unit.suspendedNow && unit.occurrences.count == 1 && unit.occurrences[0].days == 16 && unit.occurrences[0].pastTerm)
        #expect(unit.occurrences[0].peakMinorUnits == 60_000_000 && unit.occurrences[0].start == "2026-11-03")
        #expect(try hub.reviewOverdrafts(asOf: suspendedDay, suspend: true).first { $0.org == Self.county }?.suspendedNow == false, "written once")
        try province.base.deliverFromHub()
        #expect(try county.store.read { try $0.parameter("overdraft_suspended.340122", asOf: suspendedDay) } == "yes",
                "the suspension reached the county as a registry change")

        // November: 3–17 Nov (15 days) at the overdraft rate 5 %, 18–30 Nov (13 days) at the overdue rate 6.525 %, on
        // ¥600,000, actual/360: 600,000 × (0.05 × 15 + 0.06525 × 13) / 360 = ¥2,663.75, charged to the county.
        let settled = try hub.settleInterest(from: BusinessDate("2026-11-01")!, through: BusinessDate("2026-11-30")!,
                                             postingDate: BusinessDate("2026-11-30")!,
                                             signatures: DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager"))
        let overdraft = try #require(settled.first { $0.kind == "bank_overdraft" })
        #expect(overdraft.account == Self.expense && overdraft.interestMinorUnits == 266_375 && overdraft.days == 28 && !overdraft.payable)
        let source = "interest:\(Self.expense):bank_overdraft:2026-11-01:2026-11-30"
        #expect(try BusinessProvince.lines(in: hub.store, source: source) == [["Dr 340000:2242.02.340122 2663.75", "Cr 340000:6011 2663.75"]])
        try province.base.deliverFromHub()
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(try #require(overdraft.slip))")
                == [["Dr 340122:6411 2663.75", "Cr 340122:3001.01 2663.75"]])

        // A new grant by the fund-centre manager lifts the suspension.
        try hub.setOverdraftLine(OrgCode(Self.county)!, limit: AmountMinorUnits(100_000_000), termDays: 15, from: BusinessDate("2026-12-01")!,
                                 by: "hub-manager")
        #expect(try hub.store.read { try $0.parameter("overdraft_suspended.340122", asOf: BusinessDate("2026-12-01")!) } == "no")
    }

    @Test func anAccountNoLineMayCoverNeverOverdraws() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        try hub.setGroupCreditLine(AmountMinorUnits(1_000_000_000), from: Self.day, by: "hub-manager")
        try hub.setOverdraftLine(OrgCode(Self.county)!, limit: AmountMinorUnits(100_000_000), termDays: 15, from: Self.day, by: "hub-manager")
        // The county's expense account is re-registered as a special-purpose account: no line covers it.
        try hub.putAccount(AccountRecord(id: Self.expense, org: OrgCode(Self.county)!, kind: .bank, code: Self.expense, name: "expense account",
                                         currency: .cny, status: .active), attributes: ["purpose": .text("expense"), "class": .text("special")])
        try province.base.deliverFromHub()
        #expect(CashControlTests.code { _ = try Self.pay(province.node(Self.county), 500_000_001) } == "insufficient-funds")
        #expect(try hub.store.read { try $0.overdraftRoom(for: Self.expense, on: Self.day, excludingPayment: nil) } == .zero)
    }
}
