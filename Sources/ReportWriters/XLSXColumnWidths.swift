/// Column widths for a sheet, so people see whole names and amounts without dragging column borders.
///
/// Excel measures width in characters of its default font's digit; a CJK character is about two of those, which is
/// exactly what ``DisplayWidth`` counts. The width fits the header, body and totals (as the terminal shows them:
/// money with its thousands separators), plus room for the filter button, within the xlsx width limits.
enum XLSXColumnWidths {
    /// Space for the auto-filter drop-down button and a margin.
    static let paddingCharacters = 3

    static func widths(for table: ReportTable) -> [Int] {
        table.columns.indices.map { column in
            var widest = DisplayWidth.of(table.columns[column].name)
            for row in table.rows { widest = max(widest, width(of: row[column])) }
            if let totals = table.totals { widest = max(widest, width(of: totals[column])) }
            return min(max(widest + paddingCharacters, ReportLimits.xlsxColumnWidthCharactersMin),
                       ReportLimits.xlsxColumnWidthCharactersMax)
        }
    }

    /// `<cols>`, or nothing for a table without columns (an empty `<cols>` is invalid).
    static func xml(for table: ReportTable) -> String {
        let columns = widths(for: table).enumerated().map { index, width in
            "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        return columns.isEmpty ? "" : "<cols>" + columns.joined() + "</cols>"
    }

    private static func width(of cell: ReportTable.Cell) -> Int {
        DisplayWidth.of(TextTableWriter.terminalText(cell))
    }
}
