import LedgerCore
import Testing

@Suite struct AmountTests {
    @Test(arguments: [("1200", 120_000), ("1200.5", 120_050), ("-0.01", -1), ("0.10", 10), (".5", 50), ("+3", 300),
                      ("92233720368547758.07", Int64.max)])
    func parsesDecimalTextIntoMinorUnits(text: String, expected: Int64) throws {
        #expect(try AmountMinorUnits.parsing(text, scale: 2) == AmountMinorUnits(expected))
    }

    @Test(arguments: [("", AmountParseError.Code.empty), (" ", .empty), ("1.234", .tooManyDecimals(scale: 2)), ("12a", .notADecimal),
                      ("1.2.3", .notADecimal), ("--1", .notADecimal), ("92233720368547758.08", .overflow),
                      ("99999999999999999999", .overflow), ("99999999999999999999.123", .tooManyDecimals(scale: 2)), (".", .notADecimal),
                      ("1,5", .grouping), ("1,,2,3", .grouping), ("1,234.00", .grouping), (",5", .grouping), ("1.5,0", .grouping)])
    func refusesWhatIsNotAnAmountWithTheReason(text: String, code: AmountParseError.Code) {
        #expect(throws: AmountParseError(code, text: text)) { try AmountMinorUnits.parsing(text, scale: 2) }
    }

    @Test(arguments: [("1,234,567.89", 123_456_789), ("12,345", 1_234_500), ("999", 99_900), ("-1,000.01", -100_001)])
    func consoleFieldsAcceptCorrectThousandsGrouping(text: String, expected: Int64) throws {
        #expect(try AmountMinorUnits.parsing(text, scale: 2, grouping: .thousands) == AmountMinorUnits(expected))
    }

    @Test(arguments: ["1,5", "1,,2,3", "12,34.00", "1234,567", ",123", "1,234,", "1,2345"])
    func consoleFieldsRefuseWrongGrouping(text: String) {
        #expect(throws: AmountParseError(.grouping, text: text)) { try AmountMinorUnits.parsing(text, scale: 2, grouping: .thousands) }
    }

    @Test func anOversizedTextIsNotEchoedInFull() {
        let text = String(repeating: "9", count: 10_000)
        #expect(AmountParseError(.overflow, text: text).description.count < 100)
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
