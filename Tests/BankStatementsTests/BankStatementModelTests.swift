import Testing
import BankStatements
import LedgerCore

@Suite struct BankStatementModelTests {
    @Test func creditsArePositive() {
        let entry = BankStatementEntry(bookingDate: BusinessDate("2026-11-02")!, valueDate: nil, amount: AmountMinorUnits(100),
                                       reference: "R1", counterparty: "", narrative: "")
        #expect(entry.amount.value > 0)
    }
}
