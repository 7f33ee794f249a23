import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 4: a released payment is booked on the bank date of its release, not on the day it was entered.
/// Release 1 dated it on entry, and the daily reports of the day in between showed false differences of 356,800.00
/// and 68,400.00 in the demo. An account opened by an approved request is expected in the daily reports from the day
/// of the decision, not before (item 10: five false `not_reported` findings in the demo).
@Suite struct ReleaseDateTests {
    @Test func aPaymentIsBookedOnTheDayTheHubReleasesIt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121"), expense = BusinessProvince.expense("340121")
        let payment = try county.enterPayment(account: expense, payee: "Anhui Road Works", payeeAccount: "6222000011112222",
                                              amount: AmountMinorUnits(35_680_000), date: BusinessDate("2026-11-09")!, purpose: "works",
                                              expenseAccount: "340121:6602", signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        #expect(throws: TreasuryError.self, "not before it was entered") {
            try province.hub.releasePayment(payment, by: "hub-supervisor", on: BusinessDate("2026-11-08")!)
        }
        try province.hub.releasePayment(payment, by: "hub-supervisor", on: BusinessDate("2026-11-10")!)
        try province.base.deliverFromHub()
        let booked = try county.store.read { try $0.vouchers(source: "payment:\(payment)") }
        #expect(booked.map(\.date.description) == ["2026-11-10"])
        #expect(booked.first?.lines.map { "\($0.side == .debit ? "Dr" : "Cr") \($0.account) \($0.amount)" }
                == ["Dr 340121:6602 356800.00", "Cr \(expense) 356800.00"])
    }
}
