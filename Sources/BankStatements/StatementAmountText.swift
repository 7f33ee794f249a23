import LedgerCore

/// Reads a bank's unsigned decimal amount text into minor units with integer math only (STYLE R2): no `Double`,
/// no `Decimal`, not even as an intermediate step.
///
/// Why not `AmountMinorUnits.parse(_:scale:)`: banks write a decimal comma (MT940), pad with leading zeros
/// (`000000000147,64`), omit the fraction (`380115,`) or give more fraction digits than the currency has
/// (camt allows five: `18.150` EUR). Extra fraction digits are accepted only when they are all zero, because then
/// the value is exact; any other digit there would need rounding, and that is refused, never done.
enum StatementAmountText {
    /// The magnitude of `text` in minor units of `currency`.
    ///
    /// - Parameters:
    ///   - text: digits with at most one `decimalSeparator`; no sign, no spaces, no grouping.
    ///   - extraZeroDecimalsAllowed: whether fraction digits beyond the currency's scale may appear when zero.
    ///   - field: names the field in the error (`":60F:"`, `"Ntry/Amt"`).
    /// - Returns: the magnitude, or the error code to throw with the caller's context.
    static func magnitude(_ text: Substring, decimalSeparator: Character, currency: CurrencyCode,
                          extraZeroDecimalsAllowed: Bool = true,
                          field: String) -> FieldResult<Int64> {
        let parts = text.split(separator: decimalSeparator, maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !text.isEmpty, whole.count + fraction.count > 0,
              whole.allSatisfy(\.isASCIIDigitCharacter), fraction.allSatisfy(\.isASCIIDigitCharacter) else {
            return .failure(.invalidAmount(field: field))
        }
        let scale = currency.minorUnitDigits
        let kept = fraction.prefix(scale)
        let dropped = fraction.dropFirst(scale)
        guard dropped.isEmpty || (extraZeroDecimalsAllowed && dropped.allSatisfy { $0 == "0" }) else {
            return .failure(.tooManyDecimals(field: field, currency: currency.code, minorUnitDigitsMax: scale))
        }
        let padded = kept + String(repeating: "0", count: scale - kept.count)
        guard let value = accumulate(whole.drop { $0 == "0" } + padded) else {
            return .failure(.amountOverflow(field: field))
        }
        return .success(value)
    }

    /// Decimal digits to `Int64`, or `nil` on overflow or more than `BankStatementLimits.amountDigitsMax` digits.
    private static func accumulate(_ digits: some StringProtocol) -> Int64? {
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= BankStatementLimits.amountDigitsMax else { return nil }
        var value: Int64 = 0
        for digit in significant.utf8 {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            if overflowShift || overflowAdd { return nil }
            value = sum
        }
        return value
    }
}

extension Character {
    /// `0`–`9` only: `Character.isNumber` also accepts other scripts' digits and fractions such as `½`.
    var isASCIIDigitCharacter: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
