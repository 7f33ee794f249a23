import BankPayments
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SimulatedBank
import SyncTesting
import Testing

/// 7/7 item 5, batch payments (代发): a county pays its staff from one account, from a list, in one payment released
/// under the authority of its total; the bank gets one instruction per person, and the county books what the bank
/// paid, on the bank's booking date. A person the bank returns is named, with the bank's reason, and is not booked.
@Suite struct BatchPaymentTests {
    static let county = "340121"
    static let day = BusinessDate("2026-11-25")!
    static let bankDay = BusinessDate("2026-11-26")!

    static let staff = [
        PaymentRecipient(name: "王芳", account: "6222021302001234567", amount: AmountMinorUnits(685_000), memo: "11月工资"),
        PaymentRecipient(name: "刘洋", account: "6217000012345678901", amount: AmountMinorUnits(732_550), memo: "11月工资"),
        PaymentRecipient(name: "陈静", account: "6228480000000000002", amount: AmountMinorUnits(1_200_000), memo: nil),
    ]

    static func enter(_ province: BusinessProvince, _ recipients: [PaymentRecipient] = staff, basis: String? = nil) throws -> String {
        try province.node(county).enterBatchPayment(account: BusinessProvince.expense(county), recipients: recipients, date: day,
                                                    purpose: "11月工资", expenseAccount: "\(county):6602",
                                                    signatures: BusinessProvince.clerks(county), basis: basis)
    }

    @Test func aPayrollIsReleasedByItsTotalPaidPerPersonAndBookedForWhatTheBankPaid() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, node = province.node(Self.county)
        let id = try Self.enter(province)
        try province.sync(Self.county)
        let stored = try #require(try hub.store.documents(.payment).first { $0["id"] == id })
        #expect(stored["amount"] == "2617550" && stored["payee"] == "代发 3 人", "\(stored)")
        try hub.releasePayment(id, by: "hub-cashier")   // 26,175.50: within the cashier's limit of 100,000.00
        let queued = try hub.storage.bankInstructions(state: .queued)
        #expect(queued.map(\.endToEndID) == ["\(id)-0001", "\(id)-0002", "\(id)-0003"])
        #expect(queued.map(\.creditorName) == ["王芳", "刘洋", "陈静"] && queued.allSatisfy { $0.source == "payment:\(id)" })
        #expect(queued.map(\.remittance) == ["11月工资 11月工资", "11月工资 11月工资", "11月工资"])

        let folder = province.base.root.url.appendingPathComponent("bank")
        let link = try FolderBankLink(folder: folder)
        let bank = try SimulatedBank(folder: folder, behaviour: SimulatedBankBehaviour(
            rejects: ["\(id)-0002": SimulatedBankReason(code: "AC04", text: "收款账户已销户")]), bookingDate: Self.bankDay)
        let sent = try hub.sendBankInstructions(link: link, version: .v09)
        #expect(sent.instructionsSent == 3 && sent.delivered.count == 1)
        let message = try Data(contentsOf: folder.appendingPathComponent("outbox/\(sent.delivered[0]).xml"))
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/iso20022/xsd/pain.001.001.09.xsd")
        try message.write(to: folder.appendingPathComponent("check.xml"))
        let lint = try runProcess("/usr/bin/env", ["xmllint", "--noout", "--schema", schema.path, folder.appendingPathComponent("check.xml").path])
        #expect(lint.status == 0, "\(lint.stderr)")
        let text = String(decoding: message, as: UTF8.self)
        #expect(text.contains("<NbOfTxs>3</NbOfTxs>") && text.contains("<CtrlSum>26175.50</CtrlSum>"), "one message, its control sums")

        try bank.run()
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.payments == [id: "paid 2026-11-26"], "\(answers)")
        let paid = try #require(try hub.store.documents(.payment).first { $0["id"] == id })
        #expect(paid["state"] == "paid")
        #expect(paid["state_reason"]?.contains("2 of 3 paid, 18850.00; returned: 刘洋 (6217000012345678901) 7325.50: AC04") == true,
                "\(paid["state_reason"] ?? "")")

        try province.sync(Self.county)
        let vouchers = try node.store.read { try $0.vouchers(source: "payment:\(id)") }.filter { $0.org.rawValue == Self.county }
        #expect(vouchers.map(\.date.description) == ["2026-11-26"], "on the bank's booking date")
        #expect(try BusinessProvince.lines(in: node.store, source: "payment:\(id)")
                == [["Dr \(Self.county):6602 18850.00", "Cr \(BusinessProvince.expense(Self.county)) 18850.00"]], "only what the bank paid")
        #expect(try node.store.documents(.payment).first { $0["id"] == id }?["state"] == "paid")
        #expect(try hub.store.rejectedChanges().isEmpty)
        #expect(try node.verify().isEmpty && hub.verify().isEmpty)
    }

    /// The authority is the total's, a person paid more than ¥50,000.00 needs a basis, the list is checked whole at the
    /// node and again at the hub, and a batch the bank returns whole is `returned` with every person's reason.
    @Test func theListsRulesHoldAndAWholeReturnReturnsThePayment() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let large = Self.staff + [PaymentRecipient(name: "赵磊", account: "6222021302009999999", amount: AmountMinorUnits(9_000_000))]
        #expect(throws: LedgerRuleViolation.self, "¥90,000.00 to one person without a basis") { try Self.enter(province, large) }
        var twice = Self.staff
        twice[2].account = twice[0].account
        #expect(throws: LedgerRuleViolation.self, "one account twice") { try Self.enter(province, twice) }
        #expect(throws: LedgerRuleViolation.self, "an empty list") { try Self.enter(province, []) }
        var control = Self.staff
        control[1].name = "刘洋\u{1B}[2J"
        #expect(throws: LedgerRuleViolation.self, "a control character, refused at entry") { try Self.enter(province, control) }
        let id = try Self.enter(province, large, basis: "县人社局 2026-118 号")
        try province.sync(Self.county)
        #expect(throws: TreasuryError.self, "¥116,175.50 is above the cashier's limit") { try hub.releasePayment(id, by: "hub-cashier") }
        try hub.releasePayment(id, by: "hub-supervisor")

        let folder = province.base.root.url.appendingPathComponent("bank")
        let link = try FolderBankLink(folder: folder)
        let reason = SimulatedBankReason(code: "AC01", text: "账号错误")
        let bank = try SimulatedBank(folder: folder, behaviour: SimulatedBankBehaviour(
            rejects: Dictionary(uniqueKeysWithValues: (1...4).map { ("\(id)-000\($0)", reason) })), bookingDate: Self.bankDay)
        _ = try hub.sendBankInstructions(link: link)
        try bank.run()
        #expect(try hub.receiveBankFiles(link: link).payments == [id: "returned 2026-11-25"])
        try province.sync(Self.county)
        let node = province.node(Self.county)
        let payment = try #require(try node.store.documents(.payment).first { $0["id"] == id })
        #expect(payment["state"] == "returned" && payment["state_reason"]?.hasPrefix("the bank returned all 4 (default): 王芳 (6222021302001234567)") == true,
                "\(payment)")
        #expect(try BusinessProvince.lines(in: node.store, source: "payment:\(id)").isEmpty)
    }
}
