import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 7: a slip is one fact everywhere. Release 1 showed a county's sweeps "in transit" after the hub had
/// cleared them, and the hub's allocations "issued" after the counties had cleared them: each office kept its own view.
/// A slip is now cleared at every office that holds the voucher booking its bank receipt, whichever side wrote it.
@Suite struct SlipStatusTests {
    static func status(_ store: ReplicaStore, _ slip: String) throws -> String? {
        try store.documents(.slip).first { $0["id"] == slip }?["status"]
    }

    @Test func aSweepClearedAtTheHubIsClearedAtTheCountyAndAnAllocationClearedAtTheCountyIsClearedAtTheHub() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121"), income = BusinessProvince.income("340121"), day = BusinessDate("2026-11-02")!
        try county.post([VoucherDraft(date: day.description, memo: "income", preparer: "340121-cashier",
                                      lines: [.init(account: income, debit: "5200.00"), .init(account: "340121:6001", credit: "5200.00")])])
        let sweep = try county.sweep(account: income, date: day, amount: nil, advice: "SW-1", signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        #expect(try Self.status(county.store, sweep.slip) == "in_transit")
        try province.hub.recordSweepReceipt(collectionAccount: BusinessProvince.hubCollection, date: day, amount: sweep.amount,
                                            advice: "RCV-1", slip: sweep.slip, signatures: DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager"))
        try province.base.deliverFromHub()
        #expect(try Self.status(county.store, sweep.slip) == "cleared", "the hub's receipt reached the county")

        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(1_000_000), reason: "works",
                                                       date: day, signatures: BusinessProvince.clerks("340121", approver: "340121-head"))
        try province.sync("340121")
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        let allocation = try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-1")
        try province.base.deliverFromHub()
        #expect(try Self.status(province.hub.store, allocation.slip) == "issued")
        try county.recordBankAdvice(account: BusinessProvince.expense("340121"), date: day, direction: .receipt, amount: AmountMinorUnits(1_000_000),
                                    advice: "RCV-2", counterparty: "340000", memo: nil, slip: allocation.slip, signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        #expect(try Self.status(province.hub.store, allocation.slip) == "cleared", "the county's receipt reached the hub")
    }
}
