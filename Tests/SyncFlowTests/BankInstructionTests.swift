import BankPayments
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SimulatedBank
import SyncTesting
import Testing

/// 7/7 items 1–4 at the hub, against the simulated bank: a released payment becomes a pain.001 instruction, the bank's
/// pain.002 and camt.054 come back through the folder link, and the instruction is settled on the bank's booking day or
/// rejected with the bank's reason. A sender that stops between writing a message and recording its delivery never
/// sends an instruction twice: the next run asks what the bank knows first.
@Suite struct BankInstructionTests {
    static let county = "340121"
    static let day = BusinessDate("2026-11-02")!
    static let bankDay = BusinessDate("2026-11-03")!

    /// A province whose county has entered three payments, each released at the hub.
    static func released(_ province: BusinessProvince, count: Int = 3) throws -> [String] {
        let node = province.node(county)
        var ids: [String] = []
        for index in 0..<count {
            ids.append(try node.enterPayment(account: BusinessProvince.expense(county), payee: "合肥路桥工程有限公司 \(index + 1)",
                                             payeeAccount: "62220000111122\(20 + index)", amount: AmountMinorUnits(Int64(100_000 * (index + 1))),
                                             date: day, purpose: "道路养护 \(index + 1)", expenseAccount: "\(county):6602",
                                             signatures: BusinessProvince.clerks(county), payeeKind: .organisation, basis: nil))
        }
        try province.sync(county)
        for id in ids { try province.hub.releasePayment(id, by: "hub-supervisor") }
        return ids
    }

    static func folder(_ province: BusinessProvince) -> URL { province.base.root.url.appendingPathComponent("bank") }

    @Test func aReleasedPaymentIsPaidThroughTheBankAndSettledOnTheBanksDay() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let ids = try Self.released(province)
        #expect(try hub.storage.bankInstructions(state: .queued).map(\.endToEndID) == ids, "queued in the release's own transaction")

