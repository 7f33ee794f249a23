import Foundation
import LedgerCore
import Testing
@testable import BankStatements

/// Goal: every MT940 file in `Fixtures/statements/mt940` (vendored) is either read exactly as the `mt940` Python
/// library read it (the `.yml` beside it) or refused with a specific reason that is justified below.
///
/// Method: walk the folder (so a new file cannot be forgotten), parse each file whole, and compare the last final
/// and intermediate opening/closing balances and every entry's amount, sign, value date, entry date and type
/// with the `.yml` (converted once into `Fixtures/statement-testdata-expected.json`). Then check which statements
/// balance: several files were anonymised by their projects and no longer add up, which validation must catch.
@Suite struct MT940TestDataTests {
    struct Refusal {
        var code: StatementParseError.Code
        var line: Int
    }

    /// Files refused, with why refusing is right.
    ///
    /// All but one are single-field fragments from the Python and Java libraries' *unit tests* of one tag each
    /// (`:60F:` alone, `:25:` alone, `:61:` alone…). They are not statements: no `:20:`, no account, no closing
    /// balance. The `.yml` files show what accepting them produces — a `Transactions` object with no statement in
    /// it; for `amount_formats.sta` six opening balances of which the library silently kept the last (1.12) and
    /// dropped five. Importing such a file would book nothing or garbage, so it is refused at the first field, and
    /// `fragmentFieldsMatchTheLibrary` checks that each field itself is still read exactly as the library read it.
    ///
    /// `sepa_snippet_broken.sta` has a second `:25:` where the `:86:` of its entry belongs. The `.yml` shows the
    /// library overwrote the account number with remittance text (`166?00GUTSCHRIFT?100399?20EREF+EndT`) and the
    /// statement does not balance (one entry of 50,990.05 against a difference of 358,593.91): garbage.
    static let refusals: [String: Refusal] = {
        func beforeStatement(_ tag: String) -> Refusal {
            Refusal(code: .unexpectedField(field: tag, reason: "it comes before the :20: that starts a statement"),
                    line: 1)
        }
        return [
            "mt940/betterplace/amount_formats.sta": beforeStatement(":60F:"),
            "mt940/betterplace/currency_in_25.sta": beforeStatement(":25:"),
            "mt940/betterplace/empty_86.sta": beforeStatement(":86:"),
            "mt940/betterplace/empty_entry_date.sta": beforeStatement(":61:"),
            "mt940/betterplace/empty_line.sta": Refusal(code: .truncated(missing: ":25:"), line: 2),
            "mt940/betterplace/missing_crlf_at_end.sta": beforeStatement(":62F:"),
            "mt940/betterplace/sepa_snippet_broken.sta": Refusal(code: .duplicateField(":25:"), line: 6),
            "mt940/cmxl/account_balance_credit.sta": beforeStatement(":60F:"),
            "mt940/cmxl/account_balance_debit.sta": beforeStatement(":60F:"),
            "mt940/cmxl/account_identification_iban.sta": beforeStatement(":25:"),
            "mt940/cmxl/account_identification_legacy.sta": beforeStatement(":25:"),
            "mt940/cmxl/available_balance.sta": beforeStatement(":64:"),
            "mt940/cmxl/closing_balance.sta": beforeStatement(":62F:"),
            "mt940/cmxl/reference.sta": Refusal(code: .truncated(missing: ":25:"), line: 1),
            "mt940/cmxl/statement_details.sta": beforeStatement(":61:"),
            "mt940/cmxl/statement_line.sta": beforeStatement(":61:"),
            "mt940/cmxl/statement_number.sta": beforeStatement(":28C:"),
        ]
    }()

    /// Statements (0-based, in file order) whose opening + entries ≠ closing. These files were anonymised by the
    /// projects that published them (amounts edited, entries removed); the Python library reads them without
    /// noticing. Every other statement of the files read must balance.
    static let unbalancedStatements: [String: [Int]] = [
        "mt940/betterplace/sepa_snippet.sta": [1],
        "mt940/jejik/abnamro.sta": [0, 1],
        "mt940/jejik/ing.sta": [0],
        "mt940/jejik/knab.sta": [1],
        "mt940/jejik/postfinance.sta": [1],
        "mt940/jejik/rabobank.sta": [0, 2],
        "mt940/jejik/triodos.sta": [0],
    ]

    /// Breaks found by `StatementSequence.gaps(in:)` in the files read: the same anonymisation left consecutive
    /// statements whose closing balance is not the next opening balance (ABN AMRO 19321 → 19322, Knab 998 → 999,
    /// Rabobank's first three statements). The multi-page statements of `sepa_mt9401.sta` and `postfinance.sta`
    /// (`:62M:` → `:60M:`, pages 1, 2, 3) must show no gap.
    static let sequenceGapCounts: [String: Int] = [
        "mt940/jejik/abnamro.sta": 1,
        "mt940/jejik/knab.sta": 1,
        "mt940/jejik/rabobank.sta": 2,
    ]

