import BankStatements
import Foundation
import LedgerCore
import ReplicaStore

/// Why a statement file was refused (nothing of it is imported).
public struct StatementImportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A bank reconciliation statement (银行存款余额调节表) for one account on one date.
public struct BankReconciliationStatement: Codable, Sendable {
    public struct Item: Codable, Sendable {
        public var date: String
        public var amountMinorUnits: Int64
        public var reference: String
    }

    public var account: String
    public var date: String
    public var bankBalanceMinorUnits: Int64
    public var bookBalanceMinorUnits: Int64
    /// The account's balance in the general ledger on the date. The bank journal is the cashier's book of the same
    /// money and must agree with it (allocations and releases are journalled as they are paid, 3/6 item 4); a
    /// difference is shown, never hidden.
    public var ledgerBalanceMinorUnits: Int64
    /// 银行已收、企业未收: credited by the bank, not yet in the bank journal.
    public var bankReceivedBooksNot: [Item]
    /// 银行已付、企业未付: debited by the bank, not yet in the bank journal.
    public var bankPaidBooksNot: [Item]
    /// 企业已收、银行未收: receipts in the bank journal the bank has not credited yet.
    public var booksReceivedBankNot: [Item]
    /// 企业已付、银行未付: payments in the bank journal the bank has not debited yet.
    public var booksPaidBankNot: [Item]
    public var adjustedBankMinorUnits: Int64
    public var adjustedBooksMinorUnits: Int64
    public var balanced: Bool { adjustedBankMinorUnits == adjustedBooksMinorUnits }
}

extension Hub {
    /// Imports a bank statement file (camt.053, MT940 or the CSV layout): every statement is validated (opening +
    /// entries = closing, control totals, sequence without gaps after the ones already imported), must be for a
    /// registered bank account in its currency, and not imported before. Then its entries are matched to the
    /// bank journal. The file is imported whole or not at all.
    /// - Returns: per statement id, the number of entries matched.
    @discardableResult
    public func importStatements(_ url: URL, matchWindowDays: Int = 3) throws -> [String: Int] {
        Dictionary(try importStatementFile(url, matchWindowDays: matchWindowDays).map { ($0.id, $0.matched) }, uniquingKeysWith: +)
    }

    /// What the import of one statement came to: what the statement holds (as `fundsync statement check` prints
    /// it), its identity, and how many of its entries were matched to the bank journal and how many were not.
    public struct StatementImportResult: Codable, Sendable {
        public var id: String
        public var summary: StatementSummary
        public var matched: Int
        public var unmatched: Int
    }

    /// Imports a statement file as ``importStatements(_:matchWindowDays:)`` does, read through `profile` when it is a
    /// bank's own export (`BankExportParser`), with camt.053 date-times taken in `timeZone`, or, when it is `nil`, in
    /// the time zone the registry keeps for each statement's account (`hub account add --time-zone`; UTC without one).
    public func importStatementFile(_ url: URL, profile: BankProfile? = nil, timeZone: TimeZone? = nil,
                                    matchWindowDays: Int = 3) throws -> [StatementImportResult] {
        try importStatementData(try Data(contentsOf: url), fileName: url.lastPathComponent, profile: profile, timeZone: timeZone,
                                matchWindowDays: matchWindowDays)
    }

    /// Imports a statement file's bytes as ``importStatementFile(_:profile:timeZone:matchWindowDays:)`` does; `fileName`
    /// names it in sentences and in the stored statement (a bank link's file, 7/7).
    public func importStatementData(_ data: Data, fileName: String, profile: BankProfile? = nil, timeZone: TimeZone? = nil,
                                    matchWindowDays: Int = 3) throws -> [StatementImportResult] {
        let url = URL(fileURLWithPath: fileName)
        let file: StatementFile
        let format: String
        do {
            if let profile {
                file = StatementFile(format: .csv, statements: [try BankExportParser.parse(data, profile: profile)])
                format = "bank export (\(profile.id))"
            } else {
                file = try timeZone.map { zone throws(StatementParseError) in try BankStatementReader.read(data, timeZone: zone) }
                    ?? BankStatementReader.read(data, timeZoneOf: try accountTimeZones())
                format = file.format.description
            }
            try StatementValidation.validate(file.statements)
        } catch let error as StatementParseError {
            throw StatementImportError("\(url.lastPathComponent) was refused: \(error.description)")
        } catch let error as StatementValidationError {
            throw StatementImportError("\(url.lastPathComponent) was refused: \(error.description)")
        }
        let rows = try statementRows(file, format: format, fileName: url.lastPathComponent)
        try checkSequence(rows)
        let matched = try storage.storeStatements(rows, windowDays: matchWindowDays)
        return zip(file.statements, rows).map { statement, row in
            let count = matched[row.0.id] ?? 0
            return StatementImportResult(id: row.0.id, summary: StatementSummary(statement, format: format), matched: count,
                                         unmatched: statement.entries.count - count)
        }
    }

