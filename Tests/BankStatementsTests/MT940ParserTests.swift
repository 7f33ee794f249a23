import Foundation
import LedgerCore
import Testing
import BankStatements

/// Hand-written MT940 cases: one complete file checked field by field, the amount forms banks send, and every
/// way a file can be broken, each with the exact error (code and line) the clerk will see.
@Suite struct MT940ParserTests {
    /// Two statements of one CNY account in SWIFT blocks with CRLF: an entry date in the next year, a funds code,
    /// `//` bank references, supplementary details, a reversal, a two-line `:86:` and a statement-level `:86:`.
    static let twoStatements = """
        {1:F01BKCHCNBJAXXX0000000000}{2:O9401200261231BKCHCNBJAXXX00000000002612311200N}{4:\r
        :20:STMT-2026-0308\r
        :25:6222021001\r
        :28C:308/1\r
        :60F:C261231CNY1000,00\r
        :61:2612310102D250,5NTRFINV-12//B77\r
        WATER BILL DECEMBER\r
        :86:Hefei Water Co.\r
        Ltd\r
        :61:2612311231CR1200,NTRFNONREF//B78\r
        :61:261231RC12,34NMSCNONREF\r
        :62F:C261231CNY1937,16\r
        :64:C261231CNY1937,16\r
        :86:3 entries\r
        -}\r
        {1:F01BKCHCNBJAXXX0000000000}{2:O9401200270101BKCHCNBJAXXX00000000002701011200N}{4:\r
        :20:STMT-2027-0001\r
        :25:6222021001\r
        :28C:309/1\r
        :60F:C261231CNY1937,16\r
        :62F:C270101CNY1937,16\r
        -}
        """

    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }

    @Test func readsACompleteFileFieldByField() throws {
        let statements = try MT940Parser.parse(text: Self.twoStatements)
        #expect(statements.count == 2)
        let first = try #require(statements.first)
        #expect(first.account == "6222021001")
        #expect(first.currency == .cny)
        #expect(first.statementID == "STMT-2026-0308")
        #expect(first.sequenceNumber == 308 && first.pageNumber == 1)
        #expect(first.openingBalance == AmountMinorUnits(100_000) && first.openingDate == Self.date("2026-12-31"))
        #expect(first.closingBalance == AmountMinorUnits(193_716) && first.closingDate == Self.date("2026-12-31"))
        #expect(first.additionalInformation == "3 entries")
        #expect(first.line == 2)
        #expect(first.entries == [
            BankStatementEntry(bookingDate: Self.date("2027-01-02"), valueDate: Self.date("2026-12-31"),
                               amount: AmountMinorUnits(-25_050), reference: "B77", counterparty: "",
                               narrative: "Hefei Water Co.\nLtd", mark: .debit, customerReference: "INV-12",
                               bankTransactionCode: "NTRF", additionalInformation: "WATER BILL DECEMBER", line: 6),
            BankStatementEntry(bookingDate: Self.date("2026-12-31"), valueDate: Self.date("2026-12-31"),
                               amount: AmountMinorUnits(120_000), reference: "B78", counterparty: "", narrative: "",
                               mark: .credit, customerReference: "NONREF", bankTransactionCode: "NTRF", line: 10),
            BankStatementEntry(bookingDate: Self.date("2026-12-31"), valueDate: Self.date("2026-12-31"),
                               amount: AmountMinorUnits(-1234), reference: "", counterparty: "", narrative: "",
                               mark: .debit, isReversal: true, customerReference: "NONREF",
                               bankTransactionCode: "NMSC", line: 11),
        ])
        #expect(statements[1].sequenceNumber == 309 && statements[1].entries.isEmpty)
        for statement in statements { try statement.validateBalances() }
        #expect(StatementSequence.gaps(in: statements).isEmpty)
    }

    /// The six opening balances of the `amount_formats.sta` test file, one at a time.
    @Test(arguments: [("380115,12", 38_011_512), ("380115,1", 38_011_510), ("380115,", 38_011_500), ("0,12", 12),
                      ("00,12", 12), ("001,12", 112), ("000000000147,64", 14_764), ("500", 50_000)])
    func readsTheAmountFormsBanksSend(text: String, minorUnits: Int64) throws {
        let file = ":20:A\n:25:1\n:28C:1\n:60F:C100318EUR\(text)\n:62F:D100318EUR\(text)"
        let statement = try #require(try MT940Parser.parse(text: file).first)
        #expect(statement.openingBalance == AmountMinorUnits(minorUnits))
        #expect(statement.closingBalance == AmountMinorUnits(-minorUnits))
    }

    @Test func readsZeroDecimalCurrenciesAndAFileWithoutFinalLineBreak() throws {
        let statement = try #require(try MT940Parser.parse(text: ":20:A\n:25:1\n:28C:1\n:60F:C260105JPY1200,\n"
                                                           + ":61:260105D200,NCHKNONREF\n:62F:C260105JPY1000").first)
        #expect(statement.openingBalance == AmountMinorUnits(1200) && statement.closingBalance == AmountMinorUnits(1000))
        try statement.validateBalances()
    }

    /// Bytes that are not UTF-8 are read as Windows-1252, the code page of German and Dutch MT940 downloads.
    @Test func readsWindows1252Text() throws {
        var data = Data(":20:A\n:25:1\n:28C:1\n:60F:C260105EUR1,00\n:61:260105C1,00NTRFNONREF\n:86:".utf8)
        data.append(contentsOf: [0xDC, 0x62, 0x65, 0x72, 0x77, 0x65, 0x69, 0x73, 0x75, 0x6E, 0x67])  // "Überweisung"
        data.append(contentsOf: Data("\n:62F:C260105EUR2,00\n".utf8))
        #expect(try MT940Parser.parse(data).first?.entries.first?.narrative == "Überweisung")
    }

    static let header = ":20:A\n:25:1\n:28C:1\n"

    static let malformed: [(String, String, StatementParseError)] = [
        ("truncated after an entry", header + ":60F:C260105CNY1,00\n:61:260105C1,00NTRFNONREF\n",
         StatementParseError(.truncated(missing: ":62F:"), format: .mt940, line: 5)),
        ("missing closing balance before the next statement", header + ":60F:C260105CNY1,00\n" + header,
         StatementParseError(.missingField(":62F:"), format: .mt940, line: 5)),
        ("bad amount", header + ":60F:C260105CNY12,3,4\n:62F:C260105CNY1,00",
         StatementParseError(.invalidAmount(field: ":60F:"), format: .mt940, line: 4)),
        ("entry amount without digits", header + ":60F:C260105CNY1,00\n:61:260105C,NTRF\n:62F:C260105CNY1,00",
         StatementParseError(.invalidAmount(field: ":61:"), format: .mt940, line: 5)),
        ("more decimals than CNY has", header + ":60F:C260105CNY1,00\n:61:260105C1,234NTRF\n:62F:C260105CNY1,00",
         StatementParseError(.tooManyDecimals(field: ":61:", currency: "CNY", minorUnitDigitsMax: 2),
                             format: .mt940, line: 5)),
        ("decimals in JPY", header + ":60F:C260105JPY1200,50\n:62F:C260105JPY1200,50",
         StatementParseError(.tooManyDecimals(field: ":60F:", currency: "JPY", minorUnitDigitsMax: 0),
                             format: .mt940, line: 4)),
        ("closing balance in another currency", header + ":60F:C260105CNY1,00\n:62F:C260105USD1,00",
         StatementParseError(.currencyMismatch(field: ":62F:", expected: "CNY", found: "USD"), format: .mt940, line: 5)),
        ("30 February", header + ":60F:C260230CNY1,00\n:62F:C260105CNY1,00",
         StatementParseError(.invalidDate(field: ":60F:"), format: .mt940, line: 4)),
        ("second :25:", ":20:A\n:25:1\n:25:2\n:28C:1\n:60F:C260105CNY1,00\n:62F:C260105CNY1,00",
         StatementParseError(.duplicateField(":25:"), format: .mt940, line: 3)),
        ("entry before the opening balance", header + ":61:260105C1,00NTRF\n:60F:C260105CNY1,00",
         StatementParseError(.unexpectedField(field: ":61:", reason: "it comes before :60F:"), format: .mt940, line: 4)),
        ("entry after the closing balance", header + ":60F:C260105CNY1,00\n:62F:C260105CNY1,00\n:61:260105C1,00NTRF",
         StatementParseError(.unexpectedField(field: ":61:", reason: "it comes after the closing balance"),
                             format: .mt940, line: 6)),
        // A tag MT940 does not define at all (`:NS:`) is kept with a warning (MT940DialectTests); an unknown option
        // of a standard field could hide a balance or an entry and is refused.
        ("unknown option of a standard tag",
         header + ":60F:C260105CNY1,00\n:62X:C260105CNY1,00\n:62F:C260105CNY1,00",
         StatementParseError(.unexpectedField(field: ":62X:", reason: "MT940 has no such field"), format: .mt940, line: 5)),
        ("bad mark", header + ":60F:X260105CNY1,00\n:62F:C260105CNY1,00",
         StatementParseError(.malformedField(field: ":60F:", reason: "it must start with C or D, a date YYMMDD and a "
                                             + "currency"), format: .mt940, line: 4)),
        ("bad transaction type", header + ":60F:C260105CNY1,00\n:61:260105C1,00XTRF\n:62F:C260105CNY1,00",
         StatementParseError(.malformedField(field: ":61:", reason: "the transaction type is not N, F or S and three "
                                             + "letters or digits"), format: .mt940, line: 5)),
        ("statement number with letters", ":20:A\n:25:1\n:28C:12A\n:60F:C260105CNY1,00\n:62F:C260105CNY1,00",
         StatementParseError(.malformedField(field: ":28C:", reason: "it must be a statement number of up to 5 digits, "
                                             + "optionally followed by / and a page number"), format: .mt940, line: 3)),
        ("balance on two lines", header + ":60F:C260105CNY1,00\nEXTRA\n:62F:C260105CNY1,00",
         StatementParseError(.malformedField(field: ":60F:", reason: "it continues on a second line"),
                             format: .mt940, line: 4)),
        ("NUL byte", header + ":60F:C260105CNY1,00\n:86:A\u{0}B\n:62F:C260105CNY1,00",
         StatementParseError(.controlCharacter(scalar: 0), format: .mt940, line: 5)),
        ("no statement at all", "ABNANL2A\n940\n", StatementParseError(.noStatements, format: .mt940)),
    ]

    @Test(arguments: malformed)
    func refusesAMalformedFileWithTheExactReason(name: String, text: String, error: StatementParseError) {
        #expect(throws: error, "\(name)") { try MT940Parser.parse(text: text) }
    }

    /// A good first statement is not returned when the second is broken: the file is used whole or not at all.
    @Test func readsAllStatementsOfAFileOrNone() {
        let good = Self.header + ":60F:C260105CNY1,00\n:62F:C260105CNY1,00\n-\n"
        #expect(throws: StatementParseError(.truncated(missing: ":62F:"), format: .mt940, line: 10)) {
            try MT940Parser.parse(text: good + Self.header + ":60F:C260105CNY1,00\n")
        }
    }

    @Test func anUnbalancedStatementIsReadAndThenCaughtByValidation() throws {
        let text = Self.header + ":60F:C260105CNY100,00\n:61:260105D30,00NTRFNONREF\n:62F:C260105CNY60,00"
        let statement = try #require(try MT940Parser.parse(text: text).first)
        #expect(throws: StatementValidationError(.unbalanced(openingMinorUnits: 10_000, entriesMinorUnits: -3000,
                                                             closingMinorUnits: 6000),
                                                 statementID: "A", currency: .cny, line: 1)) {
            try statement.validateBalances()
        }
    }

    @Test func errorsReadAsOneSentenceWithTheLine() {
        let error = StatementParseError(.tooManyDecimals(field: ":61:", currency: "CNY", minorUnitDigitsMax: 2),
                                        format: .mt940, line: 5)
        #expect(error.description
                == "MT940 line 5: the amount in :61: has more decimals than CNY allows (2) and would have to be rounded")
    }
}
