import Foundation

/// Writes reports as real Excel workbooks (Office Open XML `.xlsx`), one sheet per table.
///
/// What people get when they open it: a bold title and the parameters on top, a bold header row that stays in view
/// (frozen) with an auto-filter, money as real numbers with thousands separators and the right number of decimals
/// (so Excel can sum them), dates as real Excel dates shown `yyyy-mm-dd`, and columns wide enough for their
/// content, Chinese included.
///
/// Money goes into the file as exact decimal text in `<v>` (`1234.56`), built with integer math; it is never a
/// `Double` on our side. The same report always gives byte-identical bytes (see ``ZIPPackage``).
///
/// ```swift
/// try XLSXWriter.write(report, to: URL(fileURLWithPath: "月报.xlsx"))
/// ```
public enum XLSXWriter {
    /// Builds the workbook in memory.
    /// - Returns: the `.xlsx` file's bytes.
    /// - Throws: ``ReportWritingError`` when the report is invalid (``Report/validate()``), exceeds an Excel limit
    ///   (rows, columns, cell text length, a date before 1900-03-01, money with more than 15 significant digits), or
    ///   the archive cannot be built.
    public static func data(for report: Report) throws(ReportWritingError) -> Data {
        try report.validate()
        for (index, table) in report.tables.enumerated() { try checkExcelLimits(table, tableIndex: index) }
        return try ZIPPackage.archive(parts(for: report))
    }

    /// Builds a one-sheet workbook for a single table.
    /// - Throws: ``ReportWritingError``, as for the whole-report `data(for:)`.
    public static func data(for table: ReportTable) throws(ReportWritingError) -> Data {
        try data(for: Report(title: table.title, tables: [table]))
    }

    /// Writes the workbook to `url`, replacing the file atomically.
    /// - Throws: ``ReportWritingError``, as for `data(for:)`, or `.fileWriteFailed` when the file cannot be written.
    public static func write(_ report: Report, to url: URL) throws(ReportWritingError) {
        try ReportFile.write(data(for: report), to: url)
    }

    /// Every part of the package, `[Content_Types].xml` first as packaging tools expect.
    static func parts(for report: Report) -> [(path: String, data: Data)] {
        let names = SheetNames.unique(for: report.tables.map(\.title))
        let filterRanges = report.tables.map { XLSXSheetLayout($0).filterRange }
        let count = report.tables.count
        let packageParts = [
            ("[Content_Types].xml", XLSXParts.contentTypes(sheetCount: count)),
            ("_rels/.rels", XLSXParts.rootRelationships()),
            ("xl/workbook.xml", XLSXParts.workbook(sheetNames: names, filterRanges: filterRanges)),
            ("xl/_rels/workbook.xml.rels", XLSXParts.workbookRelationships(sheetCount: count)),
            ("xl/styles.xml", XLSXStyles.xml()),
        ]
        let sheets = report.tables.enumerated().map { index, table in
            (XLSXParts.sheetPath(index + 1), XLSXWorksheet.xml(for: table, isSelected: index == 0))
        }
        return (packageParts + sheets).map { (path: $0.0, data: Data($0.1.utf8)) }
    }
}
