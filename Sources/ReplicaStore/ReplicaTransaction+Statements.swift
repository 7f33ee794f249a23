import Foundation
import GRDB
import LedgerCore

/// A `statement` document as stored (6/6 item 4): the statement, and who imported it.
public struct StoredStatement: Sendable {
    public var document: StatementDocument
    public var preparer: String
    public var reviewer: String?
}

extension ReplicaTransaction {
    /// The `statement` documents of `account` (every account when `nil`), in account and closing-date order.
    public func officeStatements(account: String?) throws -> [StoredStatement] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM statement WHERE ?1 IS NULL OR account = ?1 ORDER BY account, closing_date, number, page, id
            """, arguments: [account]).map { row in
            let key: String = row["id"]
            guard let org = OrgCode(row["org"] as String), let currency = CurrencyCode(row["currency"] as String),
                  let opening = BusinessDate(row["opening_date"] as String), let closing = BusinessDate(row["closing_date"] as String) else {
                throw ReplicaStoreError(.invalidInput("statement \(key) holds a value that is no org, currency or date"))
            }
            let document = StatementDocument(
                org: org, account: row["account"], currency: currency, number: row["number"], page: row["page"], reference: row["reference"],
                openingMinorUnits: row["opening"], openingDate: opening, closingMinorUnits: row["closing"], closingDate: closing,
                entries: try Self.statementEntries(row["entries"], key: key), format: row["format"], file: row["file"],
                fileSHA256: row["file_sha256"])
            return StoredStatement(document: document, preparer: row["preparer"], reviewer: row["reviewer"])
        }
    }

    /// The entries of a stored statement, from the canonical JSON its `entries` column holds (`FieldJSON`).
    static func statementEntries(_ json: String, key: String) throws -> [StatementDocument.Entry] {
        struct Stored: Decodable {
            var date: String
            var amount: Int64
            var reference: String
            var counterparty: String
            var narrative: String
        }
        let stored: [Stored]
        do {
            stored = try JSONDecoder().decode([Stored].self, from: Data(json.utf8))
        } catch {
            throw ReplicaStoreError(.invalidInput("statement \(key): its entries cannot be read (\(error))"))
        }
        return try stored.enumerated().map { index, entry in
            guard let date = BusinessDate(entry.date) else {
                throw ReplicaStoreError(.invalidInput("statement \(key) entry \(index + 1): \(entry.date) is not a date"))
            }
            return StatementDocument.Entry(date: date, amountMinorUnits: entry.amount, reference: entry.reference,
                                           counterparty: entry.counterparty, narrative: entry.narrative)
        }
    }

    /// The bank journal of `account`, signed (receipts positive), for ``StatementMatcher``.
    public func bankJournalLines(account: String) throws -> [StatementMatcher.JournalLine] {
        try Row.fetchAll(db, sql: "SELECT id, date, direction, amount, advice FROM bank_journal WHERE account = ? ORDER BY date, id",
                         arguments: [account]).compactMap { row in
            guard let date = BusinessDate(row["date"] as String) else { return nil }
            let amount: Int64 = row["amount"]
            return StatementMatcher.JournalLine(id: row["id"], date: date, amountMinorUnits: row["direction"] == "receipt" ? amount : -amount,
                                                advice: row["advice"])
        }
    }

    /// The time zone the registry keeps for each bank account that has one (`account.time_zone`, an IANA name).
    public func accountTimeZones() throws -> [String: String] {
        try Dictionary(Row.fetchAll(db, sql: "SELECT id, time_zone FROM account WHERE time_zone IS NOT NULL").map { ($0["id"], $0["time_zone"]) },
                       uniquingKeysWith: { first, _ in first })
    }

    /// At the hub: copies an office's `statement` document, just applied, into the hub's own statement tables, where
    /// its entries are matched to the bank journal and reconciliation reads them, with the office as who imported it.
    /// A statement of that identity already there (the hub imported the same one) is left as it is.
    /// - Returns: the entries matched, or `nil` when the statement was there already.
    @discardableResult
    public func adoptOfficeStatement(_ change: Change, windowDays: Int) throws -> Int? {
        let document = try StatementDocument(fields: change.fields, key: change.key)
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM bank_statement WHERE id = ?", arguments: [document.key]) != true else { return nil }
        let row = StatementRow(id: document.key, account: document.account, statementID: document.reference, sequence: document.number,
                               currency: document.currency.code, opening: document.openingMinorUnits, openingDate: document.openingDate.description,
                               closing: document.closingMinorUnits, closingDate: document.closingDate.description, format: document.format,
                               file: document.file, importedBy: change.id.origin.rawValue)
        let entries = document.entries.enumerated().map { index, entry in
            StatementEntryRow(line: index + 1, bookingDate: entry.date.description, amount: entry.amountMinorUnits, reference: entry.reference,
                              counterparty: entry.counterparty, narrative: entry.narrative)
        }
        return try ReplicaStore.insertStatement(row, entries: entries, windowDays: windowDays, in: db)
    }
}
