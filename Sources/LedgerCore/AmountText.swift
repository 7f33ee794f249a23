/// Reading an amount a person or a file wrote, with integer and string math only.
///
/// Two grammars, chosen by who wrote the text (DECISIONS, "Amounts"):
/// - `.plain` — voucher files and the command line: an optional sign, digits, and at most `scale` decimals after a
///   point. No grouping at all: `1,5`, `1,,2,3` and `1,234.00` are refused, because a comma that is silently
///   dropped turns 1.5 into 15.00.
/// - `.thousands` — console input fields: the same, or a whole part correctly grouped in threes (`1,234,567.89`).
/// Bank statement readers follow each file's own format (`StatementAmountText` in BankStatements).
public enum AmountGrouping: Sendable {
    case plain
    case thousands
}

/// Why a text is not an amount. Overflow is reported as overflow, never as "too many decimals".
public struct AmountParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case empty
        case notADecimal
        case grouping
        case tooManyDecimals(scale: Int)
        case overflow
    }

    public var code: Code
    /// The text, cut to 32 characters so an oversized input is never echoed back in full.
    public var text: String

    public init(_ code: Code, text: String) {
        self.code = code
        self.text = text.count > 32 ? String(text.prefix(32)) + "…" : text
    }

    public var description: String {
        switch code {
        case .empty: "an amount is required"
        case .notADecimal: "'\(text)' is not a decimal amount"
        case .grouping: "'\(text)' has a comma: write amounts without grouping, with a point for decimals (1234.50)"
        case .tooManyDecimals(let scale): "'\(text)' has more than \(scale) decimals (amounts are never rounded)"
        case .overflow: "'\(text)' is too large for 64-bit minor units"
        }
    }
}

extension AmountMinorUnits {
    /// Parses `text` into minor units at `scale`: `"1200"` → 120000 at scale 2, `"-0.01"` → −1, `".5"` → 50.
    /// - Throws: `AmountParseError`, whose code says exactly what is wrong.
    public static func parsing(_ text: String, scale: Int, grouping: AmountGrouping = .plain) throws(AmountParseError) -> AmountMinorUnits {
        precondition((0...18).contains(scale), "scale must be 0...18")
        var body = Substring(text.trimmingSpaces())
        guard !body.isEmpty else { throw AmountParseError(.empty, text: text) }
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholeText = parts.first else { throw AmountParseError(.notADecimal, text: text) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !wholeText.isEmpty || !fraction.isEmpty else { throw AmountParseError(.notADecimal, text: text) }
        let whole = try wholeDigits(wholeText, grouping: grouping, text: text)
        guard fraction.allSatisfy(\.isASCIIDigit) else {
            throw AmountParseError(fraction.contains(",") ? .grouping : .notADecimal, text: text)
        }
        guard fraction.count <= scale else { throw AmountParseError(.tooManyDecimals(scale: scale), text: text) }
        var magnitude: Int64 = 0
        for digit in (whole + fraction + String(repeating: "0", count: scale - fraction.count)).utf8 {
            let (shifted, overflowShift) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflowShift && !overflowAdd else { throw AmountParseError(.overflow, text: text) }
            magnitude = next
        }
        return AmountMinorUnits(negative ? -magnitude : magnitude)
    }

    /// The digits of the whole part, with grouping checked for `.thousands` and refused for `.plain`.
    private static func wholeDigits(_ whole: Substring, grouping: AmountGrouping, text: String) throws(AmountParseError) -> String {
        guard whole.contains(",") else {
            guard whole.allSatisfy(\.isASCIIDigit) else { throw AmountParseError(.notADecimal, text: text) }
            return String(whole)
        }
        guard grouping == .thousands else { throw AmountParseError(.grouping, text: text) }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), first.allSatisfy(\.isASCIIDigit),
              groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw AmountParseError(.grouping, text: text)
        }
        return groups.joined()
    }
}
