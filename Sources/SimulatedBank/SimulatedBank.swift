import BankPayments
import Foundation
import LedgerCore

/// A bank for tests and the demo (7/7 item 3), behind the folder link's layout: it takes each pain.001 from
/// `outbox/` (moving it to `outbox/taken/`, as a front-end machine does), executes or rejects each instruction, and
/// answers in `inbox/` with a pain.002 status report and a camt.054 debit notification per message; at the end of a
/// day it writes a camt.053 statement per account. Every answer it writes validates against the published XSDs (its
/// tests check that).
///
/// It never pays an end-to-end id twice unless ``SimulatedBankBehaviour/acceptsDuplicates`` — and then it counts it
/// (``paidTwice``), so a test proves the sender never sent one twice.
public final class SimulatedBank {
    public let folder: URL
    public var behaviour: SimulatedBankBehaviour
    /// The bank's booking day for what it executes now.
    public var bookingDate: BusinessDate
    /// The bank's clock for its message times.
    public var nowMilliseconds: Int64
    var ledger: SimulatedBankLedger

    var outbox: URL { folder.appendingPathComponent("outbox") }
    var inbox: URL { folder.appendingPathComponent("inbox") }
    var stateFile: URL { folder.appendingPathComponent("simulated-bank.json") }

    /// Opens the bank on `folder` (the same folder the hub's ``FolderBankLink`` uses), with what it remembers there.
    public init(folder: URL, behaviour: SimulatedBankBehaviour = SimulatedBankBehaviour(), bookingDate: BusinessDate,
                nowMilliseconds: Int64 = 0) throws {
        self.folder = folder
        self.behaviour = behaviour
        self.bookingDate = bookingDate
        self.nowMilliseconds = nowMilliseconds
        for path in ["outbox/taken", "inbox"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        // What it remembers must be read or the bank refuses to open: a bank that forgot the ids it saw would pay them
        // again. Only a bank that never ran starts empty.
        let state = folder.appendingPathComponent("simulated-bank.json")
        if FileManager.default.fileExists(atPath: state.path) {
            ledger = try JSONDecoder().decode(SimulatedBankLedger.self, from: Data(contentsOf: state))
        } else {
            ledger = SimulatedBankLedger()
        }
    }

    /// End-to-end ids the bank paid more than once (only possible with ``SimulatedBankBehaviour/acceptsDuplicates``).
    public var paidTwice: [String] { ledger.paid.filter { $0.value > 1 }.map(\.key).sorted() }
    /// How many times the bank paid `endToEndID`.
    public func timesPaid(_ endToEndID: String) -> Int { ledger.paid[endToEndID] ?? 0 }
    /// Whether the bank has ever received `endToEndID` (what a status query would tell).
    public func knows(_ endToEndID: String) -> Bool { ledger.received.contains(endToEndID) }

    /// What one run did.
    public struct RunReport: Equatable, Sendable {
        public var messages: [String] = []
        public var paid: [String] = []
        public var rejected: [String] = []
        public var held: [String] = []
        public var dropped: [String] = []
        public var refusedFiles: [String] = []
    }

    /// Takes every message waiting in `outbox/`, oldest name first, and answers them; writes the answers held back
    /// on the previous run first.
    @discardableResult
    public func run() throws -> RunReport {
        var report = RunReport()
        let held = ledger.held
        ledger.held = []
        if !held.isEmpty { try answer(settled: held, rejected: [], into: &report) }
        let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".xml") }.sorted()
        for name in names {
            let file = outbox.appendingPathComponent(name)
            let data = try Data(contentsOf: file)
            try FileManager.default.moveItem(at: file, to: outbox.appendingPathComponent("taken").appendingPathComponent(name))
            let message: PaymentMessage
            do {
                message = try Pain001Reader.read(data).message
            } catch {
                report.refusedFiles.append(name)
                continue
            }
            report.messages.append(message.id)
            var settled: [SimulatedBankLedger.HeldAnswer] = []
            var rejected: [(SimulatedBankLedger.HeldAnswer, SimulatedBankReason)] = []
            for group in message.groups {
                for instruction in group.instructions {
                    let answer = SimulatedBankLedger.HeldAnswer(
                        messageID: message.id, groupID: group.id, endToEndID: instruction.endToEndID, account: group.debtor.account.number,
                        currency: instruction.currency.code, amountMinorUnits: instruction.amount.value, creditor: instruction.creditor.name,
                        remittance: instruction.remittance)
                    let repeated = ledger.received.contains(instruction.endToEndID)
                    ledger.received.insert(instruction.endToEndID)
                    if repeated && !behaviour.acceptsDuplicates {
                        rejected.append((answer, SimulatedBankReason(code: "AM05", text: "重复的付款指令 (duplicate end-to-end id)")))
                    } else if let reason = behaviour.rejects[instruction.endToEndID] {
                        rejected.append((answer, reason))
                    } else {
                        ledger.paid[instruction.endToEndID, default: 0] += 1
                        ledger.bookings.append(.init(account: answer.account, currency: answer.currency, date: bookingDate.description,
                                                     endToEndID: answer.endToEndID, amountMinorUnits: answer.amountMinorUnits,
                                                     creditor: answer.creditor, reference: "SIM-\(ledger.bookings.count + 1)"))
                        report.paid.append(instruction.endToEndID)
                        if behaviour.drops.contains(instruction.endToEndID) {
                            report.dropped.append(instruction.endToEndID)
                        } else if behaviour.delays.contains(instruction.endToEndID) {
                            ledger.held.append(answer)
                            report.held.append(instruction.endToEndID)
                        } else {
                            settled.append(answer)
                        }
                    }
                }
            }
            try answer(settled: settled, rejected: rejected, into: &report)
        }
        try save()
        return report
    }

    private func answer(settled: [SimulatedBankLedger.HeldAnswer], rejected: [(SimulatedBankLedger.HeldAnswer, SimulatedBankReason)],
                        into report: inout RunReport) throws {
        report.rejected += rejected.map(\.0.endToEndID)
        let all = settled.map { ($0, "ACSC", SimulatedBankReason?.none) } + rejected.map { ($0.0, "RJCT", Optional($0.1)) }
        for messageID in Array(Set(all.map(\.0.messageID))).sorted() {
            let answers = all.filter { $0.0.messageID == messageID }
            let report002 = SimulatedBankMessages.statusReport(id: nextFileID("STS"), originalMessageID: messageID, answers: answers,
                                                               at: nowMilliseconds)
            try write(report002, name: "\(nextFileID("pain002")).xml")
            if behaviour.duplicatesAnswers { try write(report002, name: "\(nextFileID("pain002")).xml") }
        }
        for account in Array(Set(settled.map(\.account))).sorted() {
            let entries = settled.filter { $0.account == account }
            let notification = SimulatedBankMessages.debitNotification(id: nextFileID("NTF"), account: account, entries: entries,
                                                                       bookingDate: bookingDate, at: nowMilliseconds)
            try write(notification, name: "\(nextFileID("camt054")).xml")
        }
    }

    /// Writes the camt.053 statement of `date` for every account the bank booked on, from `openings` (an account's
    /// balance before the day; 0 when not given).
    public func endOfDay(_ date: BusinessDate, openings: [String: Int64] = [:]) throws {
        let day = ledger.bookings.filter { $0.date == date.description }
        for account in Array(Set(day.map(\.account))).sorted() {
            let bookings = day.filter { $0.account == account }
            let statement = SimulatedBankMessages.statement(id: nextFileID("STM"), account: account, opening: openings[account] ?? 0,
                                                            bookings: bookings, date: date, at: nowMilliseconds)
            try write(statement, name: "\(nextFileID("camt053")).xml")
        }
        try save()
    }

    private func nextFileID(_ kind: String) -> String {
        ledger.filesWritten += 1
        return "SIM-\(kind)-\(String(format: "%06d", ledger.filesWritten))"
    }

    /// Answers appear whole: written aside, then renamed into `inbox/`.
    private func write(_ text: String, name: String) throws {
        let partial = inbox.appendingPathComponent(".\(name).partial")
        try Data(text.utf8).write(to: partial)
        try FileManager.default.moveItem(at: partial, to: inbox.appendingPathComponent(name))
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(ledger).write(to: stateFile, options: .atomic)
    }
}
