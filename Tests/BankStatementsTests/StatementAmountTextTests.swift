import LedgerCore
import Testing
@testable import BankStatements

/// Decimal text to minor units with integer math: exact or refused, never rounded.
@Suite struct StatementAmountTextTests {
    static let jpy = CurrencyCode("JPY")!

    static func magnitude(_ text: String, _ separator: Character = ",", currency: CurrencyCode = .cny,
                          extraZeros: Bool = true) -> FieldResult<Int64> {
        StatementAmountText.magnitude(Substring(text), decimalSeparator: separator, currency: currency,
                                      extraZeroDecimalsAllowed: extraZeros, field: "f")
    }

    static func value(_ result: FieldResult<Int64>) -> Int64? {
        if case .success(let value) = result { return value }
        return nil
    }

    static func code(_ result: FieldResult<Int64>) -> StatementParseError.Code? {
        if case .failure(let code) = result { return code }
        return nil
    }

    @Test(arguments: [("0", 0), ("0,01", 1), ("1,5", 150), ("12,", 1200), (",5", 50), ("000001,10", 110),
                      ("9999999999999999,99", 999_999_999_999_999_999), ("18,15000", 1815)])
    func readsExactly(text: String, minorUnits: Int64) {
        #expect(Self.value(Self.magnitude(text)) == minorUnits)
    }

    @Test func zeroDecimalCurrencies() {
        #expect(Self.value(Self.magnitude("1200,", currency: Self.jpy)) == 1200)
        #expect(Self.value(Self.magnitude("1200,000", currency: Self.jpy)) == 1200)
        #expect(Self.code(Self.magnitude("1200,5", currency: Self.jpy))
                == .tooManyDecimals(field: "f", currency: "JPY", minorUnitDigitsMax: 0))
    }

    @Test(arguments: ["", ",", "1,2,3", "1.5", "-1,00", "+1,00", " 1,00", "1 000,00", "1e5", "١,٠٠", "½"])
    func refusesWhatIsNotADecimal(text: String) {
        #expect(Self.code(Self.magnitude(text)) == .invalidAmount(field: "f"))
    }

    @Test func refusesRoundingAndOverflow() {
        #expect(Self.code(Self.magnitude("8,855")) == .tooManyDecimals(field: "f", currency: "CNY", minorUnitDigitsMax: 2))
        #expect(Self.code(Self.magnitude("8.850", ".", extraZeros: false))
                == .tooManyDecimals(field: "f", currency: "CNY", minorUnitDigitsMax: 2))
        // 19 digits: over `BankStatementLimits.amountDigitsMax` even where Int64 could hold the value.
        #expect(Self.code(Self.magnitude("92233720368547758,07")) == .amountOverflow(field: "f"))
        #expect(Self.code(Self.magnitude("1000000000000000000000")) == .amountOverflow(field: "f"))
    }
}
