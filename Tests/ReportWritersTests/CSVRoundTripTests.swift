import Foundation
import Testing
@testable import ReportWriters

/// Write then read back gives the same table: typed cells, Chinese text, money exact to the last digit.
@Suite struct CSVRoundTripTests {
    private func roundTrip(_ table: ReportTable) throws -> ReportTable {
        let data = try CSVWriter.data(for: table)
        return try CSVReader.table(from: data, title: table.title, parameters: table.parameters,
                                   columns: table.columns, hasTotalsRow: table.totals != nil)
    }

    @Test func summaryTableRoundTrips() throws {
        #expect(try roundTrip(ReportFixtures.summary) == ReportFixtures.summary)
    }

    @Test func textWithCommaQuoteNewlineAndFormulaRoundTrips() throws {
        #expect(try roundTrip(ReportFixtures.detail) == ReportFixtures.detail)
    }

    @Test func extremeAmountsRoundTripExactly() throws {
        let amounts: [Int64] = [.min, .max, 0, -1, 1, 999_999_999_999_999_999]
        let table = ReportTable(title: "t", columns: [.init(name: "金额", kind: .money)],
                                rows: amounts.flatMap { amount in
                                    (0...ReportLimits.moneyScaleMax).map { [.money(minorUnits: amount, scale: $0)] }
                                })
        #expect(try roundTrip(table) == table)
    }

    @Test func labelsInTypedColumnsComeBackAsText() throws {
        let table = ReportTable(title: "t", columns: [.init(name: "日期", kind: .date), .init(name: "数", kind: .integer)],
                                rows: [[.text("—"), .text("-")], [.date("2000-02-29"), .integer(-7)]],
                                totals: [.text("合计"), .integer(-7)])
        #expect(try roundTrip(table) == table)
    }

    @Test func emptyTextReadsBackAsEmpty() throws {
        let table = ReportTable(title: "t", columns: [.init(name: "c", kind: .text)], rows: [[.text("")]])
        #expect(try roundTrip(table).rows == [[.empty]])
    }

    @Test func wrongHeaderIsReported() throws {
        let data = try CSVWriter.data(for: ReportFixtures.detail)
        let columns = [ReportTable.Column(name: "摘要", kind: .text), .init(name: "余额", kind: .money)]
        #expect(throws: CSVParsingError(.headerMismatch(columnIndex: 1), recordIndex: 0)) {
            try CSVReader.table(from: data, title: "", columns: columns, hasTotalsRow: false)
        }
    }

    @Test func shortRecordIsReported() {
        let data = Data("a,b\r\n1\r\n".utf8)
        let columns = [ReportTable.Column(name: "a", kind: .text), .init(name: "b", kind: .text)]
        #expect(throws: CSVParsingError(.fieldCountMismatch(fieldCount: 1, columnCount: 2), recordIndex: 1)) {
            try CSVReader.table(from: data, title: "", columns: columns, hasTotalsRow: false)
        }
    }
}
