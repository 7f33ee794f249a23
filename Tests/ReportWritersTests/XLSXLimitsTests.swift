import Testing
@testable import ReportWriters

/// The xlsx writer refuses what Excel would show wrongly, and says where.
@Suite struct XLSXLimitsTests {
    private func table(_ cell: ReportTable.Cell, kind: ReportTable.Cell.Kind) -> ReportTable {
        ReportTable(title: "t", columns: [.init(name: "c", kind: kind)], rows: [[.empty], [cell]])
    }

    @Test func moneyBeyondFifteenDigitsIsRefused() throws {
        let fits = table(.money(minorUnits: 999_999_999_999_999, scale: 2), kind: .money)
        _ = try XLSXWriter.data(for: fits)
        let error = #expect(throws: ReportWritingError.self) {
            try XLSXWriter.data(for: table(.money(minorUnits: -1_000_000_000_000_000, scale: 2), kind: .money))
        }
        #expect(error == ReportWritingError(.moneyTooPreciseForExcel(digitCount: 16, digitCountMax: 15),
                                            tableIndex: 0, row: .body(1), columnIndex: 0))
    }

    @Test func datesBeforeMarch1900AreRefused() {
        #expect(throws: ReportWritingError(.dateOutsideExcelRange, tableIndex: 0, row: .body(1), columnIndex: 0)) {
            try XLSXWriter.data(for: table(.date("1900-02-28"), kind: .date))
        }
    }

    @Test func overlongTextIsRefused() {
        let text = String(repeating: "字", count: ReportLimits.excelCellTextLengthUTF16Max + 1)
        #expect(throws: ReportWritingError(.textTooLongForExcel(lengthUTF16: 32_768, lengthUTF16Max: 32_767),
                                           tableIndex: 0, row: .body(1), columnIndex: 0)) {
            try XLSXWriter.data(for: table(.text(text), kind: .text))
        }
    }

    @Test func aReportNeedsATable() {
        #expect(throws: ReportWritingError(.noTables)) { try XLSXWriter.data(for: Report(title: "", tables: [])) }
    }

    @Test func tooManyColumnsIsRefused() {
        let columns = Array(repeating: ReportTable.Column(name: "c", kind: .text),
                            count: ReportLimits.excelColumnCountMax + 1)
        let wide = ReportTable(title: "t", columns: columns, rows: [])
        #expect(throws: ReportWritingError(.tooManyColumns(columnCount: 16_385, columnCountMax: 16_384),
                                           tableIndex: 0)) {
            try XLSXWriter.data(for: wide)
        }
    }
}
