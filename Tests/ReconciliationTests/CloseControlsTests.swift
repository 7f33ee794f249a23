import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 5: the month-end close enforces reconciliation. Release 1 closed November with elimination off by
/// 100.00 and 200 unreported days. `hub close` now also refuses while a bank account stands overdrawn (no line covers
/// it) or an item in transit is explained only by free text; `hub lock` is an override that needs a reason and a person
/// with the authority, and every report of the period shows it.
@Suite struct CloseControlsTests {
    @Test func aCloseIsRefusedWhileABankAccountStandsOverdrawn() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = "340121", expense = BusinessProvince.expense(county)
        try province.node(county).post([VoucherDraft(date: "2026-11-20", memo: "bank charge booked by hand", preparer: "340121-cashier",
                                                     lines: [.init(account: "340121:6602", debit: "5000000.01"), .init(account: expense, credit: "5000000.01")],
                                                     reviewer: "340121-manager")])
        province.base.clock.advance(milliseconds: 86_400_000 * 40)  // into December
        try province.node("340122").post([VoucherDraft(date: "2026-12-01", memo: "income", preparer: "340122-cashier",
                                                       lines: [.init(account: "340122:1002", debit: "1.00"), .init(account: "340122:6001", credit: "1.00")])])
        for code in ["340121", "340122"] { try province.sync(code) }
        var reasons: [String] = []
        do {
            try province.hub.closePeriod("2026-11")
        } catch let refusal as CloseRefusal {
            reasons = refusal.reasons.filter { !$0.contains("has not confirmed its books") }   // ConfirmationTests
        }
        #expect(reasons == ["bank account \(expense) of 340121 is overdrawn by 0.01 at 2026-11-30 with no overdraft line covering it"], "\(reasons)")
    }

    @Test func anOverrideLockNeedsAReasonAndAuthorityAndEveryReportOfThePeriodSaysSo() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let through = BusinessDate("2026-11-13")!
        #expect(throws: RegistryError.self) { try province.hub.overrideLock(through: through, reason: "", by: "hub-manager") }
        #expect(throws: RegistryError.self) { try province.hub.overrideLock(through: through, reason: "weekly close", by: "hub-cashier") }
        try province.hub.overrideLock(through: through, reason: "weekly close after interest", by: "hub-manager")
        let report = try province.hub.report(.fundFlow, from: BusinessDate("2026-11-02")!, through: through, org: nil)
        let override = report.tables[0].parameters.first { $0.name == "Closed by override" }
        #expect(override?.value == "through 2026-11-13 by hub-manager: weekly close after interest", "\(report.tables[0].parameters)")
        let later = try province.hub.report(.fundFlow, from: BusinessDate("2026-11-16")!, through: BusinessDate("2026-11-20")!, org: nil)
        #expect(!later.tables[0].parameters.contains { $0.name == "Closed by override" }, "a later period was not closed so")
        try province.base.deliverFromHub()
        let lock = try province.node("340121").store.documents(.periodLock).first
        #expect(lock?["override_by"] == "hub-manager", "the override travels with the lock: \(String(describing: lock))")
    }
}
