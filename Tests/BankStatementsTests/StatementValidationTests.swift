import LedgerCore
import Testing
import BankStatements

/// Validation: opening + Σ entries = closing to the minor unit, control totals, marks against signs, overflow.
@Suite struct StatementValidationTests {
    static let day = BusinessDate("2026-11-02")!

    static func entry(_ minorUnits: Int64, mark: CreditDebitMark? = nil) -> BankStatementEntry {
        BankStatementEntry(bookingDate: day, valueDate: nil, amount: AmountMinorUnits(minorUnits), reference: "",
                           counterparty: "", narrative: "", mark: mark)
    }

    static func statement(opening: Int64, _ entries: [Int64], closing: Int64,
                          totals: StatementControlTotals? = nil) -> BankStatement {
        BankStatement(account: "6222021001", currency: .cny, statementID: "S1", sequenceNumber: 1,
                      openingBalance: AmountMinorUnits(opening), openingDate: day,
                      closingBalance: AmountMinorUnits(closing), closingDate: day,
                      entries: entries.map { entry($0) }, controlTotals: totals, line: 7)
    }

    static func error(_ code: StatementValidationError.Code) -> StatementValidationError {
        StatementValidationError(code, statementID: "S1", currency: .cny, line: 7)
    }

    @Test func aBalancedStatementPasses() throws {
        try Self.statement(opening: -5000, [12_000, -3000, 0], closing: 4000).validateBalances()
        try StatementValidation.validate([Self.statement(opening: 0, [], closing: 0)])
    }

    @Test func oneFenOffIsUnbalanced() {
        #expect(throws: Self.error(.unbalanced(openingMinorUnits: 100, entriesMinorUnits: 50, closingMinorUnits: 149))) {
            try Self.statement(opening: 100, [50], closing: 149).validateBalances()
        }
        #expect(Self.error(.unbalanced(openingMinorUnits: 100, entriesMinorUnits: 50, closingMinorUnits: 149)).description
                == "statement S1 (line 7) does not balance: opening 1.00 CNY + entries 0.50 CNY ≠ closing 1.49 CNY")
    }

    @Test(arguments: [
        (StatementControlTotals(entryCount: 2), StatementValidationError.Code.controlTotalMismatch(
            total: "entry count", statedValue: 2, actualValue: 3)),
        (StatementControlTotals(entrySum: AmountMinorUnits(1000)), .controlTotalMismatch(
            total: "entry sum", statedValue: 1000, actualValue: 1600)),
        (StatementControlTotals(netAmount: AmountMinorUnits(-400)), .controlTotalMismatch(
            total: "net amount", statedValue: -400, actualValue: 400)),
        (StatementControlTotals(creditCount: 1), .controlTotalMismatch(
            total: "credit count", statedValue: 1, actualValue: 2)),
        (StatementControlTotals(creditSum: AmountMinorUnits(900)), .controlTotalMismatch(
            total: "credit sum", statedValue: 900, actualValue: 1000)),
        (StatementControlTotals(debitCount: 2), .controlTotalMismatch(
            total: "debit count", statedValue: 2, actualValue: 1)),
        (StatementControlTotals(debitSum: AmountMinorUnits(-600)), .controlTotalMismatch(
            total: "debit sum", statedValue: -600, actualValue: 600)),
    ])
    func controlTotalsMustMatchTheEntries(totals: StatementControlTotals, code: StatementValidationError.Code) throws {
        #expect(throws: Self.error(code)) {
            try Self.statement(opening: 0, [700, 300, -600], closing: 400, totals: totals).validateBalances()
        }
    }

    @Test func matchingControlTotalsPass() throws {
        let totals = StatementControlTotals(entryCount: 3, entrySum: AmountMinorUnits(1600),
                                            netAmount: AmountMinorUnits(400), creditCount: 2,
                                            creditSum: AmountMinorUnits(1000), debitCount: 1,
                                            debitSum: AmountMinorUnits(600))
        try Self.statement(opening: 0, [700, 300, -600], closing: 400, totals: totals).validateBalances()
    }

    @Test func aMarkAgainstTheSignIsCaught() {
        var statement = Self.statement(opening: 0, [], closing: -100)
        statement.entries = [Self.entry(-100, mark: .credit)]
        #expect(throws: Self.error(.markContradictsAmount(entryIndex: 0))) { try statement.validateBalances() }
    }

    @Test func overflowIsAnErrorNotAWrapAround() {
        #expect(throws: Self.error(.amountOverflow)) {
            try Self.statement(opening: 0, [Int64.max, 1], closing: 0).validateBalances()
        }
        #expect(throws: Self.error(.amountOverflow)) {
            try Self.statement(opening: Int64.max, [1], closing: 0).validateBalances()
        }
    }

    @Test func problemsListsEveryUnsoundStatement() {
        let good = Self.statement(opening: 0, [1], closing: 1)
        let bad = Self.statement(opening: 0, [1], closing: 2)
        #expect(StatementValidation.problems(in: [good, bad, good]).count == 1)
    }
}
