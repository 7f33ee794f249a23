import BankPayments
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SimulatedBank
import SyncTesting
import Testing

/// 7/7 item 1 for allocation orders: a cashier pays an approved order through the bank. It is an instruction from the
/// hub's account to the branch's expense account until the bank books it; then the order is paid on the bank's booking
/// date in the cashier's name, exactly as a payment made at the counter is booked, and the slip goes down. A rejection
/// leaves the order approved; it is never paid twice.
@Suite struct AllocationThroughBankTests {
    static let day = BusinessProvince.startDate

    static func approvedOrder(_ province: BusinessProvince) throws -> String {
        let county = province.node("340122")
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(200_000_000),
                                                       reason: "large claim payout", date: day, signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: "claim verified")
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        return order
    }

    @Test func anOrderSentThroughTheBankIsBookedOnTheBanksDayInTheCashiersName() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let order = try Self.approvedOrder(province)
        #expect(throws: TreasuryError.self, "only a fund-centre cashier pays") { try hub.sendAllocationToBank(order, cashier: "hub-manager") }
        let instruction = try hub.sendAllocationToBank(order, cashier: "hub-cashier")
        #expect(instruction == "\(order)-1")
        let queued = try #require(try hub.storage.bankInstruction(instruction))
        #expect(queued.debtorAccount == BusinessProvince.hubExpense && queued.creditorAccount == BusinessProvince.expense("340122"))
        #expect(queued.amountMinorUnits == 200_000_000 && queued.requestedBy == "hub-cashier")
        #expect(throws: TreasuryError.self, "never paid by hand as well") { try hub.payAllocation(order, cashier: "hub-cashier", advice: "X") }
        #expect(throws: TreasuryError.self, "never sent twice") { try hub.sendAllocationToBank(order, cashier: "hub-cashier") }
        #expect(try hub.store.documents(.allocation).first { $0["id"] == order }?["state"] == "approved", "nothing booked yet")

        let folder = province.base.root.url.appendingPathComponent("bank")
        let link = try FolderBankLink(folder: folder)
        let bankDay = BusinessDate("2026-11-03")!
        let bank = try SimulatedBank(folder: folder, bookingDate: bankDay)
        _ = try hub.sendBankInstructions(link: link)
        try bank.run()
        // The centre closes its books through the bank's day before the answer is read: the bank's booking still stands.
        try hub.lockPeriod(through: bankDay)
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.allocations == [order: "2026-11-03"], "\(answers)")
        #expect(try hub.storage.streamFindings().contains { $0.kind == "counterpart-in-closed-period" }, "a finding says so")
        let paid = try #require(try hub.store.documents(.allocation).first { $0["id"] == order })
        #expect(paid["state"] == "paid")
        let slip = try #require(paid["slip"])
        let slipRow = try #require(try hub.store.documents(.slip).first { $0["id"] == slip })
        #expect(slipRow["date"] == "2026-11-03" && slipRow["bank_advice"] == "BANK \(instruction)" && slipRow["reviewer"] == "hub-cashier",
                "\(slipRow)")
        #expect(try hub.receiveBankFiles(link: link).allocations.isEmpty, "booked once")
        try province.base.deliverFromHub()
        let county = province.node("340122")
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(slip)") == [["Dr 340122:1012 2000000.00", "Cr 340122:3001.01 2000000.00"]])
        #expect(try county.store.documents(.application).first?["state"] == "allocated")
        #expect(try hub.verify().isEmpty)
    }

    @Test func aRejectedInstructionLeavesTheOrderApprovedToBeSentAgain() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let order = try Self.approvedOrder(province)
        let first = try hub.sendAllocationToBank(order, cashier: "hub-cashier")
        let folder = province.base.root.url.appendingPathComponent("bank")
        let link = try FolderBankLink(folder: folder)
        let bank = try SimulatedBank(folder: folder, behaviour: SimulatedBankBehaviour(
            rejects: [first: SimulatedBankReason(code: "AC06", text: "账户已冻结")]), bookingDate: BusinessDate("2026-11-03")!)
        _ = try hub.sendBankInstructions(link: link)
        try bank.run()
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.rejected[first]?.contains("AC06") == true && answers.allocations.isEmpty)
        #expect(try hub.store.documents(.allocation).first { $0["id"] == order }?["state"] == "approved")
        #expect(try hub.sendAllocationToBank(order, cashier: "hub-cashier") == "\(order)-2", "sent again under a new end-to-end id")
    }
}
