import Foundation

/// Writes a table as RFC 4180 CSV that Excel opens correctly, Chinese included.
///
/// - UTF-8 with a byte-order mark (EF BB BF): without it Excel on Windows reads the file in the local ANSI code
///   page (GBK on Chinese systems, cp1252 elsewhere) and shows mojibake.
/// - CRLF line ends and `"…"` quoting with doubled quotes, as RFC 4180 says, so any reader agrees on the fields.
/// - Money as a plain exact decimal (`-1234.56`), with no thousands separators: a separator is a field delimiter in
///   CSV and a decimal comma in some locales, and Excel parses the plain form as a number.
/// - The header row, the body rows and then the totals row; the title and parameters are not written, because a CSV
///   is data for another program, whose first line must be the header (the xlsx shows them).
///
/// - Text of 12 or more digits (account and document numbers) or with a leading zero is written `="…"`, so that Excel
///   and LibreOffice keep it as text with every digit (8: a 19-digit account was shown as `1.30201E+18`);
///   ``CSVReader`` reads it back as the digits.
public enum CSVWriter {
    /// What to write besides the cells.
    public struct Options: Hashable, Sendable {
        /// Prefix text cells that Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR) with `'`. Report text
        /// comes from many counties and is opened by auditors in Excel, where `=HYPERLINK(…)` in a payee name is a
        /// known attack (OWASP "CSV injection"). ``CSVReader`` removes the prefix again.
        public var guardsFormulas: Bool
        /// Start with the UTF-8 byte-order mark. Only turn off for programs that choke on it.
        public var writesByteOrderMark: Bool
        /// Write long digit strings and leading-zero codes as `="…"` (``CSVField/keptAsText(_:)``), for spreadsheets.
        public var keepsDigitsAsText: Bool

        public init(guardsFormulas: Bool = true, writesByteOrderMark: Bool = true, keepsDigitsAsText: Bool = true) {
            self.guardsFormulas = guardsFormulas
            self.writesByteOrderMark = writesByteOrderMark
            self.keepsDigitsAsText = keepsDigitsAsText
        }
    }

    /// The UTF-8 byte-order mark Excel looks for.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Writes one table as CSV bytes.
    /// - Throws: ``ReportWritingError`` when ``ReportTable/validate(tableIndex:)`` fails.
    public static func data(for table: ReportTable, options: Options = Options()) throws(ReportWritingError) -> Data {
        try table.validate()
        var data = Data(options.writesByteOrderMark ? byteOrderMark : [])
        data.append(contentsOf: Array(text(forValidated: table, options: options).utf8))
        return data
    }

    /// Writes one table as CSV to a file (one file per table: CSV has no sheets).
    /// - Throws: ``ReportWritingError`` for an invalid table or a failed write.
    public static func write(_ table: ReportTable, to url: URL,
                             options: Options = Options()) throws(ReportWritingError) {
        try ReportFile.write(data(for: table, options: options), to: url)
    }

    static func text(forValidated table: ReportTable, options: Options) -> String {
        var records = [table.columns.map(\.name).map { CSVField.guarded($0, options) }]
        records += table.rows.map { $0.map { field($0, options) } }
        if let totals = table.totals { records.append(totals.map { field($0, options) }) }
        return records.map { $0.map(CSVField.quotedIfNeeded).joined(separator: ",") + "\r\n" }.joined()
    }

    /// The unquoted text of one cell.
    static func field(_ cell: ReportTable.Cell, _ options: Options) -> String {
        switch cell {
        case .text(let text): (options.keepsDigitsAsText ? CSVField.keptAsText(text) : nil) ?? CSVField.guarded(text, options)
        case .integer(let value): String(value)
        case .money(let minorUnits, let scale): MoneyText.plain(minorUnits: minorUnits, scale: scale)
        case .date(let text): text
        case .empty: ""
        }
    }
}
