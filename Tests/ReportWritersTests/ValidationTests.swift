import Testing
@testable import ReportWriters

/// Every writer refuses a malformed table the same way, with its place and without its values.
@Suite struct ValidationTests {
    private let columns = [ReportTable.Column(name: "名称", kind: .text), .init(name: "金额", kind: .money)]

    @Test func textAndEmptyFitAnyColumn() throws {
        let table = ReportTable(title: "t", columns: columns, rows: [[.empty, .text("—")], [.text("a"), .empty]])
        try table.validate()
    }

    @Test func typedCellInAnotherKindOfColumn() {
        let table = ReportTable(title: "t", columns: columns, rows: [[.text("a"), .integer(5)]])
        #expect(throws: ReportWritingError(.cellKindMismatch(cellKind: .integer, columnKind: .money),
                                           tableIndex: 0, row: .body(0), columnIndex: 1)) {
            try table.validate()
        }
    }

    @Test func totalsRowOfTheWrongWidth() {
        let table = ReportTable(title: "t", columns: columns, rows: [], totals: [.text("合计")])
        #expect(throws: ReportWritingError(.rowWidthMismatch(cellCount: 1, columnCount: 2), tableIndex: 0,
                                           row: .totals)) {
            try table.validate()
        }
    }

    @Test func moneyScaleAndDatesAreChecked() {
        let money = ReportTable(title: "t", columns: columns, rows: [[.empty, .money(minorUnits: 1, scale: 7)]])
        #expect(throws: ReportWritingError(.moneyScaleOutOfRange(scale: 7, scaleMax: 6), tableIndex: 0,
                                           row: .body(0), columnIndex: 1)) {
            try money.validate()
        }
        let date = ReportTable(title: "t", columns: [.init(name: "d", kind: .date)], rows: [[.date("2023-02-29")]])
        #expect(throws: ReportWritingError(.invalidDate, tableIndex: 0, row: .body(0), columnIndex: 0)) {
            try date.validate()
        }
    }

    @Test func reportNamesTheBadTableAndKeepsValuesOutOfTheDescription() {
        let bad = ReportTable(title: "t", columns: columns, rows: [[.text("秘密收款人"), .integer(42)]])
        let report = Report(title: "r", tables: [ReportFixtures.summary, bad])
        let error = #expect(throws: ReportWritingError.self) { try JSONReportWriter.data(for: report) }
        #expect(error?.tableIndex == 1)
        #expect(error?.description == "cellKindMismatch(cellKind: ReportWriters.ReportTable.Cell.Kind.integer, "
            + "columnKind: ReportWriters.ReportTable.Cell.Kind.money) at table 1, row 0, column 1")
    }

    @Test func cellKindsMatchTheirCases() {
        #expect(ReportTable.Cell.money(minorUnits: 5, scale: 2).kind == .money)
        #expect(ReportTable.Cell.empty.kind == nil)
    }
}
