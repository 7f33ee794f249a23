import BankPayments
import BankStatements
import Foundation
import LedgerCore
import ReplicaStore

/// What one pass over a bank's files did.
public struct BankAnswersReport: Codable, Sendable, Equatable {
    /// Files read and processed.
    public var files: [String] = []
    /// Instructions whose state an answer moved, by end-to-end id, with the state they are in now.
    public var answered: [String: String] = [:]
    /// Instructions the bank booked, with the bank's booking date.
    public var settled: [String: String] = [:]
    /// Instructions the bank rejected, with its reason.
    public var rejected: [String: String] = [:]
    /// End-to-end ids the bank answered about that the hub never sent: set aside for a person, never applied.
    public var unknown: [String] = []
    /// The bank's booked balances the link brought (camt.052), `account|date` → minor units.
    public var balances: [String: Int64] = [:]
    /// Statements imported from the link (camt.053), by identity.
    public var statements: [String] = []
    /// Files set aside, with why.
    public var refused: [String: String] = [:]
    /// Payments this pass decided: `paid <date>` (the bank's booking date: their branches book them on it) or
    /// `returned <date>`.
    public var payments: [String: String] = [:]
    /// Allocation orders this pass paid (sent through the bank by a cashier), with the bank's booking date.
    public var allocations: [String: String] = [:]

    public init() {}
}

extension Hub {
    /// Reads every file the bank has sent through `link` (7/7 item 2): pain.002 status reports, camt.054
    /// notifications and camt.052 reports, and camt.053 statements. Answers are matched to instructions by their
    /// end-to-end id, never by amount: a status moves an instruction forwards; a booked debit of the instruction's
    /// account and amount settles it on the bank's booking date; a statement is imported as `hub statement import`
    /// would. A file that cannot be read is set aside with its reason and nothing of it is applied. Last, every
    /// payment the bank has answered for moves to `paid` or `returned` (``settlePaymentsTheBankAnswered()``).
    public func receiveBankFiles(link: any BankLink) throws -> BankAnswersReport {
        var report = BankAnswersReport()
        for file in try link.incoming() {
            do {
                try receive(file, into: &report)
                try link.acknowledge(file, refusedBecause: nil)
                report.files.append(file.name)
            } catch let error as PaymentMessageError {
                try refuse(file, because: error.description, link: link, into: &report)
            } catch let error as StatementParseError {
                try refuse(file, because: error.description, link: link, into: &report)
            } catch let error as StatementImportError {
                try refuse(file, because: error.description, link: link, into: &report)
            }
            // Anything else (the hub's storage failing) is thrown as it is: the file stays in the inbox for the next run,
            // never set aside as if the bank had sent something wrong.
        }
        // Also completes a pass that stopped between recording a booking and telling the branch.
        report.payments = try settlePaymentsTheBankAnswered()
        report.allocations = try settleAllocationsTheBankPaid()
        return report
    }

    private func refuse(_ file: BankFile, because reason: String, link: any BankLink, into report: inout BankAnswersReport) throws {
        try link.acknowledge(file, refusedBecause: reason)
        report.refused[file.name] = reason
    }

    private func receive(_ file: BankFile, into report: inout BankAnswersReport) throws {
        let head = String(decoding: file.bytes.prefix(4096), as: UTF8.self)
        if head.contains("urn:iso:std:iso:20022:tech:xsd:pain.002.001.") {
            try receiveStatusReport(try Pain002Reader.read(file.bytes), into: &report)
        } else if head.contains("urn:iso:std:iso:20022:tech:xsd:camt.054.001.") || head.contains("urn:iso:std:iso:20022:tech:xsd:camt.052.001.") {
            let zones = try store.read { try $0.accountTimeZones() }
            let messages = try CamtAccountMessageParser.parse(file.bytes)
            var settlements: [BankAnswer] = []
            var balances: [(account: String, balance: BankAccountMessage.Balance, source: String)] = []
            for message in messages {
                // Re-read in the account's own zone when the registry keeps one (the bank's booking day).
                let zoned = try zones[message.account].flatMap(TimeZone.init(identifier:)).map { zone in
                    try CamtAccountMessageParser.parse(file.bytes, timeZone: zone).first { $0.id == message.id } ?? message
                } ?? message
                for entry in zoned.entries where !entry.customerReference.isEmpty {
                    if let answer = try settlement(entry, account: zoned.account, into: &report) { settlements.append(answer) }
                }
                if let balance = zoned.latestBookedBalance { balances.append((zoned.account, balance, "\(zoned.format) \(zoned.id)")) }
            }
            // Read whole first, then applied: a file refused halfway leaves nothing behind.
            for (account, balance, source) in balances {
                try storage.recordBankBalance(account: account, date: balance.date.description, balance: balance.amount.value, source: source)
                report.balances["\(account)|\(balance.date)"] = balance.amount.value
            }
            try record(settlements, into: &report)
        } else if head.contains("urn:iso:std:iso:20022:tech:xsd:camt.053.") {
            let results = try importStatementData(file.bytes, fileName: file.name)
            report.statements += results.map(\.id)
            // The statement is the bank's last word: a booking whose notice was lost (a dropped camt.054) settles its
            // instruction here. Entries naming ids the hub never sent are other payments of the account, not answers.
            let zones = try store.read { try $0.accountTimeZones() }.compactMapValues(TimeZone.init(identifier:))
            var settlements: [BankAnswer] = []
            for statement in try BankStatementReader.read(file.bytes, timeZoneOf: { zones[$0] }).statements {
                for entry in statement.entries where !entry.customerReference.isEmpty {
                    guard let instruction = try storage.bankInstruction(entry.customerReference), instruction.state != .settled else { continue }
                    if let answer = try settlement(entry, account: statement.account, into: &report) { settlements.append(answer) }
                }
            }
            try record(settlements, into: &report)
        } else {
            throw PaymentMessageError(.unreadable("\(file.name) is none of pain.002, camt.054, camt.052 or camt.053"))
        }
    }

