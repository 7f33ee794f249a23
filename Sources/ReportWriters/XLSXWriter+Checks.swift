extension XLSXWriter {
    /// Checks a validated table against Excel's own limits, which the other formats do not have: sheet size, cell
    /// text length, dates Excel can show, and money Excel can hold exactly.
    ///
    /// Money is refused rather than written when it has more than 15 significant digits: the file would still be
    /// exact, but Excel keeps numbers as doubles and would show and sum a different amount.
    static func checkExcelLimits(_ table: ReportTable, tableIndex: Int) throws(ReportWritingError) {
        let layout = XLSXSheetLayout(table)
        guard table.columns.count <= ReportLimits.excelColumnCountMax else {
            throw ReportWritingError(.tooManyColumns(columnCount: table.columns.count,
                                                     columnCountMax: ReportLimits.excelColumnCountMax),
                                     tableIndex: tableIndex)
        }
        guard layout.lastRow <= ReportLimits.excelRowCountMax else {
            throw ReportWritingError(.tooManyRows(rowCount: layout.lastRow, rowCountMax: ReportLimits.excelRowCountMax),
                                     tableIndex: tableIndex)
        }
        let labels = [table.title] + table.parameters.flatMap { [$0.name, $0.value] } + table.columns.map(\.name)
        for label in labels { try checkTextLength(label, tableIndex: tableIndex, row: nil, columnIndex: nil) }
        for (index, row) in table.rows.enumerated() { try checkCells(row, tableIndex: tableIndex, row: .body(index)) }
        if let totals = table.totals { try checkCells(totals, tableIndex: tableIndex, row: .totals) }
    }

    private static func checkCells(_ cells: [ReportTable.Cell], tableIndex: Int,
                                   row: ReportWritingError.Row) throws(ReportWritingError) {
        for (columnIndex, cell) in cells.enumerated() {
            switch cell {
            case .text(let text):
                try checkTextLength(text, tableIndex: tableIndex, row: row, columnIndex: columnIndex)
            case .money(let minorUnits, _):
                let digitCount = MoneyText.significantDigitCount(minorUnits: minorUnits)
                guard digitCount <= ReportLimits.excelNumberDigitCountMax else {
                    throw ReportWritingError(.moneyTooPreciseForExcel(
                        digitCount: digitCount, digitCountMax: ReportLimits.excelNumberDigitCountMax),
                        tableIndex: tableIndex, row: row, columnIndex: columnIndex)
                }
            case .date(let text) where CalendarDay(text)?.excelSerial == nil:
                throw ReportWritingError(.dateOutsideExcelRange, tableIndex: tableIndex, row: row,
                                         columnIndex: columnIndex)
            default:
                continue
            }
        }
    }

    private static func checkTextLength(_ text: String, tableIndex: Int, row: ReportWritingError.Row?,
                                        columnIndex: Int?) throws(ReportWritingError) {
        let length = text.utf16.count
        guard length <= ReportLimits.excelCellTextLengthUTF16Max else {
            throw ReportWritingError(.textTooLongForExcel(lengthUTF16: length,
                                                          lengthUTF16Max: ReportLimits.excelCellTextLengthUTF16Max),
                                     tableIndex: tableIndex, row: row, columnIndex: columnIndex)
        }
    }
}