    @Test func everyFileIsReadCorrectlyOrRefusedWithAReason() throws {
        let folder = try #require(StatementTestData.folder(), "Fixtures/statements (vendored test data) not found")
        let expected = try StatementTestData.expected()
        let files = StatementTestData.files(in: folder, extension: "sta")
        #expect(files.count == 30, "the test data changed: review the refusal table and the fixture")
        for file in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            if let refusal = Self.refusals[file] {
                #expect(throws: StatementParseError(refusal.code, format: .mt940, line: refusal.line),
                        "\(file)") { try MT940Parser.parse(data) }
                continue
            }
            guard let neighbour = expected.mt940[file] else {
                Issue.record("\(file) has no neighbour .yml in the fixture and is not in the refusal table")
                continue
            }
            do {
                let statements = try MT940Parser.parse(data)
                Self.compare(statements, with: neighbour, file: file)
                let unbalanced = statements.indices.filter { (try? statements[$0].validateBalances()) == nil }
                #expect(unbalanced == Self.unbalancedStatements[file, default: []], "\(file)")
                let gaps = StatementSequence.gaps(in: statements)
                #expect(gaps.count == Self.sequenceGapCounts[file, default: 0], "\(file): \(gaps)")
                #expect(try BankStatementReader.read(data) == StatementFile(format: .mt940, statements: statements))
            } catch {
                Issue.record("\(file) was refused: \(error)")
            }
        }
    }

    /// Compares our statements with the library's "last value wins" data and its flat list of transactions.
    static func compare(_ statements: [BankStatement], with expected: MT940Expected, file: String) {
        let last = statements.last
        #expect(last?.account == expected.accountIdentification, "\(file): account")
        #expect(last?.statementID == expected.transactionReference, "\(file): :20:")
        #expect(last?.sequenceNumber == expected.statementNumber.flatMap { Int($0) }, "\(file): statement number")
        #expect(last?.pageNumber == expected.sequenceNumber.flatMap { Int($0) }, "\(file): page")
        let opening = { (kind: StatementBalanceKind) in
            statements.last { $0.openingBalanceKind == kind }.map { ($0.openingBalance, $0.currency, $0.openingDate) }
        }
        let closing = { (kind: StatementBalanceKind) in
            statements.last { $0.closingBalanceKind == kind }.map { ($0.closingBalance, $0.currency, $0.closingDate) }
        }
        expectBalance(opening(.final), expected.finalOpeningBalance, "\(file): final opening balance")
        expectBalance(opening(.intermediate), expected.intermediateOpeningBalance, "\(file): intermediate opening")
        expectBalance(closing(.final), expected.finalClosingBalance, "\(file): final closing balance")
        expectBalance(closing(.intermediate), expected.intermediateClosingBalance, "\(file): intermediate closing")
        let entries = statements.flatMap(\.entries)
        #expect(entries.count == expected.entries.count, "\(file): number of entries")
        for (index, (entry, wanted)) in zip(entries, expected.entries).enumerated() {
            compare(entry, with: wanted, "\(file) entry \(index + 1) (line \(entry.line ?? 0))")
        }
    }

    static func expectBalance(_ actual: (AmountMinorUnits, CurrencyCode, BusinessDate)?, _ expected: MT940Expected.Balance?,
                              _ what: String) {
        #expect(actual?.0.value == expected?.amountMinorUnits, "\(what): amount")
        #expect(actual?.1.code == expected?.currency, "\(what): currency")
        #expect(actual?.2.description == expected?.date, "\(what): date")
    }

    /// One entry. The sign follows SWIFT for `RC` (reversal of a credit = a debit), where the library keeps the
    /// amount positive: the two `RC` statements of `sepa_mt9401.sta` balance only with the SWIFT reading, which
    /// `everyFileIsReadCorrectlyOrRefusedWithAReason` proves by validating them.
    static func compare(_ entry: BankStatementEntry, with expected: MT940Expected.Entry, _ what: String) {
        let isReversedCredit = expected.status == "RC"
        let amount = isReversedCredit ? -abs(expected.amountMinorUnits) : expected.amountMinorUnits
        #expect(entry.amount.value == amount, "\(what): amount")
        #expect(entry.isReversal == expected.status.hasPrefix("R"), "\(what): reversal")
        #expect(entry.mark == (expected.status.hasSuffix("C") && !isReversedCredit ? .credit : .debit), "\(what): mark")
        #expect(entry.valueDate?.description == expected.valueDate, "\(what): value date")
        #expect(entry.bookingDate.description == (expected.entryDate ?? expected.valueDate), "\(what): booking date")
        #expect(entry.bankTransactionCode == expected.transactionType, "\(what): transaction type")
        if let bank = expected.bankReference {
            #expect(entry.reference == bank, "\(what): bank reference")
        }
        if let customer = expected.customerReference, !customer.contains("\n") {
            // The library's SEPA post-processing rewrites multi-line references; plain ones are compared.
            #expect(entry.customerReference == customer.trimmingCharacters(in: .whitespaces), "\(what): reference")
        }
        if let details = expected.extraDetails, !details.isEmpty {
            #expect(entry.additionalInformation == details, "\(what): supplementary details")
        }
    }
}
