import Foundation
import LedgerCore
import ReportWriters

/// Reads a Chinese bank's statement export — the CSV, TXT or xlsx that 工商银行, 建设银行, 农业银行, 中国银行,
/// 交通银行, 招商银行 and local banks' online banking gives — into one ``BankStatement``, laid out as a
/// ``BankProfile`` says.
///
/// An export is a table with rows around it: title rows (`账号：…`, `户名：…`, `币种：人民币`, `起止日期：…`), the
/// column header (the first row naming the date column and an amount column), one row per entry, and footer rows
/// (`合计`, `笔数：4`, `打印时间：…`). Nothing in it is guessed:
///
/// - amounts are read exactly (thousands separators only where they group by three; never through `Double`);
/// - the direction comes from separate debit and credit columns, a direction column (`借`/`贷`) or the sign;
/// - the running balance (余额) proves every row: each must be the previous balance plus its credit minus its
///   debit, or the file is refused at that row with both figures. The opening balance is then the first row's
///   balance less its amount, the closing balance the last row's;
/// - rows listed newest first are turned around only when the running balance proves that order; when it holds
///   either way (or neither), the file is refused;
/// - the account comes from the caller or from the file, and when both give one they must agree.
///
/// The statement has no bank statement number (``BankStatement/sequenceNumber`` is `nil`); its
/// ``BankStatement/statementID`` is its period, such as `20261101-20261130` (the period the title rows state, else
/// the first and last entry's dates), whatever profile read it, so the same export imported twice is caught as a
/// duplicate. Every error has no ``StatementParseError/format``, and its ``StatementParseError/line`` is the file
/// line of a CSV or TXT export, or the sheet row of an xlsx one.
///
/// ```swift
/// let statement = try BankExportParser.parse(Data(contentsOf: url), profile: BankProfiles.icbc)
/// try statement.validateBalances()
/// ```
public enum BankExportParser {
    /// Rows searched for the column header: title rows are a handful, never pages.
    public static let headerRowSearchMax = 100
    /// Cells in one row; bank exports have a few dozen columns.
    public static let columnCountMax = 512

    /// Reads an export's bytes: an xlsx workbook (bytes starting `PK\u{3}\u{4}`, its first sheet through
    /// `XLSXReader`), or CSV/TXT text in one of the profile's encodings, separated by the first of its separators
    /// under which a column header row is found.
    /// - Parameters:
    ///   - account: the account the export is for, when the caller knows it; required when the file names none.
    ///   - currency: the account's currency; when the file names one too, they must agree.
    /// - Throws: ``StatementParseError``; the whole file is refused, never half read.
    public static func parse(_ data: Data, profile: BankProfile, account: String? = nil,
                             currency: CurrencyCode? = nil) throws(StatementParseError) -> BankStatement {
        guard !data.isEmpty else { throw StatementParseError(.empty) }
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count,
                                                    sizeBytesMax: BankStatementLimits.fileBytesMax))
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let rows: [[String]]
            do throws(XLSXReadError) {
                rows = try XLSXReader.firstSheet(of: data).rows
            } catch {
                throw StatementParseError(.unreadableWorkbook(reason: error.description))
            }
            return try parse(rows: rows, profile: profile, account: account, currency: currency, excelSerialDates: true)
        }
        try check(profile)
        let text = try GB18030Text.decode(data, encodings: profile.encodings).text
        let rows = try BankExportText.rows(of: text, profile: profile)
        return try parse(rows: rows, profile: profile, account: account, currency: currency)
    }

    /// Reads an export already split into rows of cells: the shared core of CSV, TXT and xlsx. `rows[n - 1]` is
    /// file line or sheet row `n`, so errors name the line the clerk sees.
    /// - Parameter excelSerialDates: read a date cell holding a whole number (up to five digits, with or without a
    ///   fraction for the time of day) as an Excel 1900-system serial day, as `XLSXReader` gives date cells.
    /// - Throws: ``StatementParseError``.
    public static func parse(rows: [[String]], profile: BankProfile, account: String? = nil,
                             currency: CurrencyCode? = nil,
                             excelSerialDates: Bool = false) throws(StatementParseError) -> BankStatement {
        try check(profile)
        let reader = BankExportReader(profile: profile, excelSerialDates: excelSerialDates)
        return try reader.read(rows, account: account, currency: currency)
    }

    private static func check(_ profile: BankProfile) throws(StatementParseError) {
        do throws(BankProfileError) {
            try profile.validate()
        } catch {
            throw StatementParseError(.malformedField(field: "the bank profile \(profile.id)", reason: error.reason))
        }
    }
}
