import Foundation
import LedgerCore
import Testing
import BankStatements

/// Goal: every camt.053 file in `Fixtures/statements/camt053` (vendored) is either read exactly as the genkgo/camt
/// PHP library read it (the `.expected.json` beside it) or refused with a specific reason justified below.
///
/// Method: walk the folder, parse each file whole, and compare the statements' ids, accounts, sequence numbers,
/// booked opening and closing balances and every entry's amount, currency, `CdtDbtInd`, booking and value date
/// with the neighbour file (converted once into `Fixtures/statement-testdata-expected.json`).
@Suite struct Camt053TestDataTests {
    struct Refusal {
        var code: StatementParseError.Code
        var line: Int
        var elementPath: String
    }

    /// Files refused, with why refusing is right.
    static let refusals: [String: Refusal] = [
        // The README says this one must be refused: a BkToCstmrStmt with a group header and no Stmt at all.
        "camt053/camt053.v2.wrong.xml": Refusal(code: .noStatements, line: 3, elementPath: "Document/BkToCstmrStmt"),
        // The account and its entry are in EUR, but the closing booked balance CLBD is "27.00 SEK" (DBIT). The
        // neighbour file shows the library took it as -2700 SEK beside an 18.15 EUR opening balance: opening +
        // entries = closing cannot even be written across two currencies, so reconciliation would be garbage.
        // (The file was made to test the library's Money mapping, with a different currency on every balance.)
        "camt053/camt053.v2.minimal.xml": Refusal(
            code: .currencyMismatch(field: "Bal/Amt", expected: "EUR", found: "SEK"), line: 60,
            elementPath: "Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt"),
        // The same mixed-currency balances in version 001.04 (account currency taken from OPBD, as Acct/Ccy is
        // absent); its CLBD is also dated before the entry it should include.
        "camt053/camt053.v4.xml": Refusal(
            code: .currencyMismatch(field: "Bal/Amt", expected: "EUR", found: "SEK"), line: 80,
            elementPath: "Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt"),
        // No booked balance at all, only a closing *available* balance CLAV of 2700 JPY for an entry of 8.85 EUR;
        // the neighbour file has no opening and no closing balance either. Nothing can be reconciled.
        "camt053/camt053.v2.with-account-name.xml": Refusal(
            code: .missingField("Bal of type OPBD or PRCD (opening booked balance)"), line: 8,
            elementPath: "Document/BkToCstmrStmt/Stmt[1]"),
    ]

    /// Files read whose statements do not balance. `five.decimals` was made to test decimals: 18.150 + 8.850 is
    /// 27.00, not its closing 27.050. Reading it is still right (the amounts are exact), and validation catches it.
    static let unbalancedStatements: [String: [Int]] = ["camt053/camt053.v2.five.decimals.xml": [0]]

    @Test func everyFileIsReadCorrectlyOrRefusedWithAReason() throws {
        let folder = try #require(StatementTestData.folder(), "Fixtures/statements (vendored test data) not found")
        let expected = try StatementTestData.expected()
        let files = StatementTestData.files(in: folder, extension: "xml")
        #expect(files.count == 6, "the test data changed: review the refusal table and the fixture")
        for file in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            if let refusal = Self.refusals[file] {
                let error = StatementParseError(refusal.code, format: .camt053, line: refusal.line,
                                                elementPath: refusal.elementPath)
                #expect(throws: error, "\(file)") { try Camt053Parser.parse(data) }
                #expect(throws: error, "\(file) through format detection") { try BankStatementReader.read(data) }
                continue
            }
            guard let neighbour = expected.camt053[file] else {
                Issue.record("\(file) has no neighbour .expected.json and is not in the refusal table")
                continue
            }
            do {
                let statements = try Camt053Parser.parse(data)
                Self.compare(statements, with: neighbour, file: file)
                let unbalanced = statements.indices.filter { (try? statements[$0].validateBalances()) == nil }
                #expect(unbalanced == Self.unbalancedStatements[file, default: []], "\(file)")
                // The two statements of multi.statement follow each other: 27.00 closes the first and opens the next.
                #expect(StatementSequence.gaps(in: statements).isEmpty, "\(file)")
                #expect(try BankStatementReader.read(data) == StatementFile(format: .camt053, statements: statements))
            } catch {
                Issue.record("\(file) was refused: \(error)")
            }
        }
    }

    /// Five decimals: `18.150` EUR is exactly 18.15, so it is read (the neighbour file agrees: 1815); a digit
    /// other than zero past the currency's two decimals would need rounding and is refused.
    @Test func extraDecimalsAreReadOnlyWhenZero() throws {
        let folder = try #require(StatementTestData.folder())
        let text = try String(contentsOf: folder.appendingPathComponent("camt053/camt053.v2.five.decimals.xml"),
                              encoding: .utf8)
        let statements = try Camt053Parser.parse(Data(text.utf8))
        #expect(statements.first?.openingBalance == AmountMinorUnits(1815))
        let rounded = text.replacingOccurrences(of: "<Amt Ccy=\"EUR\">8.850</Amt>", with: "<Amt Ccy=\"EUR\">8.855</Amt>")
        #expect(throws: StatementParseError(.tooManyDecimals(field: "Amt", currency: "EUR", minorUnitDigitsMax: 2),
                                            format: .camt053, line: 62,
                                            elementPath: "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt")) {
            try Camt053Parser.parse(Data(rounded.utf8))
        }
    }

    static func compare(_ statements: [BankStatement], with expected: CamtExpected, file: String) {
        #expect(statements.count == expected.statementCount, "\(file): number of statements")
        for wanted in expected.statements {
            guard let statement = statements.first(where: { $0.statementID == wanted.id }) else {
                Issue.record("\(file): statement \(wanted.id) was not read")
                continue
            }
            #expect(statement.account == wanted.account, "\(file) \(wanted.id): account")
            let sequence = wanted.legalSequenceNumber ?? wanted.electronicSequenceNumber
            #expect(statement.sequenceNumber == sequence.flatMap { Int($0) }, "\(file) \(wanted.id): sequence")
            for balance in wanted.balances where balance.type == "opening" || balance.type == "closing" {
                let opening = balance.type == "opening"
                let what = "\(file) \(wanted.id): \(balance.type) balance"
                #expect((opening ? statement.openingBalance : statement.closingBalance).value == balance.amountMinorUnits, "\(what)")
                #expect(statement.currency.code == balance.currency, "\(what) currency")
                #expect((opening ? statement.openingDate : statement.closingDate).description == balance.date, "\(what) date")
            }
            let wantedEntries = expected.entries.filter { $0.statementId == wanted.id }
            #expect(statement.entries.count == wantedEntries.count, "\(file) \(wanted.id): entries")
            for (index, (entry, wantedEntry)) in zip(statement.entries, wantedEntries).enumerated() {
                compare(entry, with: wantedEntry, currency: statement.currency, "\(file) \(wanted.id) entry \(index + 1)")
            }
        }
    }

    static func compare(_ entry: BankStatementEntry, with expected: CamtExpected.Entry, currency: CurrencyCode,
                        _ what: String) {
        #expect(entry.amount.value == expected.amountMinorUnits, "\(what): amount")
        #expect(currency.code == expected.currency, "\(what): currency")
        #expect(entry.mark == (expected.creditDebitIndicator == "CRDT" ? .credit : .debit), "\(what): CdtDbtInd")
        #expect(entry.bookingDate.description == expected.bookingDate, "\(what): booking date")
        #expect(entry.valueDate?.description == expected.valueDate, "\(what): value date")
        #expect(entry.isReversal == (expected.reversal ?? false), "\(what): reversal")
    }
}