    /// The registry's time zone of each bank account that has one, as a lookup for `BankStatementReader`.
    func accountTimeZones() throws -> (String) -> TimeZone? {
        let zones = try store.read { try $0.accountTimeZones() }.compactMapValues(TimeZone.init(identifier:))
        return { zones[$0] }
    }

    /// The rows of `file`'s statements, each checked: a registered bank account in its currency, not in the file
    /// twice, not imported before.
    func statementRows(_ file: StatementFile, format: String, fileName: String) throws -> [(StatementRow, [StatementEntryRow])] {
        let url = URL(fileURLWithPath: fileName)
        var rows: [(StatementRow, [StatementEntryRow])] = []
        var seen: [String: Int?] = [:]
        for statement in file.statements {
            guard let account = try store.read({ try $0.account(statement.account) }), account.kind == .bank else {
                throw StatementImportError("\(url.lastPathComponent): account \(statement.account) is not a registered bank account")
            }
            guard account.currency == statement.currency else {
                throw StatementImportError("\(url.lastPathComponent): statement in \(statement.currency) for an account in \(account.currency)")
            }
            let identity = Self.identity(of: statement, account: account.id)
            if let earlier = seen[identity] {
                throw StatementImportError("\(url.lastPathComponent): \(Self.describe(statement, account: account.id)) appears twice in the file"
                                           + " (\(Self.lines(earlier, statement.line))): remove the copy and import it again")
            }
            seen[identity] = statement.line
            let existing = try storage.statements(account: account.id)
            if let before = existing.first(where: { Self.isSameStatement($0, identity: identity, statement) }) {
                let same = before.opening == statement.openingBalance.value && before.closing == statement.closingBalance.value
                throw StatementImportError("\(url.lastPathComponent): \(Self.describe(statement, account: account.id)) was imported before"
                                           + " (from \(before.file))" + (same ? "" : ", with other balances: the bank sent two different statements"
                                           + " under one number and period; ask it which is right"))
            }
            rows.append(Self.row(statement, account: account.id, format: format, file: url.lastPathComponent))
        }
        return rows
    }

    func checkSequence(_ rows: [(StatementRow, [StatementEntryRow])]) throws {
        for account in Set(rows.map(\.0.account)) {
            // The pages of one statement share its number.
            let sequences = Set(try storage.statements(account: account).compactMap(\.sequence)
                                + rows.filter { $0.0.account == account }.compactMap(\.0.sequence)).sorted()
            for (previous, next) in zip(sequences, sequences.dropFirst()) where next != previous + 1 {
                throw StatementImportError("statements of \(account) skip from number \(previous) to \(next): import the missing one first")
            }
        }
    }

    /// A statement's identity (6/6): its account, its number and page, and its period. Not the bank's reference
    /// (`:20:`, `Stmt/Id`): some banks write the same one (all zeros) on every statement.
    static func identity(of statement: BankStatement, account: String) -> String {
        StatementDocument.key(account: account, number: statement.sequenceNumber.map(Int64.init), page: statement.pageNumber.map(Int64.init),
                              openingDate: statement.openingDate, closingDate: statement.closingDate)
    }

    /// Days between a statement entry's booking date and a bank journal line's date within which they may match.
    public static let statementMatchWindowDays = 3

