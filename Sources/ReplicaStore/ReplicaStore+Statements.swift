import Foundation
import GRDB
import LedgerCore

/// One statement entry to store (the hub's local bank data; not replicated, not books).
public struct StatementEntryRow: Sendable {
    public var line: Int
    public var bookingDate: String
    /// Signed: credits (money in) positive.
    public var amount: Int64
    public var reference: String
    public var counterparty: String
    public var narrative: String

    public init(line: Int, bookingDate: String, amount: Int64, reference: String, counterparty: String, narrative: String) {
        self.line = line
        self.bookingDate = bookingDate
        self.amount = amount
        self.reference = reference
        self.counterparty = counterparty
        self.narrative = narrative
    }
}

/// A stored statement's header.
public struct StatementRow: Sendable {
    public var id: String
    public var account: String
    public var statementID: String
    public var sequence: Int64?
    public var currency: String
    public var opening: Int64
    public var openingDate: String
    public var closing: Int64
    public var closingDate: String
    public var format: String
    public var file: String
    /// The office that imported it and sent it as its `statement` document (6/6 item 4); `nil` for the hub's own import.
    public var importedBy: String?

    public init(id: String, account: String, statementID: String, sequence: Int64?, currency: String, opening: Int64,
                openingDate: String, closing: Int64, closingDate: String, format: String, file: String, importedBy: String? = nil) {
        self.id = id
        self.account = account
        self.statementID = statementID
        self.sequence = sequence
        self.currency = currency
        self.opening = opening
        self.openingDate = openingDate
        self.closing = closing
        self.closingDate = closingDate
        self.format = format
        self.file = file
        self.importedBy = importedBy
    }

    init(_ row: Row) {
        self.init(id: row["id"], account: row["account"], statementID: row["statement_id"], sequence: row["sequence"], currency: row["currency"],
                  opening: row["opening"], openingDate: row["opening_date"], closing: row["closing"], closingDate: row["closing_date"],
                  format: row["format"], file: row["file"], importedBy: row["imported_by"])
    }
}

/// A stored statement with its entries counted: all of them, and those matched to the bank journal.
public struct StatementListing: Sendable {
    public var statement: StatementRow
    public var entryCount: Int
    public var matchedCount: Int
}

