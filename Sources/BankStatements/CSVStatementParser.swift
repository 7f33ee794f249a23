import Foundation
import LedgerCore

/// Reads FundSync's own statement CSV into ``BankStatement``s: every statement of the file, or an error.
///
/// The layout is specified in the `CSVStatementFormat` article of this module's documentation. In short: UTF-8
/// (a byte-order mark is allowed, as Excel writes one), the header line ``header``, then per statement one `OPEN`
/// row (opening balance), its `ENTRY` rows and one `CLOSE` row (closing balance). Amounts use a decimal point,
/// no grouping, at most as many decimals as the currency has, and a leading `-` for debits and debit balances.
///
/// ```csv
/// record,account,currency,statement_id,sequence_number,date,value_date,amount,bank_reference,customer_reference,counterparty,narrative,bank_transaction_code
/// OPEN,6222021001,CNY,2026-11-02,308,2026-11-02,,1000.00,,,,,
/// ENTRY,6222021001,CNY,2026-11-02,,2026-11-02,2026-11-02,-250.50,B77,INV-12,"Hefei Water Co., Ltd",Water bill,PMNT
/// CLOSE,6222021001,CNY,2026-11-02,,2026-11-02,,749.50,,,,,
/// ```
public enum CSVStatementParser {
    /// The header line, exactly. It is also the format's version mark: a changed layout gets a new header, so an
    /// old reader refuses a new file instead of misreading its columns.
    public static let header = "record,account,currency,statement_id,sequence_number,date,value_date,amount,"
        + "bank_reference,customer_reference,counterparty,narrative,bank_transaction_code"

    /// The columns, in order.
    static let columns = header.split(separator: ",").map(String.init)

    /// Parses the bytes of a statement CSV file.
    /// - Throws: ``StatementParseError`` with ``StatementFormat/csv`` and the file line.
    public static func parse(_ data: Data) throws(StatementParseError) -> [BankStatement] {
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: BankStatementLimits.fileBytesMax),
                                      format: .csv)
        }
        return try parse(text: StatementText.decode(data, format: .csv, legacyFallback: false))
    }

    /// Parses statement CSV text (already decoded; a leading byte-order mark is dropped).
    public static func parse(text: String) throws(StatementParseError) -> [BankStatement] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let lines = try StatementText.lines(body, format: .csv)
        var reader = CSVStatementReader()
        var headerSeen = false
        for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let lineNumber = index + 1
            guard headerSeen else {
                guard line == header else {
                    throw StatementParseError(.missingField("header line"), format: .csv, line: lineNumber)
                }
                headerSeen = true
                continue
            }
            switch CSVRecordSplitter.fields(line) {
            case .failure(let code): throw StatementParseError(code, format: .csv, line: lineNumber)
            case .success(let fields): try reader.read(fields, line: lineNumber)
            }
        }
        guard headerSeen else { throw StatementParseError(.empty, format: .csv) }
        try reader.finish(lastLine: max(1, lines.count))
        return reader.statements
    }
}
