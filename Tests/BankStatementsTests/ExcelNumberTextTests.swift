import Foundation
import LedgerCore
import ReportWriters
import Testing

@testable import BankStatements

/// A workbook Excel has saved may hold `45678.900000000001` for 45,678.90: every digit of a double, where Excel shows
/// and means 15. The reader takes such a cell at Excel's precision instead of refusing it as "more decimals than CNY
/// allows"; a text that really has a third decimal is still refused.
@Suite struct ExcelNumberTextTests {
    @Test(arguments: [
        ("45678.900000000001", "45678.9"), ("4009844.7599999998", "4009844.76"), ("0.57999999999999996", "0.58"),
        ("5.0000000000000003E-2", "0.05"), ("-8765.3999999999996", "-8765.4"), ("1.2345E+5", "123450"),
        ("99999999999999.999", "100000000000000"), ("0.99999999999999999", "1"), ("1E0", "1"), ("0E0", "0"),
    ])
    func longDoublesAreReadAtFifteenSignificantDigits(_ text: String, _ expected: String) {
        #expect(ExcelNumberText.meaningful(text) == expected)
    }

    @Test(arguments: ["45678.9", "600000", "1,234.50", "12.345", "", "-", "1e400", "1E", "--5", "1.2.3", ".5", "5.", "１２"])
    func shortOrNonNumericTextIsLeftAsItIs(_ text: String) {
        #expect(ExcelNumberText.meaningful(text) == nil)
    }

    /// The CCB workbook as Excel would save it: its amounts and balances written with 17 digits.
    @Test func aWorkbookSavedByExcelReadsAsTheBanksOwn() throws {
        let data = try BankExportParserTests.fixture("ccb-export.xlsx")
        let rows = try XLSXReader.firstSheet(of: data).rows
        let original = try BankExportParser.parse(rows: rows, profile: BankProfiles.ccb, excelSerialDates: true)
        let long = ["500,000.00": "500000.00000000006", "2,500,000.00": "2499999.9999999995", "36,000.00": "35999.999999999993",
                    "2,464,000.00": "2464000.0000000005"]
        let saved = rows.map { $0.map { long[$0] ?? $0 } }
        #expect(saved != rows, "the fixture's amounts were rewritten")
        let read = try BankExportParser.parse(rows: saved, profile: BankProfiles.ccb, excelSerialDates: true)
        #expect(read.entries.map(\.amount) == original.entries.map(\.amount))
        #expect(read.openingBalance == original.openingBalance && read.closingBalance == original.closingBalance)

        // A real third decimal is still refused, and a CSV (no workbook) reads its text exactly as before.
        let third = rows.map { $0.map { $0 == "36,000.00" ? "36000.005" : $0 } }
        #expect(throws: StatementParseError.self) { try BankExportParser.parse(rows: third, profile: BankProfiles.ccb, excelSerialDates: true) }
        #expect(throws: StatementParseError.self) { try BankExportParser.parse(rows: saved, profile: BankProfiles.ccb, excelSerialDates: false) }
    }
}