extension ReplicaStore {
    /// Statements already stored for `account`, in date order.
    public func statements(account: String) throws -> [StatementRow] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bank_statement WHERE account = ? ORDER BY closing_date, sequence", arguments: [account])
                .map(StatementRow.init)
        }
    }

    /// Every stored statement (or those of `account`), with how many of its entries there are and how many are
    /// matched to the bank journal: `hub statement list`.
    public func statementListing(account: String?) throws -> [StatementListing] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.*, COUNT(e.line_no) AS entry_count, COUNT(e.journal) AS matched_count
                FROM bank_statement s LEFT JOIN bank_statement_entry e ON e.statement = s.id
                WHERE ?1 IS NULL OR s.account = ?1 GROUP BY s.id ORDER BY s.account, s.closing_date, s.sequence
                """, arguments: [account]).map {
                StatementListing(statement: StatementRow($0), entryCount: $0["entry_count"], matchedCount: $0["matched_count"])
            }
        }
    }

    /// Stores statements with their entries and matches each entry to an unmatched bank journal line of the
    /// same account, direction and amount within `windowDays` (the advice number equal to the bank reference
    /// is preferred). All in one transaction: a file is imported whole or not at all.
    /// - Returns: entries matched, per statement id.
    public func storeStatements(_ statements: [(StatementRow, [StatementEntryRow])], windowDays: Int) throws -> [String: Int] {
        try writeTransaction { db in
            var matched: [String: Int] = [:]
            for (statement, entries) in statements {
                matched[statement.id] = try Self.insertStatement(statement, entries: entries, windowDays: windowDays, in: db)
            }
            return matched
        }
    }

    /// Stores one statement and its entries, each matched as ``storeStatements(_:windowDays:)`` says.
    /// - Returns: the number of entries matched.
    static func insertStatement(_ statement: StatementRow, entries: [StatementEntryRow], windowDays: Int, in db: Database) throws -> Int {
        try db.execute(sql: """
            INSERT INTO bank_statement (id, account, statement_id, sequence, currency, opening, opening_date, closing, closing_date, format,
                file, imported_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [statement.id, statement.account, statement.statementID, statement.sequence, statement.currency,
                             statement.opening, statement.openingDate, statement.closing, statement.closingDate, statement.format,
                             statement.file, statement.importedBy])
        var count = 0
        for entry in entries {
            let journal = try matchJournal(entry, account: statement.account, windowDays: windowDays, in: db)
            try db.execute(sql: """
                INSERT INTO bank_statement_entry (statement, line_no, account, booking_date, amount, reference, counterparty, narrative, journal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [statement.id, entry.line, statement.account, entry.bookingDate, entry.amount, entry.reference,
                                 entry.counterparty, entry.narrative, journal])
            if let journal {
                try db.execute(sql: "UPDATE bank_journal SET statement_entry = ? WHERE id = ?", arguments: ["\(statement.id)#\(entry.line)", journal])
                count += 1
            }
        }
        return count
    }

    /// Matches every statement entry still unmatched to an unmatched bank journal line, as an import does: the
    /// journal lines a cashier entered after the statement came in. Run before each reconciliation.
    /// - Returns: the number of entries matched now.
    @discardableResult
    public func rematchStatementEntries(windowDays: Int) throws -> Int {
        try writeTransaction { db in
            var count = 0
            let open = try Row.fetchAll(db, sql: """
                SELECT statement, line_no, account, booking_date, amount, reference FROM bank_statement_entry WHERE journal IS NULL
                ORDER BY account, booking_date, statement, line_no
                """)
            for row in open {
                let entry = StatementEntryRow(line: row["line_no"], bookingDate: row["booking_date"], amount: row["amount"],
                                              reference: row["reference"], counterparty: "", narrative: "")
                let statement: String = row["statement"]
                guard let journal = try Self.matchJournal(entry, account: row["account"], windowDays: windowDays, in: db) else { continue }
                try db.execute(sql: "UPDATE bank_statement_entry SET journal = ? WHERE statement = ? AND line_no = ?",
                               arguments: [journal, statement, entry.line])
                try db.execute(sql: "UPDATE bank_journal SET statement_entry = ? WHERE id = ?", arguments: ["\(statement)#\(entry.line)", journal])
                count += 1
            }
            return count
        }
    }

    static func matchJournal(_ entry: StatementEntryRow, account: String, windowDays: Int, in db: Database) throws -> String? {
        guard let date = BusinessDate(entry.bookingDate) else { return nil }
        let low = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch - windowDays).description
        let high = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch + windowDays).description
        // The candidates lie within the window (a handful); the best is chosen here rather than by SQLite's
        // `julianday`, which PostgreSQL does not have: the same reference first, then the nearest date, then the id.
        let candidates = try Row.fetchAll(db, sql: """
            SELECT id, date, advice FROM bank_journal WHERE account = ? AND statement_entry IS NULL AND direction = ? AND amount = ?
            AND date BETWEEN ? AND ?
            """, arguments: [account, entry.amount > 0 ? "receipt" : "payment", abs(entry.amount), low, high])
        return candidates.map { row -> (id: String, sameReference: Bool, distance: Int) in
            let journalDate = BusinessDate(row["date"] as String)?.daysSinceEpoch ?? Int.max / 2
            return (row["id"], (row["advice"] as String) == entry.reference, abs(journalDate - date.daysSinceEpoch))
        }.min { left, right in
            if left.sameReference != right.sameReference { return left.sameReference }
            if left.distance != right.distance { return left.distance < right.distance }
            return left.id < right.id
        }?.id
    }

    /// The items of a bank reconciliation statement for `account` on `date`.
    public func reconcilingItems(account: String, through date: String) throws
        -> (bankOnly: [(date: String, amount: Int64, reference: String)], booksOnly: [(date: String, amount: Int64, reference: String)]) {
        try writer.read { db in
            let first = try String.fetchOne(db, sql: "SELECT MIN(opening_date) FROM bank_statement WHERE account = ?", arguments: [account]) ?? date
            let bankOnly = try Row.fetchAll(db, sql: """
                SELECT booking_date, amount, reference FROM bank_statement_entry WHERE account = ? AND journal IS NULL AND booking_date <= ?
                ORDER BY booking_date
                """, arguments: [account, date]).map { (date: $0[0] as String, amount: $0[1] as Int64, reference: $0[2] as String) }
            let booksOnly = try Row.fetchAll(db, sql: """
                SELECT date, CASE WHEN direction = 'receipt' THEN amount ELSE -amount END, advice FROM bank_journal
                WHERE account = ? AND statement_entry IS NULL AND date <= ? AND date >= ? ORDER BY date
                """, arguments: [account, date, first]).map { (date: $0[0] as String, amount: $0[1] as Int64, reference: $0[2] as String) }
            return (bankOnly, booksOnly)
        }
    }
}