    /// Whether `row`, stored before, is `statement`: the same identity, or — for a row stored before identities
    /// (its id was the bank's reference) — the same number and period.
    static func isSameStatement(_ row: StatementRow, identity: String, _ statement: BankStatement) -> Bool {
        if row.id == identity { return true }
        guard let sequence = statement.sequenceNumber, row.sequence == Int64(sequence), statement.pageNumber ?? 1 == 1 else { return false }
        return row.openingDate == statement.openingDate.description && row.closingDate == statement.closingDate.description
    }

    /// "statement 42 (page 2) of ACCOUNT for 2026-11-02…2026-11-03" for people.
    static func describe(_ statement: BankStatement, account: String) -> String {
        let number = statement.sequenceNumber.map { "statement \($0)" } ?? "statement \(statement.statementID)"
        let page = statement.pageNumber.flatMap { $0 > 1 ? " (page \($0))" : nil } ?? ""
        let period = statement.openingDate == statement.closingDate ? "\(statement.closingDate)"
            : "\(statement.openingDate)…\(statement.closingDate)"
        return "\(number)\(page) of \(account) for \(period)"
    }

    static func lines(_ first: Int?, _ second: Int?) -> String {
        switch (first, second) {
        case let (first?, second?): "lines \(first) and \(second)"
        default: "twice"
        }
    }

    static func row(_ statement: BankStatement, account: String, format: String, file: String) -> (StatementRow, [StatementEntryRow]) {
        let id = identity(of: statement, account: account)
        let header = StatementRow(id: id, account: account, statementID: statement.statementID, sequence: statement.sequenceNumber.map(Int64.init),
                                  currency: statement.currency.code, opening: statement.openingBalance.value, openingDate: statement.openingDate.description,
                                  closing: statement.closingBalance.value, closingDate: statement.closingDate.description, format: format, file: file)
        let entries = statement.entries.enumerated().map { index, entry in
            StatementEntryRow(line: index + 1, bookingDate: entry.bookingDate.description, amount: entry.amount.value,
                              reference: entry.reference, counterparty: entry.counterparty, narrative: entry.narrative)
        }
        return (header, entries)
    }

    /// The bank reconciliation statement of `account` on `date`: the last statement's closing balance against the
    /// bank journal, with the four kinds of reconciling items.
    public func bankReconciliation(account: String, date: BusinessDate) throws -> BankReconciliationStatement {
        guard let statement = try storage.statements(account: account).last(where: { $0.closingDate <= date.description }) else {
            throw StatementImportError("no statement of \(account) closes on or before \(date)")
        }
        let (books, ledger) = try store.read { reader in
            (try reader.bankJournalBalance(account, through: date).value, try reader.bookBalance(account, through: date).value)
        }
        let items = try storage.reconcilingItems(account: account, through: date.description)
        // Statement figures are outside data: every magnitude and sum is checked, never trapped on.
        func item(_ entry: (date: String, amount: Int64, reference: String)) throws -> BankReconciliationStatement.Item {
            .init(date: entry.date, amountMinorUnits: try AmountMinorUnits.checkedMagnitude(entry.amount), reference: entry.reference)
        }
        let bankIn = try items.bankOnly.filter { $0.amount > 0 }.map(item), bankOut = try items.bankOnly.filter { $0.amount < 0 }.map(item)
        let booksIn = try items.booksOnly.filter { $0.amount > 0 }.map(item), booksOut = try items.booksOnly.filter { $0.amount < 0 }.map(item)
        func sum(_ list: [BankReconciliationStatement.Item]) throws -> Int64 { try AmountMinorUnits.checkedSum(list.map(\.amountMinorUnits)) }
        return BankReconciliationStatement(
            account: account, date: date.description, bankBalanceMinorUnits: statement.closing, bookBalanceMinorUnits: books,
            ledgerBalanceMinorUnits: ledger,
            bankReceivedBooksNot: bankIn, bankPaidBooksNot: bankOut, booksReceivedBankNot: booksIn, booksPaidBankNot: booksOut,
            adjustedBankMinorUnits: try AmountMinorUnits.checkedSum([statement.closing, try sum(booksIn), -(try sum(booksOut))]),
            adjustedBooksMinorUnits: try AmountMinorUnits.checkedSum([books, try sum(bankIn), -(try sum(bankOut))]))
    }
}
