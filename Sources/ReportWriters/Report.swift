/// A whole report: one or more tables written together (one sheet each in the xlsx, one after another in the
/// terminal, one array in the JSON).
///
/// The CLI builds a `Report` once and hands it to whichever writer the user asked for:
/// ```swift
/// let report = Report(title: "2024年3月 月报", tables: [summary, detail])
/// let workbook = try XLSXWriter.data(for: report)
/// ```
public struct Report: Hashable, Sendable {
    /// A heading over all tables (terminal and JSON); the xlsx uses each table's own title per sheet.
    public var title: String
    public var tables: [ReportTable]

    public init(title: String, tables: [ReportTable]) {
        self.title = title
        self.tables = tables
    }
}
