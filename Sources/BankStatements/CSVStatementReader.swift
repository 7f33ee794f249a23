import LedgerCore

/// The row-by-row state machine behind ``CSVStatementParser``: `OPEN`, then `ENTRY` rows, then `CLOSE`.
///
/// Every `ENTRY` and `CLOSE` row repeats the account, currency and statement id of its `OPEN` row, and must
/// agree with it: a row pasted into the wrong statement, or a sorted sheet, is refused rather than booked.
struct CSVStatementReader {
    private struct Row {
        var values: [String: String]
        var line: Int
        subscript(_ column: String) -> String { values[column] ?? "" }
    }

    private(set) var statements: [BankStatement] = []
    private var open: BankStatement?

    mutating func read(_ fields: [String], line: Int) throws(StatementParseError) {
        guard fields.count == CSVStatementParser.columns.count else {
            throw Self.error(.malformedField(field: "the row", reason: "it has \(fields.count) columns instead of "
                                             + "\(CSVStatementParser.columns.count)"), line)
        }
        let row = Row(values: Dictionary(uniqueKeysWithValues: zip(CSVStatementParser.columns, fields)), line: line)
        switch row["record"] {
        case "OPEN": try readOpen(row)
        case "ENTRY": try readEntry(row)
        case "CLOSE": try readClose(row)
        default:
            throw Self.error(.malformedField(field: "record", reason: "it must be OPEN, ENTRY or CLOSE"), line)
        }
    }

    mutating func finish(lastLine: Int) throws(StatementParseError) {
        if open != nil { throw Self.error(.truncated(missing: "the CLOSE row"), lastLine) }
        if statements.isEmpty { throw StatementParseError(.noStatements, format: .csv, line: lastLine) }
    }

    private static func error(_ code: StatementParseError.Code, _ line: Int) -> StatementParseError {
        StatementParseError(code, format: .csv, line: line)
    }

    private mutating func readOpen(_ row: Row) throws(StatementParseError) {
        guard open == nil else { throw Self.error(.missingField("CLOSE row before the next OPEN row"), row.line) }
        guard statements.count < BankStatementLimits.statementCountMax else {
            throw Self.error(.limitExceeded(what: "statements", count: statements.count + 1,
                                            countMax: BankStatementLimits.statementCountMax), row.line)
        }
        try Self.expectEmpty(row, ["value_date", "bank_reference", "customer_reference", "counterparty", "narrative",
                                   "bank_transaction_code"])
        guard let currency = CurrencyCode(row["currency"]) else {
            throw Self.error(.invalidCurrency(field: "currency"), row.line)
        }
        for column in ["account", "statement_id"] where row[column].isEmpty {
            throw Self.error(.missingField(column), row.line)
        }
        open = BankStatement(
            account: row["account"], currency: currency, statementID: row["statement_id"],
            sequenceNumber: try Self.sequenceNumber(row), openingBalance: try Self.amount(row, currency),
            openingDate: try Self.date(row, "date"), closingBalance: .zero, closingDate: try Self.date(row, "date"),
            entries: [], line: row.line)
    }

    private mutating func readEntry(_ row: Row) throws(StatementParseError) {
        guard var statement = open else {
            throw Self.error(.unexpectedField(field: "ENTRY row", reason: "it comes before an OPEN row"), row.line)
        }
        try Self.expectSameStatement(row, statement)
        try Self.expectEmpty(row, ["sequence_number"])
        guard statement.entries.count < BankStatementLimits.entryCountMax else {
            throw Self.error(.limitExceeded(what: "entries in one statement", count: statement.entries.count + 1,
                                            countMax: BankStatementLimits.entryCountMax), row.line)
        }
        let valueDate = row["value_date"].isEmpty ? nil : try Self.date(row, "value_date")
        statement.entries.append(BankStatementEntry(
            bookingDate: try Self.date(row, "date"), valueDate: valueDate,
            amount: try Self.amount(row, statement.currency), reference: row["bank_reference"],
            counterparty: row["counterparty"], narrative: row["narrative"],
            customerReference: row["customer_reference"], bankTransactionCode: row["bank_transaction_code"],
            line: row.line))
        open = statement
    }

    private mutating func readClose(_ row: Row) throws(StatementParseError) {
        guard var statement = open else {
            throw Self.error(.unexpectedField(field: "CLOSE row", reason: "it comes before an OPEN row"), row.line)
        }
        try Self.expectSameStatement(row, statement)
        try Self.expectEmpty(row, ["sequence_number", "value_date", "bank_reference", "customer_reference",
                                   "counterparty", "narrative", "bank_transaction_code"])
        statement.closingBalance = try Self.amount(row, statement.currency)
        statement.closingDate = try Self.date(row, "date")
        statements.append(statement)
        open = nil
    }
}

extension CSVStatementReader {
    private static func expectSameStatement(_ row: Row, _ statement: BankStatement) throws(StatementParseError) {
        let expected = ["account": statement.account, "currency": statement.currency.code,
                        "statement_id": statement.statementID]
        for column in ["account", "currency", "statement_id"] where row[column] != expected[column] {
            throw error(.malformedField(field: column, reason: "it differs from the statement's OPEN row"), row.line)
        }
    }

    private static func expectEmpty(_ row: Row, _ columns: [String]) throws(StatementParseError) {
        for column in columns where !row[column].isEmpty {
            throw error(.unexpectedField(field: column, reason: "it must be empty in \(row["record"]) rows"), row.line)
        }
    }

    private static func sequenceNumber(_ row: Row) throws(StatementParseError) -> Int? {
        let text = row["sequence_number"]
        if text.isEmpty { return nil }
        guard text.count <= 18, text.allSatisfy(\.isASCIIDigitCharacter), let number = Int(text) else {
            throw error(.malformedField(field: "sequence_number", reason: "it must be a whole number"), row.line)
        }
        return number
    }

    private static func date(_ row: Row, _ column: String) throws(StatementParseError) -> BusinessDate {
        guard let date = BusinessDate(row[column]) else { throw error(.invalidDate(field: column), row.line) }
        return date
    }

    /// `-?digits[.digits]`: a decimal point, no grouping, no `+`, at most the currency's decimals (no trailing
    /// zeros beyond them either: this is our own format, so it is written exactly).
    private static func amount(_ row: Row, _ currency: CurrencyCode) throws(StatementParseError) -> AmountMinorUnits {
        let text = Substring(row["amount"])
        let negative = text.first == "-"
        let body = negative ? text.dropFirst() : text
        guard body.first?.isASCIIDigitCharacter == true else { throw error(.invalidAmount(field: "amount"), row.line) }
        switch StatementAmountText.magnitude(body, decimalSeparator: ".",
                                             currency: currency, extraZeroDecimalsAllowed: false, field: "amount") {
        case .success(let magnitude): return AmountMinorUnits(negative ? -magnitude : magnitude)
        case .failure(let code): throw error(code, row.line)
        }
    }
}
