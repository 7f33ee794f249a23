import LedgerCore
import Testing

@Suite struct AmountTests {
    @Test(arguments: [("1200", 120_000), ("1,200.5", 120_050), ("-0.01", -1), ("0.10", 10), (".5", 50), ("+3", 300),
                      ("92233720368547758.07", Int64.max)])
    func parsesDecimalTextIntoMinorUnits(text: String, expected: Int64) {
        #expect(AmountMinorUnits.parse(text, scale: 2) == AmountMinorUnits(expected))
    }

    @Test(arguments: ["", "1.234", "12a", "1.2.3", "--1", "92233720368547758.08", " ", "."])
    func refusesWhatIsNotAnAmountInsteadOfRounding(text: String) {
        #expect(AmountMinorUnits.parse(text, scale: 2) == nil)
    }

    @Test func formatsWithIntegerMathOnly() {
        #expect(AmountMinorUnits(123_456).description == "1234.56")
        #expect(AmountMinorUnits(-5).description == "-0.05")
        #expect(AmountMinorUnits(Int64.min).formatted(scale: 2) == "-92233720368547758.08")
        #expect(AmountMinorUnits(7).formatted(scale: 0) == "7")
    }

    @Test func overflowThrowsInsteadOfWrapping() {
        #expect(throws: LedgerRuleViolation(.amountOverflow)) { try AmountMinorUnits(Int64.max).adding(AmountMinorUnits(1)) }
        #expect(throws: LedgerRuleViolation(.amountOverflow)) { try AmountMinorUnits(Int64.min).subtracting(AmountMinorUnits(1)) }
        #expect((try? AmountMinorUnits(5).adding(AmountMinorUnits(-7))) == AmountMinorUnits(-2))
    }

    @Test func currencyScale() {
        #expect(CurrencyCode("CNY")?.minorUnitDigits == 2)
        #expect(CurrencyCode("JPY")?.minorUnitDigits == 0)
        #expect(CurrencyCode("cny") == nil)
        #expect(CurrencyCode("RMB1") == nil)
    }

    @Test func businessDates() {
        #expect(BusinessDate("2024-02-29") != nil)
        #expect(BusinessDate("2026-02-29") == nil)
        #expect(BusinessDate("2026-13-01") == nil)
        #expect(BusinessDate("2026-1-01") == nil)
        #expect(BusinessDate("2026-11-02")?.description == "2026-11-02")
        #expect(BusinessDate("2026-11-02")! < BusinessDate("2026-11-10")!)
    }

    @Test func orgCodes() {
        #expect(OrgCode("340122") != nil)
        #expect(OrgCode("sub_01.a-b") != nil)
        #expect(OrgCode("") == nil)
        #expect(OrgCode("a b") == nil)
        #expect(OrgCode("../etc") == nil)
        #expect(OrgCode(String(repeating: "9", count: 33)) == nil)
    }
}
