import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import ReportWriters
import SyncTesting
import Testing

/// Issue 3/6, item 10: the allocation summary's total is what was paid. Release 1 counted a withheld order in it.
@Suite struct AllocationSummaryTests {
    @Test func theTotalCountsPaidOrdersOnlyAndListsTheWithheldOne() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let day = BusinessDate("2026-11-02")!
        var orders: [String] = []
        for (county, amount) in [("340121", Int64(30_000_000)), ("340122", Int64(40_000_000))] {
            let application = try province.node(county).submitApplication(category: "business", amount: AmountMinorUnits(amount),
                                                                          reason: "claim", date: day, signatures: BusinessProvince.clerks(county))
            try province.sync(county)
            try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: "verified")
            orders.append(try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                                    preparer: "hub-fundmanager"))
        }
        try province.hub.approveAllocation(orders[0], approver: "hub-manager")
        try province.hub.payAllocation(orders[0], cashier: "hub-cashier", advice: "BOC-PAY-1")  // the second stays withheld
        let table = try province.hub.report(.allocations, from: day, through: day, org: nil).tables[0]
        #expect(table.rows.count == 2)
        #expect(table.totals?[3] == ReportTable.Cell.money(minorUnits: 30_000_000, scale: 2), "\(String(describing: table.totals))")
    }
}