        let link = try FolderBankLink(folder: Self.folder(province))
        let bank = try SimulatedBank(folder: Self.folder(province), behaviour: SimulatedBankBehaviour(
            rejects: [ids[1]: SimulatedBankReason(code: "AC04", text: "收款账户已销户")]), bookingDate: Self.bankDay)
        let sent = try hub.sendBankInstructions(link: link)
        #expect(sent.delivered.map { String($0.prefix(15)) } == ["340000-M000001-"] && sent.instructionsSent == 3, "\(sent.delivered)")
        #expect(try hub.storage.bankInstructions(state: .sent).count == 3, "sent, unconfirmed until the bank answers")
        let summary = try hub.storage.bankInstructionSummary()
        #expect(summary.counts == ["sent": 3] && summary.oldestUnconfirmedSentMilliseconds != nil, "what /metrics reads")
        #expect(try hub.sendBankInstructions(link: link) == BankSendReport(), "nothing is sent twice")
        let stored = try Data(contentsOf: Self.folder(province).appendingPathComponent("outbox/\(sent.delivered[0]).xml"))
        #expect(try link.knowledge(of: [ids[0]], messageName: sent.delivered[0], bytes: stored) == [ids[0]: .knows])
        #expect(try link.knowledge(of: [ids[0]], messageName: sent.delivered[0], bytes: Data("<Document/>".utf8)) == [ids[0]: .cannotTell],
                "other bytes under its name (a hub restored from a backup) are another message")

        let run = try bank.run()
        #expect(run.paid == [ids[0], ids[2]] && run.rejected == [ids[1]])
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.refused.isEmpty, "\(answers.refused)")
        #expect(answers.settled == [ids[0]: "2026-11-03", ids[2]: "2026-11-03"], "the bank's booking day")
        #expect(answers.rejected[ids[1]]?.contains("AC04 收款账户已销户") == true, "\(answers.rejected)")
        let settled = try #require(try hub.storage.bankInstruction(ids[0]))
        #expect(settled.state == .settled && settled.bookedOn == "2026-11-03" && settled.statusCode == "BOOK")

        // The rejected payment is returned to the county with the bank's reason; nothing of it was booked there, since a
        // payment is booked only once the bank has paid it, and the two it paid are booked on its booking day.
        #expect(try hub.store.documents(.payment).first { $0["id"] == ids[1] }?["state"] == "returned")
        #expect(answers.payments == [ids[0]: "paid 2026-11-03", ids[2]: "paid 2026-11-03", ids[1]: "returned 2026-11-02"], "\(answers.payments)")
        try province.sync(Self.county)
        let node = province.node(Self.county)
        let payment = try #require(try node.store.documents(.payment).first { $0["id"] == ids[1] })
        #expect(payment["state"] == "returned" && payment["state_reason"]?.contains("AC04 收款账户已销户") == true, "\(payment)")
        #expect(try BusinessProvince.lines(in: node.store, source: "payment:\(ids[1])").isEmpty)
        #expect(try BusinessProvince.lines(in: node.store, source: "payment:\(ids[1]):returned").isEmpty, "nothing to reverse")
        let expense = BusinessProvince.expense(Self.county)
        #expect(try BusinessProvince.lines(in: node.store, source: "payment:\(ids[0])") == [["Dr 340121:6602 1000.00", "Cr \(expense) 1000.00"]])
        let paid = try node.store.read { try $0.vouchers(source: "payment:\(ids[2])") }
        #expect(paid.map(\.date.description) == ["2026-11-03"], "booked on the bank's booking day, not the release's")
        #expect(try node.store.documents(.payment).first { $0["id"] == ids[2] }?["state"] == "paid")
        try province.sync(Self.county)
        #expect(try hub.store.rejectedChanges().isEmpty, "the county's bookings are accepted at the hub")
        // Read again (a stop before the files were acknowledged): nothing is returned twice.
        #expect(try hub.receiveBankFiles(link: link).files.isEmpty)

        // The day's statement comes back the same way and is imported like any other.
        try bank.endOfDay(Self.bankDay, openings: [BusinessProvince.expense(Self.county): BusinessProvince.countyOpening.value])
        let statements = try hub.receiveBankFiles(link: link)
        #expect(statements.statements.count == 1 && statements.refused.isEmpty, "\(statements)")
        #expect(bank.paidTwice.isEmpty)
    }

    /// The sender stops after the message is stored and before its delivery is recorded, in each of the three places
    /// a crash can fall; the bank accepts repeated ids and pays them again (DECISIONS), and still pays each once.
    @Test(arguments: ["before-writing", "partly-written", "delivered-not-recorded"])
    func aSenderStoppedMidwayNeverPaysTwice(_ crash: String) throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let ids = try Self.released(province, count: 2)
        let link = try FolderBankLink(folder: Self.folder(province))
        let bank = try SimulatedBank(folder: Self.folder(province), behaviour: SimulatedBankBehaviour(acceptsDuplicates: true),
                                     bookingDate: Self.bankDay)
        // The first run claims and stores the message, then stops where `crash` says.
        let message = try #require(try hub.storage.claimBankInstructions(
            bank: "default", messagePrefix: "340000-M", version: Pain001Version.v03.rawValue, limit: 10, atMilliseconds: 0,
            write: { id, records in
                Data(try Pain001Writer.write(PaymentMessage(id: id, createdAtMilliseconds: 0, initiatingParty: "hub", groups: [
                    PaymentGroup(id: "\(id)-1", debtor: PaymentParty(name: "county", account: .other(records[0].debtorAccount)),
                                 requestedExecutionDate: Self.day, instructions: records.map {
                                     PaymentInstruction(endToEndID: $0.endToEndID, amount: AmountMinorUnits($0.amountMinorUnits), currency: .cny,
                                                        creditor: PaymentParty(name: $0.creditorName, account: .other($0.creditorAccount)),
                                                        remittance: $0.remittance)
                                 }),
                ]), version: .v03))
            }))
        switch crash {
        case "partly-written":
            try Data("<Document".utf8).write(to: Self.folder(province).appendingPathComponent("outbox/.\(message.id).partial"))
        case "delivered-not-recorded":
            try link.deliver(message.bytes, name: message.id)
            try bank.run()  // the bank has already taken and paid it
        default: break
        }

        let next = try hub.sendBankInstructions(link: link)
        switch crash {
        case "partly-written":
            #expect(next.requeued == [message.id] && next.delivered.map { String($0.prefix(15)) } == ["340000-M000002-"],
                    "the bank never had it: sent again, in a new message")
        case "delivered-not-recorded":
            #expect(next.confirmedDelivered == [message.id] && next.delivered.isEmpty, "the bank has it: never sent again")
        default:
            #expect(next.waiting == [message.id] && next.delivered.isEmpty, "nobody can tell: it waits for the bank or a person")
            #expect(throws: TreasuryError.self) { try hub.approveBankResend(message: message.id, by: "hub-cashier") }
            try hub.approveBankResend(message: message.id, by: "hub-supervisor")
            let resent = try hub.sendBankInstructions(link: link)
            #expect(resent.delivered.map { String($0.prefix(15)) } == ["340000-M000002-"])
            #expect(try hub.storage.bankInstruction(ids[0])?.resendApprovedBy == "hub-supervisor")
        }
        try bank.run()
        _ = try hub.receiveBankFiles(link: link)
        #expect(bank.paidTwice.isEmpty, "paid twice: \(bank.paidTwice)")
        for id in ids {
            let state = try hub.storage.bankInstruction(id)?.state
            #expect(bank.timesPaid(id) == 1 && state == .settled, "\(id): paid \(bank.timesPaid(id)) times, \(String(describing: state))")
        }
    }

    /// A bank that pays but never answers (a dropped pain.002 and camt.054): the instruction stays "sent, unconfirmed"
    /// until the day's statement shows the booking, which settles it on the statement's day.
    @Test func aDroppedAnswerIsSettledByTheStatement() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let ids = try Self.released(province, count: 1)
        let link = try FolderBankLink(folder: Self.folder(province))
        let bank = try SimulatedBank(folder: Self.folder(province), behaviour: SimulatedBankBehaviour(drops: [ids[0]]), bookingDate: Self.bankDay)
        _ = try hub.sendBankInstructions(link: link)
        #expect(try bank.run().dropped == ids)
        #expect(try hub.receiveBankFiles(link: link).files.isEmpty)
        #expect(try hub.storage.bankInstruction(ids[0])?.state == .sent, "sent, unconfirmed")
        try bank.endOfDay(Self.bankDay, openings: [BusinessProvince.expense(Self.county): BusinessProvince.countyOpening.value])
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.statements.count == 1 && answers.settled == [ids[0]: "2026-11-03"], "\(answers)")
    }

    /// A late, duplicated or foreign answer changes nothing it should not.
    @Test func answersAreAppliedOnceAndOnlyToInstructionsTheHubSent() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let ids = try Self.released(province, count: 2)
        let link = try FolderBankLink(folder: Self.folder(province))
        let bank = try SimulatedBank(folder: Self.folder(province), behaviour: SimulatedBankBehaviour(delays: [ids[1]], duplicatesAnswers: true),
                                     bookingDate: Self.bankDay)
        _ = try hub.sendBankInstructions(link: link)
        try bank.run()
        var answers = try hub.receiveBankFiles(link: link)
        #expect(answers.settled.keys.sorted() == [ids[0]] && answers.refused.isEmpty, "\(answers)")
        #expect(try hub.storage.bankInstruction(ids[1])?.state == .sent, "the delayed one stays sent, unconfirmed")
        try bank.run()
        answers = try hub.receiveBankFiles(link: link)
        #expect(answers.settled.keys.sorted() == [ids[1]])

        let foreign = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>X</MsgId><CreDtTm>2026-11-03T10:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>340000-M000001</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>G</OrgnlPmtInfId>
        <TxInfAndSts><OrgnlEndToEndId>340199-P000001</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
        <TxInfAndSts><OrgnlEndToEndId>\(ids[0])</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>
        </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
        """
        try Data(foreign.utf8).write(to: Self.folder(province).appendingPathComponent("inbox/late.xml"))
        try Data("not xml".utf8).write(to: Self.folder(province).appendingPathComponent("inbox/junk.xml"))
        answers = try hub.receiveBankFiles(link: link)
        #expect(answers.unknown == ["340199-P000001"], "an id the hub never sent is set aside")
        #expect(try hub.storage.bankInstruction(ids[0])?.state == .settled, "a late rejection does not undo a booking")
        #expect(answers.refused.keys.sorted() == ["junk.xml"])
        let reason = try String(contentsOf: Self.folder(province).appendingPathComponent("inbox/refused/junk.xml.reason"), encoding: .utf8)
        #expect(reason.contains("none of pain.002"), "\(reason)")
    }
}

/// 7/7 item 6: where the bank states an account's balance (a camt.052 intraday report, a camt.053 statement), the
/// daily comparison uses the bank's figure without a clerk's report, and a difference from the books is a finding the
/// same day.
@Suite struct BankBalanceReportTests {
    static let day = BusinessDate("2026-11-03")!

    static func report(account: String, balance: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt>
          <GrpHdr><MsgId>RPT-\(account)</MsgId><CreDtTm>2026-11-03T17:00:00+08:00</CreDtTm></GrpHdr>
          <Rpt><Id>RPT-\(account)-1103</Id><Acct><Id><Othr><Id>\(account)</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
            <Bal><Tp><CdOrPrtry><Cd>ITBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">\(balance)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-03</Dt></Dt></Bal>
          </Rpt></BkToCstmrAcctRpt></Document>
        """
    }

    @Test func theBanksFigureReplacesAMissingReportAndADifferenceIsAFinding() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, county = "340121"
        let expense = BusinessProvince.expense(county), income = BusinessProvince.income(county)
        func findings() throws -> [StoredFinding] {
            try Reconciler(hub: hub).run(from: Self.day, through: Self.day, incremental: false).findings
                .filter { $0.org == county && ["not_reported", "balance_difference"].contains($0.check) }
        }
        #expect(try findings().map(\.check).sorted() == ["not_reported", "not_reported"], "nobody reported either account")

        let folder = province.base.root.url.appendingPathComponent("bank")
        let link = try FolderBankLink(folder: folder)
        try Data(Self.report(account: expense, balance: "5000000.00").utf8).write(to: folder.appendingPathComponent("inbox/a.xml"))
        try Data(Self.report(account: income, balance: "12.34").utf8).write(to: folder.appendingPathComponent("inbox/b.xml"))
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.balances == ["\(expense)|2026-11-03": 500_000_000, "\(income)|2026-11-03": 1_234], "\(answers)")
        let after = try findings()
        #expect(after.map(\.check) == ["balance_difference"] && after.first?.subject == income, "\(after)")
        #expect(after.first?.message.contains("the bank's statement says 12.34") == true, "\(after.first?.message ?? "")")
    }
}
