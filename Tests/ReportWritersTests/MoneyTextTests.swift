import Testing
@testable import ReportWriters

/// Exact decimal text from minor units, with integer math only, including the ends of `Int64`.
@Suite struct MoneyTextTests {
    @Test(arguments: [
        (Int64(123_456), 2, "1234.56", "1,234.56"), (-5, 2, "-0.05", "-0.05"), (0, 2, "0.00", "0.00"),
        (100, 0, "100", "100"), (1_000, 0, "1000", "1,000"), (1, 3, "0.001", "0.001"),
        (-123_456_789, 2, "-1234567.89", "-1,234,567.89"), (999_999, 2, "9999.99", "9,999.99"),
        (.max, 2, "92233720368547758.07", "92,233,720,368,547,758.07"),
        (.min, 2, "-92233720368547758.08", "-92,233,720,368,547,758.08"),
        (.min, 0, "-9223372036854775808", "-9,223,372,036,854,775,808"),
    ])
    func formats(minorUnits: Int64, scale: Int, plain: String, grouped: String) {
        #expect(MoneyText.plain(minorUnits: minorUnits, scale: scale) == plain)
        #expect(MoneyText.grouped(minorUnits: minorUnits, scale: scale) == grouped)
        let parsed = MoneyText.parse(Substring(plain))
        #expect(parsed?.minorUnits == minorUnits && parsed?.scale == scale)
    }

    @Test(arguments: ["", "-", "1,000", "+1", "1.", ".5", "-.5", "1e5", " 1", "1 ", "1.2.3", "０",
                      "9223372036854775808", "-9223372036854775809", "0x10"])
    func parseRejectsAnythingButPlainDecimals(text: String) {
        #expect(MoneyText.parse(Substring(text)) == nil)
    }

    @Test func countsSignificantDigitsForExcel() {
        #expect(MoneyText.significantDigitCount(minorUnits: 0) == 1)
        #expect(MoneyText.significantDigitCount(minorUnits: -999_999_999_999_999) == 15)
        #expect(MoneyText.significantDigitCount(minorUnits: .min) == 19)
    }
}
