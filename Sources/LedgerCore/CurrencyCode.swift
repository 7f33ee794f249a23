/// An ISO 4217 currency code with the number of minor-unit digits it uses (its asset scale).
public struct CurrencyCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    /// Creates a currency code; `nil` unless it is three ASCII upper-case letters.
    public init?(_ code: String) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.code = code
    }

    public static let cny = CurrencyCode("CNY")!

    /// Digits after the decimal point. CNY, USD, EUR, HKD use 2; JPY and KRW use 0.
    public var minorUnitDigits: Int {
        switch code {
        case "JPY", "KRW": 0
        default: 2
        }
    }

    public var description: String { code }
}
