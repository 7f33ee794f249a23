import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 4, with 7/7: a released payment is booked on the day its money leaves the bank, not on the day it
/// was entered (release 1 dated it on entry, and the daily reports of the day in between showed false differences of
/// 356,800.00 and 68,400.00 in the demo) nor on the day it was released: while it is with the bank it is promised (it
/// counts against the available balance) and unbooked, and the bank's booking date is the voucher's.
@Suite struct ReleaseDateTests {
    static let county = "340121"

    static func entered(_ province: BusinessProvince, amount: Int64 = 35_680_000) throws -> String {
        let payment = try province.node(county).enterPayment(
            account: BusinessProvince.expense(county), payee: "Anhui Road Works", payeeAccount: "6222000011112222",
            amount: AmountMinorUnits(amount), date: BusinessDate("2026-11-09")!, purpose: "works", expenseAccount: "340121:6602",
            signatures: BusinessProvince.clerks(county))
        try province.sync(county)
        return payment
    }

    @Test func aPaymentIsBookedOnTheDayTheBankPaysIt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node(Self.county), expense = BusinessProvince.expense(Self.county)
        let payment = try Self.entered(province)
        #expect(throws: TreasuryError.self, "not before it was entered") {
            try province.hub.releasePayment(payment, by: "hub-supervisor", on: BusinessDate("2026-11-08")!)
        }
        try province.hub.releasePayment(payment, by: "hub-supervisor", on: BusinessDate("2026-11-10")!)
        try province.base.deliverFromHub()
        #expect(try county.store.read { try $0.vouchers(source: "payment:\(payment)") }.isEmpty, "with the bank: not booked yet")
        let day = BusinessDate("2026-11-12")!
        let before = try county.store.read { try $0.availableBalance(expense, through: day, excludingPayment: nil) }
        let bookBefore = try county.store.read { try $0.bookBalance(expense, through: day) }
        #expect(before.value == bookBefore.value - 35_680_000, "promised while it is with the bank")

        try province.hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-12")!, by: "hub-cashier", receipt: "HD20261112-0007")
        try province.base.deliverFromHub()
        let booked = try county.store.read { try $0.vouchers(source: "payment:\(payment)") }
        #expect(booked.map(\.date.description) == ["2026-11-12"], "the bank's booking date")
        #expect(booked.first?.lines.map { "\($0.side == .debit ? "Dr" : "Cr") \($0.account) \($0.amount)" }
                == ["Dr 340121:6602 356800.00", "Cr \(expense) 356800.00"])
        #expect(try county.store.read { try $0.availableBalance(expense, through: day, excludingPayment: nil) } == before, "counted once")
        #expect(try county.store.documents(.payment).first { $0["id"] == payment }?["state"] == "paid")
        #expect(try province.hub.storage.bankInstruction(payment)?.state == .settled)
        #expect(try province.hub.storage.bankInstruction(payment)?.reason == "recorded by hub-cashier from the bank's receipt HD20261112-0007")
    }

    /// A booking recorded by hand is the cashier's word on a bank's receipt: only fund-centre cashiers may record it,
    /// once, never for an instruction the bank rejected or before its release, and an instruction recorded so is never
    /// sent afterwards.
    @Test func aBookingRecordedByHandIsCheckedAndNeverSentAfterwards() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let payment = try Self.entered(province)
        try hub.releasePayment(payment, by: "hub-supervisor", on: BusinessDate("2026-11-10")!)
        func code(_ body: () throws -> Void) -> TreasuryError.Code? {
            do { try body() } catch let error as TreasuryError { return error.code } catch { Issue.record(error) }
            return nil
        }
        #expect(code { try hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-12")!, by: "hub-accountant", receipt: "R1") } == .notPermitted)
        #expect(code { try hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-09")!, by: "hub-cashier", receipt: "R1") } == .invalidValue)
        #expect(code { try hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-12")!, by: "hub-cashier", receipt: "  ") } == .invalidValue)
        #expect(code { try hub.recordBankBooking(of: "340121-P999", bookedOn: BusinessDate("2026-11-12")!, by: "hub-cashier", receipt: "R1") } == .notFound)
        try hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-12")!, by: "hub-cashier", receipt: "R1")
        #expect(code { try hub.recordBankBooking(of: payment, bookedOn: BusinessDate("2026-11-13")!, by: "hub-cashier", receipt: "R2") } == .wrongState)
        let link = try FolderBankLink(folder: province.base.root.url.appendingPathComponent("bank"))
        #expect(try hub.sendBankInstructions(link: link).instructionsSent == 0, "paid by hand: never sent to the bank")
        #expect(try hub.receiveBankFiles(link: link).payments.isEmpty, "marked paid once")
        #expect(try hub.store.documents(.payment).first { $0["id"] == payment }?["state"] == "paid")
    }
}
