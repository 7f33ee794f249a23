import Foundation
import LedgerCore
import Testing
import BankStatements

/// Hand-written cases for FundSync's statement CSV (spec: `Documentation.docc/CSVStatementFormat.md`): the
/// spec's example, Excel's byte-order mark and CRLF, quoting, several statements, and every broken form with the
/// exact error.
@Suite struct CSVStatementParserTests {
    static let header = CSVStatementParser.header
    static let open = "OPEN,6222021001,CNY,20261102-01,308,2026-11-02,,1000.00,,,,,"
    static let close = "CLOSE,6222021001,CNY,20261102-01,,2026-11-02,,1949.50,,,,,"
    static let example = [
        header, open,
        "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,2026-11-02,-250.50,B77,INV-12,\"Hefei Water Co., Ltd\","
            + "\"the \"\"December\"\" bill\",PMNT",
        "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,1200.00,B78,,Feidong County Finance Bureau,Allocation,RCDT",
        close,
    ]

    @Test func readsTheSpecExampleWithExcelsByteOrderMarkAndCRLF() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data(Self.example.joined(separator: "\r\n").utf8))
        let statements = try CSVStatementParser.parse(data)
        let statement = try #require(statements.first)
        #expect(statements.count == 1)
        #expect(statement.account == "6222021001" && statement.currency == .cny && statement.statementID == "20261102-01")
        #expect(statement.sequenceNumber == 308)
        #expect(statement.openingBalance == AmountMinorUnits(100_000) && statement.closingBalance == AmountMinorUnits(194_950))
        #expect(statement.entries.first == BankStatementEntry(
            bookingDate: BusinessDate("2026-11-02")!, valueDate: BusinessDate("2026-11-02"),
            amount: AmountMinorUnits(-25_050), reference: "B77", counterparty: "Hefei Water Co., Ltd",
            narrative: "the \"December\" bill", mark: .debit, customerReference: "INV-12", bankTransactionCode: "PMNT",
            line: 3))
        #expect(statement.entries.last?.valueDate == nil && statement.entries.last?.mark == .credit)
        try statement.validateBalances()
        #expect(try BankStatementReader.read(data) == StatementFile(format: .csv, statements: statements))
    }

    @Test func readsSeveralStatementsAndZeroDecimalCurrencies() throws {
        let text = [Self.header, Self.open, Self.close, "",
                    "OPEN,JP01,JPY,S2,,2026-11-03,,1200,,,,,", "ENTRY,JP01,JPY,S2,,2026-11-03,,-200,,,,,",
                    "CLOSE,JP01,JPY,S2,,2026-11-03,,1000,,,,,"].joined(separator: "\n")
        let statements = try CSVStatementParser.parse(text: text)
        #expect(statements.map(\.statementID) == ["20261102-01", "S2"])
        #expect(statements[1].closingBalance == AmountMinorUnits(1000) && statements[1].sequenceNumber == nil)
    }

    static func file(_ rows: String...) -> String { ([header] + rows).joined(separator: "\n") }

    static let malformed: [(String, String, StatementParseError)] = [
        ("truncated: no CLOSE row", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,-250.50,,,,,"),
         StatementParseError(.truncated(missing: "the CLOSE row"), format: .csv, line: 3)),
        ("missing closing balance before the next statement", file(open, open),
         StatementParseError(.missingField("CLOSE row before the next OPEN row"), format: .csv, line: 3)),
        ("bad amount", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,12.3.4,,,,,", close),
         StatementParseError(.invalidAmount(field: "amount"), format: .csv, line: 3)),
        ("plus sign", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,+5.00,,,,,", close),
         StatementParseError(.invalidAmount(field: "amount"), format: .csv, line: 3)),
        ("three decimals in CNY", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,1.005,,,,,", close),
         StatementParseError(.tooManyDecimals(field: "amount", currency: "CNY", minorUnitDigitsMax: 2),
                             format: .csv, line: 3)),
        ("a zero third decimal is still refused", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,1.230,,,,,"),
         StatementParseError(.tooManyDecimals(field: "amount", currency: "CNY", minorUnitDigitsMax: 2),
                             format: .csv, line: 3)),
        ("decimals in JPY", file("OPEN,JP01,JPY,S2,,2026-11-03,,1200.5,,,,,"),
         StatementParseError(.tooManyDecimals(field: "amount", currency: "JPY", minorUnitDigitsMax: 0),
                             format: .csv, line: 2)),
        ("entry of another statement", file(open, "ENTRY,6222021001,CNY,OTHER,,2026-11-02,,1.00,,,,,", close),
         StatementParseError(.malformedField(field: "statement_id", reason: "it differs from the statement's OPEN row"),
                             format: .csv, line: 3)),
        ("twelve columns", file("OPEN,6222021001,CNY,20261102-01,308,2026-11-02,,1000.00,,,,"),
         StatementParseError(.malformedField(field: "the row", reason: "it has 12 columns instead of 13"),
                             format: .csv, line: 2)),
        ("unknown record", file("BALANCE,6222021001,CNY,20261102-01,308,2026-11-02,,1000.00,,,,,"),
         StatementParseError(.malformedField(field: "record", reason: "it must be OPEN, ENTRY or CLOSE"),
                             format: .csv, line: 2)),
        ("entry before OPEN", file("ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,1.00,,,,,"),
         StatementParseError(.unexpectedField(field: "ENTRY row", reason: "it comes before an OPEN row"),
                             format: .csv, line: 2)),
        ("text in a balance row", file(open.replacingOccurrences(of: ",,,,,", with: ",,,,x,")),
         StatementParseError(.unexpectedField(field: "narrative", reason: "it must be empty in OPEN rows"),
                             format: .csv, line: 2)),
        ("bad date", file("OPEN,6222021001,CNY,20261102-01,308,2026-11-31,,1000.00,,,,,"),
         StatementParseError(.invalidDate(field: "date"), format: .csv, line: 2)),
        ("lower-case currency", file("OPEN,6222021001,cny,20261102-01,308,2026-11-02,,1000.00,,,,,"),
         StatementParseError(.invalidCurrency(field: "currency"), format: .csv, line: 2)),
        ("unterminated quote", file(open, "ENTRY,6222021001,CNY,20261102-01,,2026-11-02,,1.00,\"B77,,,,"),
         StatementParseError(.malformedField(field: "a quoted field", reason: "its closing quote is missing"),
                             format: .csv, line: 3)),
        ("another header", "date,amount\n2026-11-02,1.00",
         StatementParseError(.missingField("header line"), format: .csv, line: 1)),
        ("header only", header, StatementParseError(.noStatements, format: .csv, line: 1)),
        ("nothing", "", StatementParseError(.empty, format: .csv)),
    ]

    @Test(arguments: malformed)
    func refusesAMalformedFileWithTheExactReason(name: String, text: String, error: StatementParseError) {
        #expect(throws: error, "\(name)") { try CSVStatementParser.parse(text: text) }
    }

    @Test func refusesTextThatIsNotUTF8() {
        var data = Data((Self.header + "\n" + Self.open + "\n").utf8)
        data.append(contentsOf: [0x45, 0x4E, 0x54, 0x52, 0x59, 0x2C, 0xC4, 0x0A])  // "ENTRY," + Latin-1 "Ä"
        #expect(throws: StatementParseError(.invalidEncoding, format: .csv, line: 3)) {
            try CSVStatementParser.parse(data)
        }
    }

    @Test func anUnbalancedStatementIsReadAndThenCaughtByValidation() throws {
        let statement = try #require(try CSVStatementParser.parse(text: Self.file(Self.open, Self.close)).first)
        #expect(throws: StatementValidationError(.unbalanced(openingMinorUnits: 100_000, entriesMinorUnits: 0,
                                                             closingMinorUnits: 194_950),
                                                 statementID: "20261102-01", currency: .cny, line: 2)) {
            try statement.validateBalances()
        }
    }
}
