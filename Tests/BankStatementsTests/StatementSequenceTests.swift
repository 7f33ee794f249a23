import LedgerCore
import Testing
import BankStatements

/// Gap detection over one account's series: numbers, pages, balances carried from one statement to the next.
@Suite struct StatementSequenceTests {
    static func statement(_ number: Int?, page: Int? = nil, opening: Int64, closing: Int64, date: String = "2026-11-02",
                          account: String = "6222021001", closingKind: StatementBalanceKind = .final) -> BankStatement {
        BankStatement(account: account, currency: .cny, statementID: "S\(number ?? 0)/\(page ?? 0)",
                      sequenceNumber: number, pageNumber: page, openingBalance: AmountMinorUnits(opening),
                      openingDate: BusinessDate(date)!, closingBalance: AmountMinorUnits(closing),
                      closingDate: BusinessDate(date)!, closingBalanceKind: closingKind, entries: [])
    }

    static func gap(_ kind: StatementSequenceGap.Kind, _ previous: String, _ next: String,
                    account: String = "6222021001") -> StatementSequenceGap {
        StatementSequenceGap(kind: kind, account: account, currency: .cny, previousStatementID: previous,
                             nextStatementID: next)
    }

    @Test func aCompleteSeriesInAnyOrderHasNoGap() {
        let series = [Self.statement(3, opening: 20, closing: 30, date: "2026-11-04"),
                      Self.statement(1, opening: 0, closing: 10, date: "2026-11-02"),
                      Self.statement(2, opening: 10, closing: 20, date: "2026-11-03")]
        #expect(StatementSequence.gaps(in: series).isEmpty)
    }

    @Test func missingNumbersAreReported() {
        let series = [Self.statement(1, opening: 0, closing: 10, date: "2026-11-02"),
                      Self.statement(4, opening: 10, closing: 20, date: "2026-11-05")]
        #expect(StatementSequence.gaps(in: series)
                == [Self.gap(.missingStatements(fromNumber: 2, throughNumber: 3), "S1/0", "S4/0")])
        #expect(StatementSequence.gaps(in: series).first?.description
                == "statement numbers 2 to 3 are missing between statements S1/0 and S4/0")
    }

    @Test func aDuplicateIsReported() {
        let once = Self.statement(5, opening: 0, closing: 0)
        #expect(StatementSequence.gaps(in: [once, once]) == [Self.gap(.duplicateStatement(number: 5, page: nil),
                                                                    "S5/0", "S5/0")])
    }

    @Test func pagesOfOneStatementCountUpAndALastPageMustCome() {
        let pages = [Self.statement(7, page: 1, opening: 0, closing: 5, closingKind: .intermediate),
                     Self.statement(7, page: 2, opening: 5, closing: 9)]
        #expect(StatementSequence.gaps(in: pages).isEmpty)
        let skipped = [pages[0], Self.statement(7, page: 3, opening: 5, closing: 9)]
        #expect(StatementSequence.gaps(in: skipped)
                == [Self.gap(.missingPages(number: 7, afterPage: 1, beforePage: 3), "S7/1", "S7/3")])
        let unfinished = [pages[0], Self.statement(8, page: 1, opening: 5, closing: 9, date: "2026-11-03")]
        #expect(StatementSequence.gaps(in: unfinished)
                == [Self.gap(.missingPages(number: 7, afterPage: 1, beforePage: nil), "S7/1", "S8/1")])
    }

    @Test func aBalanceBreakShowsAMissingStatementEvenWithoutNumbers() {
        let series = [Self.statement(0, opening: 0, closing: 10, date: "2026-11-02"),
                      Self.statement(0, opening: 15, closing: 20, date: "2026-11-03")]
        #expect(StatementSequence.gaps(in: series)
                == [Self.gap(.balanceBreak(previousClosing: AmountMinorUnits(10), nextOpening: AmountMinorUnits(15)),
                             "S0/0", "S0/0")])
    }

    @Test func numbersMayRestartInANewYearButNotOtherwise() {
        let restart = [Self.statement(365, opening: 0, closing: 0, date: "2026-12-31"),
                       Self.statement(1, opening: 0, closing: 0, date: "2027-01-04")]
        #expect(StatementSequence.gaps(in: restart).isEmpty)
        let back = [Self.statement(12, opening: 0, closing: 0, date: "2026-11-02"),
                    Self.statement(9, opening: 0, closing: 0, date: "2026-11-03")]
        #expect(StatementSequence.gaps(in: back) == [Self.gap(.numberWentBack(from: 12, to: 9), "S12/0", "S9/0")])
    }

    @Test func accountsAreCheckedApart() {
        let mixed = [Self.statement(1, opening: 0, closing: 10, account: "A"),
                     Self.statement(1, opening: 99, closing: 99, account: "B"),
                     Self.statement(2, opening: 10, closing: 10, date: "2026-11-03", account: "A"),
                     Self.statement(3, opening: 99, closing: 99, date: "2026-11-03", account: "B")]
        #expect(StatementSequence.gaps(in: mixed)
                == [Self.gap(.missingStatements(fromNumber: 2, throughNumber: 2), "S1/0", "S3/0", account: "B")])
    }
}