    private func receiveStatusReport(_ status: PaymentStatusReport, into report: inout BankAnswersReport) throws {
        let now = clock.nowMilliseconds()
        var answers = status.instructions.map { ($0.endToEndID, $0.status, $0.isoCode, $0.reasons) }
        if answers.isEmpty, let group = status.groupStatus {
            // The whole message answered at once (a rejected file names no instruction): every instruction sent in it.
            let sent = try storage.bankInstructions(state: nil).filter { $0.messageID == status.originalMessageID }
            answers = sent.map { ($0.endToEndID, group, group.rawValue, status.groupReasons) }
        }
        var batch: [BankAnswer] = []
        for (endToEndID, bankStatus, code, reasons) in answers {
            let state: BankInstructionState = switch bankStatus {
            case .settled: .settled
            case .accepted: .accepted
            case .pending: .sent
            case .rejected: .rejected
            }
            let reason = reasons.isEmpty ? nil : reasons.map(\.description).joined(separator: "; ")
            batch.append(BankAnswer(endToEndID: endToEndID, state: state, statusCode: code, reason: reason, bookedOn: nil))
        }
        // One transaction for the whole report.
        for (answer, after) in zip(batch, try storage.recordBankAnswers(batch, atMilliseconds: now)) {
            guard let after else {
                report.unknown.append(answer.endToEndID)
                continue
            }
            report.answered[answer.endToEndID] = after.state.rawValue
            if after.state == .rejected { report.rejected[answer.endToEndID] = after.reason ?? answer.statusCode }
        }
    }

    /// Today in China (UTC+8) by the hub's clock: the day the hub learns a bank's answer.
    func bankDay() -> BusinessDate {
        let seconds = clock.nowMilliseconds() / 1000 + 8 * 3600
        return BusinessDate.fromDaysSinceEpoch(Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }

    /// A booked entry naming an instruction's end-to-end id: it settles the instruction when it is the instruction's
    /// debit (its paying account, its amount); anything else about a known id is a mismatch a person must see.
    /// - Returns: the settlement to record, or `nil` for an id the hub never sent (listed as unknown).
    private func settlement(_ entry: BankStatementEntry, account: String, into report: inout BankAnswersReport) throws -> BankAnswer? {
        let id = entry.customerReference
        guard let instruction = try storage.bankInstruction(id) else {
            report.unknown.append(id)
            return nil
        }
        guard entry.mark == .debit, account == instruction.debtorAccount, entry.amount.value == -instruction.amountMinorUnits else {
            throw PaymentMessageError(.unreadable("the booking of \(id) on \(account) for \(entry.amount) is not its instruction "
                                                  + "(\(instruction.debtorAccount), \(AmountMinorUnits(instruction.amountMinorUnits)) out)"), line: entry.line)
        }
        return BankAnswer(endToEndID: id, state: .settled, statusCode: "BOOK", reason: nil, bookedOn: entry.bookingDate.description)
    }

    /// Records the settlements of one file in one transaction.
    private func record(_ settlements: [BankAnswer], into report: inout BankAnswersReport) throws {
        guard !settlements.isEmpty else { return }
        for after in try storage.recordBankAnswers(settlements, atMilliseconds: clock.nowMilliseconds()).compactMap({ $0 }) {
            report.answered[after.endToEndID] = after.state.rawValue
            if let booked = after.bookedOn, after.state == .settled { report.settled[after.endToEndID] = booked }
        }
    }
}
