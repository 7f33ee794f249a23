import Foundation
import LedgerCore
import Testing
import BankStatements

/// Goal: valid MT940 files as banks really write them — SWIFT message framing, SOH/ETX control bytes, fields the
/// standard does not define, a blank entry date, a padded transaction type, the same `:20:` on every statement —
/// are read exactly, and the strict checks still fire on them: a wrong amount is still refused, and a closing
/// balance off by one cent is still caught by validation with the same error as in a plain file.
///
/// Method: one hand-written file per quirk in `Fixtures/dialects/mt940` (see the README there), read whole, then
/// checked field by field in minor units; each strict check changes one line of the same file.
@Suite struct MT940DialectTests {
    static let eur = CurrencyCode("EUR")!

    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }

    /// The bytes of a fixture, found from this source file like `StatementTestData` finds the vendored files
    /// (the test target excludes `Fixtures`, so it is not a bundle resource).
    static func fixture(_ name: String, _ file: String = #filePath) throws -> Data {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dialects/mt940").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }

    /// The fixture as text (all fixtures are ASCII), for the variants that change one line.
    static func text(_ name: String) throws -> String {
        let data = try fixture(name)
        return try #require(String(data: data, encoding: .utf8))
    }

    /// `text` with `old` replaced by `new`, which must occur exactly once.
    static func replacing(_ old: String, with new: String, in text: String) throws -> String {
        try #require(text.components(separatedBy: old).count == 2, "\(old) must occur once")
        return text.replacingOccurrences(of: old, with: new)
    }

    /// Account, currency, statement number, balances (minor units and dates), and each entry's signed amount
    /// and mark.
    static func expectStatement(_ statement: BankStatement, account: String, currency: CurrencyCode,
                                number: Int, page: Int? = 1, opening: Int64, openingDate: String, closing: Int64,
                                closingDate: String, amounts: [Int64],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(statement.account == account, sourceLocation: sourceLocation)
        #expect(statement.currency == currency, sourceLocation: sourceLocation)
        #expect(statement.sequenceNumber == number && statement.pageNumber == page, sourceLocation: sourceLocation)
        #expect(statement.openingBalance == AmountMinorUnits(opening), sourceLocation: sourceLocation)
        #expect(statement.openingDate == date(openingDate), sourceLocation: sourceLocation)
        #expect(statement.closingBalance == AmountMinorUnits(closing), sourceLocation: sourceLocation)
        #expect(statement.closingDate == date(closingDate), sourceLocation: sourceLocation)
        #expect(statement.openingBalanceKind == .final && statement.closingBalanceKind == .final,
                sourceLocation: sourceLocation)
        #expect(statement.entries.count == amounts.count, sourceLocation: sourceLocation)
        #expect(statement.entries.map(\.amount.value) == amounts, sourceLocation: sourceLocation)
        #expect(statement.entries.map(\.mark) == amounts.map { $0 < 0 ? CreditDebitMark.debit : .credit },
                sourceLocation: sourceLocation)
    }

    /// The error `validateBalances()` throws when the closing balance is one cent more than the entries give.
    static func offByOneCent(opening: Int64, entries: Int64, statementID: String, currency: CurrencyCode,
                             line: Int) -> StatementValidationError {
        StatementValidationError(.unbalanced(openingMinorUnits: opening, entriesMinorUnits: entries,
                                             closingMinorUnits: opening + entries + 1),
                                 statementID: statementID, currency: currency, line: line)
    }

    // MARK: - 1. SWIFT block framing and SOH/ETX

    @Test func readsBackToBackSWIFTMessagesWithBlockHeadersAndTrailers() throws {
        let data = try Self.fixture("swift-block-framing.sta")
        let statements = try MT940Parser.parse(data)
        #expect(statements.count == 2)
        let first = try #require(statements.first)
        Self.expectStatement(first, account: "BE68539007547034", currency: Self.eur, number: 1,
                             opening: 100_000, openingDate: "2026-01-02", closing: 194_950, closingDate: "2026-01-05",
                             amounts: [-25_050, 120_000])
        #expect(first.statementID == "FS-DIALECT-0001" && first.line == 2)
        #expect(first.entries == [
            BankStatementEntry(bookingDate: Self.date("2026-01-05"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(-25_050), reference: "BK-0001", counterparty: "",
                               narrative: "Water bill January", mark: .debit, customerReference: "INV-2026-001",
                               bankTransactionCode: "NTRF", line: 6),
            BankStatementEntry(bookingDate: Self.date("2026-01-05"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(120_000), reference: "BK-0002", counterparty: "",
                               narrative: "", mark: .credit, customerReference: "NONREF", bankTransactionCode: "NTRF",
                               line: 8),
        ])
        Self.expectStatement(statements[1], account: "BE68539007547034", currency: Self.eur, number: 2,
                             opening: 194_950, openingDate: "2026-01-05", closing: 190_000, closingDate: "2026-01-06",
                             amounts: [-4950])
        #expect(statements[1].statementID == "FS-DIALECT-0002" && statements[1].line == 12)
        #expect(statements[1].entries.first?.bankTransactionCode == "NCHK")
        #expect(statements.allSatisfy { $0.warnings.isEmpty && $0.extraFields.isEmpty })
        try StatementValidation.validate(statements)
        #expect(StatementSequence.gaps(in: statements).isEmpty)
        #expect(try BankStatementReader.read(data) == StatementFile(format: .mt940, statements: statements))
    }

    @Test func aFramedFileIsCheckedAsStrictlyAsAPlainOne() throws {
        let framed = try Self.text("swift-block-framing.sta")
        // One cent too much on the first closing balance: read, then refused by validation as before.
        let unbalanced = try Self.replacing(":62F:C260105EUR1949,50", with: ":62F:C260105EUR1949,51", in: framed)
        let statements = try MT940Parser.parse(Data(unbalanced.utf8))
        let expected = Self.offByOneCent(opening: 100_000, entries: 94_950, statementID: "FS-DIALECT-0001",
                                         currency: Self.eur, line: 2)
        #expect(throws: expected) { try StatementValidation.validate(statements) }
        // The same text block without its framing gives the same error (its statement starts on line 1).
        let lines = unbalanced.components(separatedBy: "\r\n")
        let plain = lines[1...8].joined(separator: "\r\n")
        let plainStatements = try MT940Parser.parse(text: plain)
        var plainExpected = expected
        plainExpected.line = 1
        #expect(throws: plainExpected) { try StatementValidation.validate(plainStatements) }
        // A malformed amount is still refused, with the line of the field in the framed file.
        let badAmount = try Self.replacing(":62F:C260106EUR1900,00", with: ":62F:C260106EUR1900,0X", in: framed)
        #expect(throws: StatementParseError(.invalidAmount(field: ":62F:"), format: .mt940, line: 17)) {
            try MT940Parser.parse(Data(badAmount.utf8))
        }
        // A message whose text block lost its closing balance is still refused (at the next `:20:`: without a
        // closing balance, `-}` cannot end the statement).
        let cut = try Self.replacing(":62F:C260105EUR1949,50\r\n", with: "", in: framed)
        #expect(throws: StatementParseError(.missingField(":62F:"), format: .mt940, line: 11)) {
            try MT940Parser.parse(Data(cut.utf8))
        }
    }

    @Test func readsMessagesFramedBySOHAndETX() throws {
        let data = try Self.fixture("soh-etx-framing.sta")
        #expect(data.contains(0x01) && data.contains(0x03))
        let statements = try MT940Parser.parse(data)
        #expect(statements.count == 3)
        #expect(statements.map(\.statementID) == ["FS-SOH-0001", "FS-SOH-0002", "FS-SOH-0003"])
        #expect(statements.map(\.line) == [2, 9, 16])
        Self.expectStatement(statements[0], account: "BE68539007547034", currency: Self.eur, number: 3,
                             opening: 190_000, openingDate: "2026-01-06", closing: 200_000, closingDate: "2026-01-07",
                             amounts: [10_000])
        Self.expectStatement(statements[1], account: "BE68539007547034", currency: Self.eur, number: 4,
                             opening: 200_000, openingDate: "2026-01-07", closing: 0, closingDate: "2026-01-08",
                             amounts: [-200_000])
        Self.expectStatement(statements[2], account: "BE68539007547034", currency: Self.eur, number: 5,
                             opening: 0, openingDate: "2026-01-08", closing: -1234, closingDate: "2026-01-09",
                             amounts: [-1234])
        #expect(statements.map { $0.entries.map(\.reference) } == [["BK-0004"], ["BK-0005"], ["BK-0006"]])
        try StatementValidation.validate(statements)
        // Only the framing is removed: the file without its SOH and ETX bytes reads the same, line for line.
        let unframed = Data(data.filter { $0 != 0x01 && $0 != 0x03 })
        #expect(try MT940Parser.parse(unframed) == statements)
        #expect(try BankStatementReader.read(data) == StatementFile(format: .mt940, statements: statements))
        // Statements 1 and 2 of the account came in the other file: together, the series has no gap.
        let earlier = try MT940Parser.parse(Self.fixture("swift-block-framing.sta"))
        #expect(StatementSequence.gaps(in: earlier + statements).isEmpty)
    }

    @Test func controlBytesOutsideTheFramingAreStillRefused() throws {
        let framed = try Self.text("soh-etx-framing.sta")
        let sohInAnEntry = try Self.replacing("NONREF//BK-0004", with: "NONREF//BK-\u{1}0004", in: framed)
        #expect(throws: StatementParseError(.controlCharacter(scalar: 1), format: .mt940, line: 6)) {
            try MT940Parser.parse(Data(sohInAnEntry.utf8))
        }
        let etxAfterABalance = try Self.replacing(":62F:C260107EUR2000,00", with: ":62F:C260107EUR2000,00\u{3}",
                                                  in: framed)
        #expect(throws: StatementParseError(.controlCharacter(scalar: 3), format: .mt940, line: 7)) {
            try MT940Parser.parse(Data(etxAfterABalance.utf8))
        }
        // A SOH that does not open a `{1:` basic header block is not framing.
        #expect(throws: StatementParseError(.controlCharacter(scalar: 1), format: .mt940, line: 1)) {
            try MT940Parser.parse(Data(("\u{1}\r\n" + framed).utf8))
        }
        let unbalanced = try Self.replacing(":62F:D260109EUR12,34", with: ":62F:D260109EUR12,33", in: framed)
        let statements = try MT940Parser.parse(Data(unbalanced.utf8))
        #expect(throws: Self.offByOneCent(opening: 0, entries: -1234, statementID: "FS-SOH-0003", currency: Self.eur,
                                          line: 16)) {
            try StatementValidation.validate(statements)
        }
    }

    /// An ETX alone at the start of the line after `-}`, and space padding after it, are framing too.
    @Test func readsAnETXOnTheLineAfterTheTextBlock() throws {
        let text = "\u{1}{1:F01BANKBEBBAXXX0000000000}{4:\r\n:20:A\r\n:25:1\r\n:28C:1\r\n:60F:C260105EUR1,00\r\n"
            + ":62F:C260105EUR1,00\r\n-}\r\n\u{3}    \r\n"
        let statement = try #require(try MT940Parser.parse(Data(text.utf8)).first)
        #expect(statement.openingBalance == AmountMinorUnits(100) && statement.closingBalance == AmountMinorUnits(100))
    }

    // MARK: - 2. Fields MT940 does not define

    @Test func keepsNonStandardFieldsUnreadWithAWarning() throws {
        let statements = try MT940Parser.parse(Self.fixture("ns-field.sta"))
        let statement = try #require(statements.first)
        #expect(statements.count == 1)
        Self.expectStatement(statement, account: "10020030/1234567890", currency: Self.eur, number: 12,
                             opening: 500_000, openingDate: "2026-01-05", closing: 496_000, closingDate: "2026-01-05",
                             amounts: [-12_000, 8000])
        #expect(statement.statementID == "STARTUMS")
        #expect(statement.extraFields == [
            StatementExtraField(tag: "13D", value: "2601051800+0100", line: 4),
            StatementExtraField(tag: "NS", value: "01Kontoauszug Nr. 12", line: 6),
            StatementExtraField(tag: "NS", value: "19Ende des Auszugs", line: 15),
        ])
        #expect(statement.additionalInformation.isEmpty)
        // A `:86:` after a non-standard field still belongs to the entry both follow.
        #expect(statement.entries == [
            BankStatementEntry(bookingDate: Self.date("2026-01-05"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(-12_000), reference: "", counterparty: "",
                               narrative: "105?00BASISLASTSCHRIFT?20Stadtwerke", mark: .debit,
                               customerReference: "NONREF", bankTransactionCode: "NMSC", line: 7,
                               extraFields: [StatementExtraField(tag: "NS", value: "22Stadtwerke Musterstadt\n"
                                                                 + "23Abschlag Januar", line: 9)]),
            BankStatementEntry(bookingDate: Self.date("2026-01-05"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(8000), reference: "BK-0302", counterparty: "",
                               narrative: "166?00GUTSCHRIFT?20Miete", mark: .credit, customerReference: "NONREF",
                               bankTransactionCode: "NTRF", line: 11,
                               extraFields: [StatementExtraField(tag: "NS", value: "22Gutschrift", line: 12)]),
        ])
        #expect(statement.warnings == [
            StatementWarning(.nonStandardFieldKept(field: ":13D:"), format: .mt940, line: 4),
            StatementWarning(.nonStandardFieldKept(field: ":NS:"), format: .mt940, line: 6),
            StatementWarning(.nonStandardFieldKept(field: ":NS:"), format: .mt940, line: 9),
            StatementWarning(.nonStandardFieldKept(field: ":NS:"), format: .mt940, line: 12),
            StatementWarning(.nonStandardFieldKept(field: ":NS:"), format: .mt940, line: 15),
        ])
        #expect(statement.warnings[1].description
                == "MT940 line 6: :NS: is not a field of the format; it was kept as written and not read")
        try statement.validateBalances()
    }

    @Test func nonStandardFieldsLoosenNoOtherCheck() throws {
        let text = try Self.text("ns-field.sta")
        // An unknown letter option of a standard field could be a balance or an entry: refused as before.
        let unknownOption = try Self.replacing(":NS:19Ende des Auszugs", with: ":62X:C260105EUR4960,00", in: text)
        #expect(throws: StatementParseError(.unexpectedField(field: ":62X:", reason: "MT940 has no such field"),
                                            format: .mt940, line: 15)) {
            try MT940Parser.parse(Data(unknownOption.utf8))
        }
        let sixtyWithoutOption = try Self.replacing(":13D:2601051800+0100", with: ":60:C260105EUR5000,00", in: text)
        #expect(throws: StatementParseError(.unexpectedField(field: ":60:", reason: "MT940 has no such field"),
                                            format: .mt940, line: 4)) {
            try MT940Parser.parse(Data(sixtyWithoutOption.utf8))
        }
        // Before any `:20:` a field of any kind is a fragment, not a statement.
        #expect(throws: StatementParseError(.unexpectedField(field: ":NS:", reason: "it comes before the :20: that "
                                                             + "starts a statement"), format: .mt940, line: 1)) {
            try MT940Parser.parse(Data((":NS:01Vorspann\r\n" + text).utf8))
        }
        // The field order around them is still enforced.
        let secondAccount = try Self.replacing("23Abschlag Januar\r\n", with: "23Abschlag Januar\r\n:25:1\r\n",
                                               in: text)
        #expect(throws: StatementParseError(.duplicateField(":25:"), format: .mt940, line: 11)) {
            try MT940Parser.parse(Data(secondAccount.utf8))
        }
        let unbalanced = try Self.replacing(":62F:C260105EUR4960,00", with: ":62F:C260105EUR4960,01", in: text)
        let statement = try #require(try MT940Parser.parse(Data(unbalanced.utf8)).first)
        #expect(throws: Self.offByOneCent(opening: 500_000, entries: -4000, statementID: "STARTUMS", currency: Self.eur,
                                          line: 1)) {
            try statement.validateBalances()
        }
    }

    // MARK: - 3. Blank entry date

    @Test func readsAnEntryDateWrittenAsFourSpacesAsNotGiven() throws {
        let statement = try #require(try MT940Parser.parse(Self.fixture("blank-entry-date.sta")).first)
        Self.expectStatement(statement, account: "NL91ABNA0417164300", currency: Self.eur, number: 21,
                             opening: 30_000, openingDate: "2026-01-05", closing: 26_988, closingDate: "2026-01-06",
                             amounts: [-4567, 1000, 555])
        #expect(statement.entries == [
            BankStatementEntry(bookingDate: Self.date("2026-01-05"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(-4567), reference: "BK-0101", counterparty: "",
                               narrative: "Payment without entry date", mark: .debit, customerReference: "NONREF",
                               bankTransactionCode: "NTRF", line: 5),
            BankStatementEntry(bookingDate: Self.date("2026-01-06"), valueDate: Self.date("2026-01-05"),
                               amount: AmountMinorUnits(1000), reference: "BK-0102", counterparty: "", narrative: "",
                               mark: .credit, customerReference: "NONREF", bankTransactionCode: "NTRF", line: 7),
            BankStatementEntry(bookingDate: Self.date("2026-01-06"), valueDate: Self.date("2026-01-06"),
                               amount: AmountMinorUnits(555), reference: "", counterparty: "", narrative: "",
                               mark: .credit, customerReference: "NONREF", bankTransactionCode: "NMSC", line: 8),
        ])
        #expect(statement.warnings.isEmpty)
        try statement.validateBalances()
    }

    @Test(arguments: [("three spaces", "260105   D45,67"), ("five spaces", "260105     D45,67"),
                      ("a tab", "260105\tD45,67")])
    func anEntryDateBlankedAnyOtherWayIsStillRefused(name: String, start: String) throws {
        let text = try Self.replacing(":61:260105    D45,67", with: ":61:" + start,
                                      in: Self.text("blank-entry-date.sta"))
        #expect(throws: StatementParseError(.malformedField(field: ":61:", reason: "the debit/credit mark is not C, D, "
                                                            + "RC or RD"), format: .mt940, line: 5), "\(name)") {
            try MT940Parser.parse(Data(text.utf8))
        }
    }

    @Test func aBlankEntryDateFileIsCheckedAsStrictlyAsAPlainOne() throws {
        let text = try Self.text("blank-entry-date.sta")
        let unbalanced = try Self.replacing(":62F:C260106EUR269,88", with: ":62F:C260106EUR269,89", in: text)
        let statement = try #require(try MT940Parser.parse(Data(unbalanced.utf8)).first)
        #expect(throws: Self.offByOneCent(opening: 30_000, entries: -3012, statementID: "FS-BLANK-DATE",
                                          currency: Self.eur, line: 1)) {
            try statement.validateBalances()
        }
        let tooManyDecimals = try Self.replacing("D45,67", with: "D45,678", in: text)
        #expect(throws: StatementParseError(.tooManyDecimals(field: ":61:", currency: "EUR", minorUnitDigitsMax: 2),
                                            format: .mt940, line: 5)) {
            try MT940Parser.parse(Data(tooManyDecimals.utf8))
        }
    }

    // MARK: - 4. Padded transaction type

    @Test func readsAPaddedTransactionTypeTrimmed() throws {
        let statement = try #require(try MT940Parser.parse(Self.fixture("padded-type.sta")).first)
        Self.expectStatement(statement, account: "DE89370400440532013000", currency: Self.eur, number: 7,
                             opening: 100_000, openingDate: "2026-01-05", closing: 85_000, closingDate: "2026-01-05",
                             amounts: [-10_000, 2000, -3000, -4000])
        #expect(statement.entries.map(\.bankTransactionCode) == ["S", "NTR", "NTRF", "N"])
        #expect(statement.entries.map(\.customerReference) == ["NONREF", "NONREF", "NONREF", "0121470966"])
        #expect(statement.entries.map(\.reference) == ["BK-0201", "BK-0202", "BK-0203", ""])
        #expect(statement.entries.map(\.additionalInformation) == ["", "", "", "W.P. Jansen"])
        #expect(statement.entries.map(\.line) == [5, 6, 7, 8])
        #expect(statement.warnings.isEmpty)
        try statement.validateBalances()
    }

    static let typeNotValid = "the transaction type is not N, F or S and three letters or digits"
    static let typeAmbiguous = "the transaction type is padded with spaces and the customer reference cannot be told "
        + "apart from the supplementary details"

    /// Line 8 of `padded-type.sta` written other ways: a space inside the type, no type at all, or padding that
    /// makes the 16-character customer reference end in a different place depending on how it is read.
    @Test(arguments: [
        ("space before a letter", "N T1NONREF", typeNotValid),
        ("blank type", "    NONREF", typeNotValid),
        ("padded type, reference straddles the details", "S   ABCDEFGHIJKLMNOPDETAILS", typeAmbiguous),
        ("space after a full type, reference straddles the details", "NTRF ABCDEFGHIJKLMNOPDETAILS", typeAmbiguous),
    ])
    func anAmbiguousOrBrokenTypeIsStillRefused(name: String, typeAndReference: String, reason: String) throws {
        let text = try Self.replacing("D40,00N   0121470966      W.P. Jansen", with: "D40,00" + typeAndReference,
                                      in: Self.text("padded-type.sta"))
        #expect(throws: StatementParseError(.malformedField(field: ":61:", reason: reason), format: .mt940, line: 8),
                "\(name)") {
            try MT940Parser.parse(Data(text.utf8))
        }
    }

    @Test func aPaddedTypeFileIsCheckedAsStrictlyAsAPlainOne() throws {
        let text = try Self.text("padded-type.sta")
        let unbalanced = try Self.replacing(":62F:C260105EUR850,00", with: ":62F:C260105EUR850,01", in: text)
        let statement = try #require(try MT940Parser.parse(Data(unbalanced.utf8)).first)
        #expect(throws: Self.offByOneCent(opening: 100_000, entries: -15_000, statementID: "FS-PADDED-TYPE",
                                          currency: Self.eur, line: 1)) {
            try statement.validateBalances()
        }
    }

    // MARK: - The same :20: on every statement

    @Test func readsStatementsThatShareOneReference() throws {
        let statements = try MT940Parser.parse(Self.fixture("repeated-reference.sta"))
        #expect(statements.count == 2)
        #expect(statements.map(\.statementID) == ["0000000000000000", "0000000000000000"])
        #expect(statements.map(\.line) == [1, 9])
        Self.expectStatement(statements[0], account: "6222021001", currency: .cny, number: 41,
                             opening: 1_000_000, openingDate: "2026-01-02", closing: 825_025, closingDate: "2026-01-05",
                             amounts: [-250_000, 75_025])
        Self.expectStatement(statements[1], account: "6222021001", currency: .cny, number: 42,
                             opening: 825_025, openingDate: "2026-01-05", closing: 800_000, closingDate: "2026-01-06",
                             amounts: [-25_025])
        #expect(statements.map { $0.entries.map(\.reference) } == [["B41-1", "B41-2"], ["B42-1"]])
        try StatementValidation.validate(statements)
        #expect(StatementSequence.gaps(in: statements).isEmpty)
    }

    /// Telling statements apart is not the parser's job: the same statement twice is read twice, and the
    /// sequence check names it by number.
    @Test func theSameStatementTwiceIsReadAndCaughtByTheSequenceCheck() throws {
        let text = try Self.text("repeated-reference.sta")
        let first = text.components(separatedBy: "\r\n")[0..<8].joined(separator: "\r\n") + "\r\n"
        let statements = try MT940Parser.parse(Data((first + first).utf8))
        #expect(statements.count == 2)
        #expect(statements.map(\.statementID) == ["0000000000000000", "0000000000000000"])
        #expect(statements.map(\.line) == [1, 9])
        #expect(statements.map { $0.entries.map(\.amount.value) } == [[-250_000, 75_025], [-250_000, 75_025]])
        #expect(StatementSequence.gaps(in: statements).map(\.kind) == [
            .duplicateStatement(number: 41, page: 1),
            .balanceBreak(previousClosing: AmountMinorUnits(825_025), nextOpening: AmountMinorUnits(1_000_000)),
        ])
    }

    @Test func sharedReferencesAreCheckedAsStrictlyAsUniqueOnes() throws {
        let text = try Self.text("repeated-reference.sta")
        let unbalanced = try Self.replacing(":62F:C260106CNY8000,00", with: ":62F:C260106CNY8000,01", in: text)
        let statements = try MT940Parser.parse(Data(unbalanced.utf8))
        #expect(throws: Self.offByOneCent(opening: 825_025, entries: -25_025, statementID: "0000000000000000",
                                          currency: .cny, line: 9)) {
            try StatementValidation.validate(statements)
        }
    }
}
