/// Writes reports as aligned plain-text tables for a terminal: a title line, the parameters, a header, a rule, the
/// rows and the totals under a second rule.
///
/// Columns are aligned by display width (``DisplayWidth``), so Chinese names line up; numbers and money are
/// right-aligned, money with thousands separators, so magnitudes can be compared at a glance.
///
/// ```swift
/// print(try TextTableWriter.render(report), terminator: "")
/// ```
/// ```
/// 收支汇总
/// 单位: 青山县财政局
///
/// 科目        金额
/// --------  --------
/// 库存现金  1,234.56
/// --------  --------
/// 合计      1,234.56
/// ```
public enum TextTableWriter {
    /// Two spaces between columns: one is too easy to misread between two numbers.
    static let columnGap = "  "

    /// Renders every table of a report, separated by a blank line, under the report's title (if any).
    /// - Returns: lines ending in `"\n"`, with no trailing spaces.
    /// - Throws: ``ReportWritingError`` when ``Report/validate()`` fails.
    public static func render(_ report: Report) throws(ReportWritingError) -> String {
        try report.validate()
        var blocks: [String] = []
        if !report.title.isEmpty {
            let title = TerminalText.sanitized(report.title)
            blocks.append(title + "\n" + String(repeating: "=", count: DisplayWidth.of(title)) + "\n")
        }
        blocks += report.tables.map(renderValidated)
        return blocks.joined(separator: "\n")
    }

    /// Renders one table.
    /// - Throws: ``ReportWritingError`` when ``ReportTable/validate(tableIndex:)`` fails.
    public static func render(_ table: ReportTable) throws(ReportWritingError) -> String {
        try table.validate()
        return renderValidated(table)
    }

    private static func renderValidated(_ table: ReportTable) -> String {
        var lines = [TerminalText.sanitized(table.title)]
        lines += table.parameters.map { TerminalText.sanitized("\($0.name): \($0.value)") }
        lines.append("")
        let header = table.columns.map { TerminalText.sanitized($0.name) }
        let body = table.rows.map { $0.map(terminalText) }
        let totals = table.totals.map { $0.map(terminalText) }
        let widths = columnWidths(header: header, rows: body + (totals.map { [$0] } ?? []))
        let alignments = table.columns.map { $0.kind == .integer || $0.kind == .money }
        let rule = widths.map { String(repeating: "-", count: $0) }
        let format = { (cells: [String]) in line(cells, widths: widths, rightAligned: alignments) }
        lines += [format(header), format(rule)] + body.map(format)
        if let totals { lines += [format(rule), format(totals)] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How a cell reads in a terminal: money grouped by thousands, text made single-line and escape-free.
    static func terminalText(_ cell: ReportTable.Cell) -> String {
        switch cell {
        case .text(let text): TerminalText.sanitized(text)
        case .integer(let value): String(value)
        case .money(let minorUnits, let scale): MoneyText.grouped(minorUnits: minorUnits, scale: scale)
        case .date(let text): text
        case .empty: ""
        }
    }

    private static func columnWidths(header: [String], rows: [[String]]) -> [Int] {
        header.indices.map { column in
            rows.reduce(DisplayWidth.of(header[column])) { max($0, DisplayWidth.of($1[column])) }
        }
    }

    private static func line(_ cells: [String], widths: [Int], rightAligned: [Bool]) -> String {
        let padded = cells.indices.map { column in
            let padding = String(repeating: " ", count: widths[column] - DisplayWidth.of(cells[column]))
            return rightAligned[column] ? padding + cells[column] : cells[column] + padding
        }
        return String(padded.joined(separator: columnGap).reversed().drop { $0 == " " }.reversed())
    }
}
