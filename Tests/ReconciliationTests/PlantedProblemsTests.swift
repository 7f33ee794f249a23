import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// A province of two counties runs a clean business week (income advices, daily sweeps cleared by bank receipts,
/// a balance report for every bank account every business day), with six problems planted: a one-sided slip, an
/// amount mismatch, an aged in-transit item, a missing daily report, a statement entry with no booking and a
/// counter gap. Reconciliation must find every one, at the level it affects, and flag nothing on the clean days:
/// the only other findings are the documented consequences of the planted intercompany problems (the internal
/// account mismatch and the elimination at the city and the province, and the conservation difference).
@Suite struct PlantedProblemsTests {
    static let days = BusinessDate("2026-11-02")!.through(BusinessDate("2026-11-06")!)
    static let hubSigners = DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager")

    /// A clean day at a county: an income advice and its voucher, the morning sweep (cleared at the hub the same
    /// day), and the balance reports.
    static func cleanDay(_ province: BusinessProvince, _ code: String, _ day: BusinessDate, reportSkipping: String? = nil,
                         beforeReport: () throws -> Void = {}) throws {
        let node = province.node(code), income = BusinessProvince.income(code)
        try node.recordBankAdvice(account: income, date: day, direction: .receipt, amount: AmountMinorUnits(300_000), advice: "IN-\(code)-\(day)",
                                  counterparty: "policyholders", memo: nil, slip: nil, signatures: BusinessProvince.clerks(code))
        try node.post([VoucherDraft(date: day.description, memo: "premium income", preparer: "\(code)-cashier",
                                    lines: [.init(account: income, debit: "3000.00"), .init(account: "\(code):6001", credit: "3000.00")])])
        let sweep = try node.sweep(account: income, date: day, amount: nil, advice: "SW-\(code)-\(day)", signatures: BusinessProvince.clerks(code))
        try province.sync(code)
        try province.hub.recordSweepReceipt(collectionAccount: BusinessProvince.hubCollection, date: day, amount: sweep.amount,
                                            advice: "RCV-\(sweep.slip)", slip: sweep.slip, signatures: hubSigners)
        try beforeReport()
        let accounts: [String] = [BusinessProvince.income(code), BusinessProvince.expense(code)].filter { $0 != reportSkipping }
        // The bank's day-end figures: an honest bank shows what the cashier journalled.
        let figures = try node.store.read { reader in
            try accounts.reduce(into: [String: AmountMinorUnits]()) { $0[$1] = try reader.bankJournalBalance($1, through: day) }
        }
        try node.reportBalances(date: day, reported: figures, signatures: BusinessProvince.clerks(code))
        try province.sync(code)
    }

    @Test func everyPlantedProblemIsFoundAndNothingElse() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let a = "340121", b = "340122"
        let planted = Plant(province: province, county: b)
        for day in Self.days {
            try Self.cleanDay(province, a, day, reportSkipping: day.description == "2026-11-04" ? BusinessProvince.expense(a) : nil)
            try Self.cleanDay(province, b, day) {
                if day.description == "2026-11-02" { try planted.agedInTransit(on: day) }
                if day.description == "2026-11-06" {
                    try planted.oneSidedSlip(on: day)
                    try planted.amountMismatch(on: day)
                }
            }
        }
        try Plant(province: province, county: a).counterGap(on: BusinessDate("2026-11-06")!)
        try Plant.statementWithUnbookedEntry(province)

        let report = try Reconciler(hub: province.hub).run(from: Self.days.first!, through: Self.days.last!, incremental: false)
        let found = Set(report.findings.map { "\($0.check) \($0.org) \($0.level)" })
        let expected: Set<String> = [
            "not_reported 340121 county", "completeness 340121 county", "statement 340000 province",
            "slip_pairing 340122 county", "slip_amount_mismatch 340122 county", "in_transit_aged 340122 county",
            // Consequences of the one-sided slip and the amount mismatch, level by level:
            "internal_accounts 340122 county", "elimination 340100 city", "elimination 340000 province", "conservation 340000 province",
        ]
        #expect(found == expected, "unexpected: \(found.subtracting(expected)); missing: \(expected.subtracting(found))")
        let missing = report.findings.first { $0.check == "not_reported" }
        #expect(missing?.subject == BusinessProvince.expense(a) && missing?.date == "2026-11-04")
        let mismatch = report.findings.first { $0.check == "slip_amount_mismatch" }
        #expect(mismatch?.expected == 500_000 && mismatch?.actual == 450_000)
        #expect(report.findings.filter { $0.check == "slip_pairing" }.count == 1)
    }

    @Test func incrementalRunOnlyRebuildsTheDaysABatchChanged() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        for day in Self.days { try Self.cleanDay(province, "340121", day) }
        let reconciler = Reconciler(hub: province.hub)
        let full = try reconciler.run(from: Self.days.first!, through: Self.days.last!, incremental: false)
        #expect(full.findings.filter { $0.org == "340121" }.isEmpty)
        #expect(full.cellsRebuilt >= 10)
        let next = BusinessDate("2026-11-09")!
        try Self.cleanDay(province, "340121", next)
        let incremental = try reconciler.run(from: Self.days.first!, through: next, incremental: true)
        #expect(incremental.cellsRebuilt == 2, "the county's and the hub's books of 9 November only")
        #expect(incremental.findings.filter { $0.org == "340121" }.isEmpty)
        let again = try reconciler.run(from: Self.days.first!, through: next, incremental: true)
        #expect(again.cellsRebuilt == 0)
    }

    @Test func differenceNoticesFlowDownAndExplanationsUp() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let code = "340122"
        try Self.cleanDay(province, code, BusinessDate("2026-11-02")!) {
            try Plant(province: province, county: code).agedInTransit(on: BusinessDate("2026-11-02")!)
        }
        _ = try Reconciler(hub: province.hub).run(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-09")!, incremental: false)
        let notices = try province.hub.sendDifferenceNotices()
        #expect(!notices.isEmpty)
        try province.base.deliverFromHub()
        let node = province.node(code)
        let received = try node.store.documents(.differenceNotice)
        let forCounty = try province.hub.store.findings().filter { $0.org == code && $0.notice != nil }
        #expect(received.count == forCounty.count && received.allSatisfy { $0["org"] == code })
        let aged = try #require(received.first { $0["check_kind"] == "in_transit_aged" })
        try node.explain(notice: aged["id"]!, text: "the bank delayed the transfer; receipt expected 10 November",
                         date: BusinessDate("2026-11-09")!, signatures: BusinessProvince.clerks(code))
        try province.sync(code)
        let finding = try province.hub.store.findings().first { $0.notice == aged["id"] }
        #expect(finding?.status == "explained" && finding?.explanation?.contains("bank delayed") == true)
        let rerun = try Reconciler(hub: province.hub).run(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-09")!, incremental: true)
        #expect(rerun.findings.first { $0.check == "in_transit_aged" }?.status == "explained", "an explanation survives a rerun")
    }
}
