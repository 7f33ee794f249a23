/// `xl/worksheets/sheetN.xml` for one table, laid out as ``XLSXSheetLayout`` says.
///
/// Child elements follow the order ECMA-376 `CT_Worksheet` requires (dimension, sheetViews, sheetFormatPr, cols,
/// sheetData, autoFilter, pageMargins); Excel reports a corrupt file when they are out of order.
enum XLSXWorksheet {
    /// - Parameter isSelected: the first sheet is the one shown when the workbook opens.
    static func xml(for table: ReportTable, isSelected: Bool) -> String {
        let layout = XLSXSheetLayout(table)
        var xml = XLSXParts.declaration
            + "<worksheet xmlns=\"\(XLSXParts.mainNamespace)\" xmlns:r=\"\(XLSXParts.relationshipsNamespace)\">"
            + "<dimension ref=\"\(layout.dimension)\"/>"
            + sheetViews(layout: layout, isSelected: isSelected)
            + "<sheetFormatPr defaultRowHeight=\"15\"/>"
            + XLSXColumnWidths.xml(for: table)
            + "<sheetData>" + rows(for: table, layout: layout).joined() + "</sheetData>"
        if let range = layout.filterRange { xml += "<autoFilter ref=\"\(range.removingAll("$"))\"/>" }
        return xml + "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" "
            + "footer=\"0.3\"/></worksheet>"
    }

    /// Freezes everything down to the header row, so the column names stay in view while scrolling.
    private static func sheetViews(layout: XLSXSheetLayout, isSelected: Bool) -> String {
        let firstBodyCell = "A\(layout.headerRow + 1)"
        return "<sheetViews><sheetView" + (isSelected ? " tabSelected=\"1\"" : "") + " workbookViewId=\"0\">"
            + "<pane ySplit=\"\(layout.headerRow)\" topLeftCell=\"\(firstBodyCell)\" activePane=\"bottomLeft\" "
            + "state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"\(firstBodyCell)\" "
            + "sqref=\"\(firstBodyCell)\"/></sheetView></sheetViews>"
    }

    private static func rows(for table: ReportTable, layout: XLSXSheetLayout) -> [String] {
        var rows = [row(layout.titleRow, [XLSXCell.text(table.title, at: "A1", style: .title)])]
        for (index, parameter) in table.parameters.enumerated() {
            let number = layout.parameterRow(index)
            rows.append(row(number, [XLSXCell.text(parameter.name, at: "A\(number)", style: .bold),
                                     XLSXCell.text(parameter.value, at: "B\(number)", style: .general)]))
        }
        rows.append(row(layout.headerRow, header(table.columns, row: layout.headerRow)))
        for (index, cells) in table.rows.enumerated() {
            rows.append(row(layout.bodyRow(index), cells: cells, bold: false))
        }
        if let totals = table.totals, let number = layout.totalsRow {
            rows.append(row(number, cells: totals, bold: true))
        }
        return rows
    }

    private static func header(_ columns: [ReportTable.Column], row: Int) -> [String] {
        columns.enumerated().map { index, column in
            let isNumber = column.kind == .integer || column.kind == .money
            return XLSXCell.text(column.name, at: XLSXCellReference.cell(column: index, row: row),
                                 style: isNumber ? .boldRightAligned : .bold)
        }
    }

    private static func row(_ number: Int, cells: [ReportTable.Cell], bold: Bool) -> String {
        row(number, cells.enumerated().compactMap { index, cell in
            XLSXCell.xml(cell, at: XLSXCellReference.cell(column: index, row: number), bold: bold)
        })
    }

    private static func row(_ number: Int, _ cells: [String]) -> String {
        cells.isEmpty ? "<row r=\"\(number)\"/>" : "<row r=\"\(number)\">" + cells.joined() + "</row>"
    }
}

private extension String {
    /// `$A$4:$C$10` → `A4:C10`: `<autoFilter>` takes a plain range, the defined name an absolute one.
    func removingAll(_ character: Character) -> String { filter { $0 != character } }
}
