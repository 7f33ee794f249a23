/// An amount of money in minor units (fen for CNY), never a floating-point number.
///
/// Why `Int64`: SQLite stores signed 64-bit integers natively, and ¥92 quadrillion in fen is far beyond any
/// treasury balance. Arithmetic is overflow-checked: an overflow is an operating condition (bad input), so it
/// throws instead of trapping.
public struct AmountMinorUnits: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = AmountMinorUnits(0)

    public static func < (lhs: AmountMinorUnits, rhs: AmountMinorUnits) -> Bool { lhs.value < rhs.value }

    /// Adds two amounts, throwing instead of wrapping around.
    public func adding(_ other: AmountMinorUnits) throws(LedgerRuleViolation) -> AmountMinorUnits {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        if overflow { throw LedgerRuleViolation(.amountOverflow) }
        return AmountMinorUnits(sum)
    }

    /// Subtracts, throwing instead of wrapping around.
    public func subtracting(_ other: AmountMinorUnits) throws(LedgerRuleViolation) -> AmountMinorUnits {
        let (difference, overflow) = value.subtractingReportingOverflow(other.value)
        if overflow { throw LedgerRuleViolation(.amountOverflow) }
        return AmountMinorUnits(difference)
    }

    public var description: String { formatted(scale: 2) }

    /// Formats with a decimal point `scale` digits from the right, using integer math only: `123456` → `"1234.56"`.
    public func formatted(scale: Int) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        guard scale > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = magnitude / divisor
        let fraction = String(magnitude % divisor)
        let padded = String(repeating: "0", count: scale - fraction.count) + fraction
        return (negative ? "-" : "") + "\(whole).\(padded)"
    }

    /// The sum of `values`, throwing `amountOverflow` instead of trapping: for sums of figures that came from
    /// outside (statement entries, documents, balances read back from storage).
    public static func checkedSum<S: Sequence>(_ values: S) throws(LedgerRuleViolation) -> Int64 where S.Element == Int64 {
        var sum = AmountMinorUnits.zero
        for value in values { sum = try sum.adding(AmountMinorUnits(value)) }
        return sum.value
    }

    /// `|value|`, throwing `amountOverflow` for `Int64.min` (whose magnitude has no `Int64`).
    public static func checkedMagnitude(_ value: Int64) throws(LedgerRuleViolation) -> Int64 {
        guard value != .min else { throw LedgerRuleViolation(.amountOverflow) }
        return abs(value)
    }

    /// The amount, if it is within the cap on one line or one voucher (`Limits.amountMinorUnitsMax`).
    public var isWithinCap: Bool { value.magnitude <= UInt64(Limits.amountMinorUnitsMax) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
