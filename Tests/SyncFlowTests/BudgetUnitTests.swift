import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import ReportWriters
import SyncTesting
import Testing

/// Issue 3/6, item 9: budget units (预算单位, D0) are org units under their county's node, with accounts and staff and
/// no node of their own. The county's clerks post for them (the vouchers are the county node's changes: a node writes
/// its own subtree, DECISIONS.md); no other office may; reports roll up by budget unit.
@Suite struct BudgetUnitTests {
    static let unit = "340122001"
    static let bank = "6216610200001234567"

    static func province() throws -> BusinessProvince {
        let province = try BusinessProvince()
        let hub = province.hub, code = OrgCode(Self.unit)!
        try hub.addOrgUnit(OrgUnit(code: code, parent: OrgCode("340122")!, name: "Feidong Education Bureau (肥东县教育局)", level: .budgetUnit))
        try hub.putAccount(AccountRecord(id: Self.bank, org: code, kind: .bank, code: Self.bank, name: "zero-balance account", currency: .cny, status: .active),
                           attributes: ["purpose": .text("expense"), "class": .text("special")])
        for (subject, name) in [("5001", "Operating expenses (业务活动费用)"), ("4001", "Fiscal appropriation revenue (财政拨款收入)")] {
            try hub.putAccount(AccountRecord(id: "\(Self.unit):\(subject)", org: code, kind: .subject, code: subject, name: name, currency: .cny, status: .active))
        }
        try province.base.deliverFromHub()
        return province
    }

    @Test func aCountysClerkPostsForItsBudgetUnitAndNobodyElseMay() throws {
        let province = try Self.province()
        defer { province.remove() }
        let county = province.node("340122")
        #expect(try county.store.read { try $0.account(Self.bank) }?.org == OrgCode(Self.unit)!, "the unit's accounts reach its county's node")
        var funding = VoucherDraft(date: "2026-11-03", memo: "appropriation received", preparer: "340122-cashier",
                                   lines: [.init(account: Self.bank, debit: "80000.00"), .init(account: "\(Self.unit):4001", credit: "80000.00")],
                                   reviewer: "340122-manager")
        funding.org = Self.unit
        var spending = VoucherDraft(date: "2026-11-04", memo: "school repairs", preparer: "340122-cashier",
                                    lines: [.init(account: "\(Self.unit):5001", debit: "12500.00"), .init(account: Self.bank, credit: "12500.00")],
                                    reviewer: "340122-manager")
        spending.org = Self.unit
        let posted = try county.post([funding, spending])
        #expect(posted.allSatisfy { $0.org == OrgCode(Self.unit)! && $0.id.hasPrefix("340122-V") })
        try province.sync("340122")
        #expect(try province.node("340122").store.rejectionNotices().isEmpty)
        #expect(try province.hub.store.balances(org: OrgCode(Self.unit)!).first { $0.account == Self.bank }?.balanceMinorUnits == 6_750_000)

        // Another county may not, nor may the county mix the unit's accounts into its own voucher.
        var foreign = funding
        foreign.preparer = "340121-cashier"
        #expect(throws: NodeError.self) { try province.node("340121").post([foreign]) }
        let mixed = VoucherDraft(date: "2026-11-04", memo: "mixed", preparer: "340122-cashier",
                                 lines: [.init(account: "\(Self.unit):5001", debit: "1.00"), .init(account: BusinessProvince.expense("340122"), credit: "1.00")])
        #expect(throws: NodeError.self) { try county.post([mixed]) }

        // The county's cashier journals and reports the unit's bank account too, so it is reconciled like any other.
        for (day, direction, amount, balance) in [("2026-11-03", BankDirection.receipt, Int64(8_000_000), Int64(8_000_000)),
                                                  ("2026-11-04", .payment, 1_250_000, 6_750_000)] {
            try county.recordBankAdvice(account: Self.bank, date: BusinessDate(day)!, direction: direction, amount: AmountMinorUnits(amount),
                                        advice: "ADV-\(day)", counterparty: nil, memo: nil, slip: nil, signatures: BusinessProvince.clerks("340122"))
            try county.reportBalances(date: BusinessDate(day)!, reported: [Self.bank: AmountMinorUnits(balance)], signatures: BusinessProvince.clerks("340122"))
        }
        try province.sync("340122")
        #expect(try province.node("340122").store.rejectionNotices().isEmpty)
        let findings = try Reconciler(hub: province.hub).run(from: BusinessDate("2026-11-03")!, through: BusinessDate("2026-11-04")!, incremental: false).findings
        #expect(!findings.contains { $0.subject == Self.bank }, "\(findings.filter { $0.subject == Self.bank }.map(\.message))")

        let report = try province.hub.report(.budgetUnits, from: BusinessDate("2026-11-01")!, through: BusinessDate("2026-11-30")!, org: OrgCode("340122")!)
        let row = try #require(report.tables[0].rows.first)
        #expect(row[0] == .text(Self.unit) && row[2] == .text("340122"))
        #expect(row[3] == .money(minorUnits: 1_250_000, scale: 2) && row[4] == .money(minorUnits: 6_750_000, scale: 2))
    }
}

extension BudgetUnitTests {
    @Test func aBudgetUnitSitsUnderAUnitWithANode() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        #expect(throws: RegistryError.self, "the city has no node to keep its books") {
            try province.hub.addOrgUnit(OrgUnit(code: OrgCode("340100901")!, parent: TestProvince.city, name: "x", level: .budgetUnit))
        }
        try province.hub.addOrgUnit(OrgUnit(code: OrgCode("340121901")!, parent: OrgCode("340121")!, name: "Changfeng Health Bureau", level: .budgetUnit))
    }
}
