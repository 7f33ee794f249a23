/// Exact decimal text for money in minor units, with integer and string math only (STYLE R2: never a `Double`).
///
/// Works on the magnitude as `UInt64`, so `Int64.min` (whose magnitude has no `Int64`) prints correctly too.
public enum MoneyText {
    /// `123456, scale 2` → `"1234.56"`; `-5, scale 2` → `"-0.05"`. The form CSV, JSON and the xlsx `<v>` use,
    /// because every spreadsheet and parser reads it as the same exact number.
    /// - precondition: `scale` is in `0...18` (an `Int64` has 19 digits); validation keeps it far lower.
    public static func plain(minorUnits: Int64, scale: Int) -> String {
        let (whole, fraction) = split(minorUnits.magnitude, scale: scale)
        return sign(minorUnits) + whole + fraction
    }

    /// `123456789, scale 2` → `"1,234,567.89"`: for people at a terminal, where grouping shows magnitudes.
    public static func grouped(minorUnits: Int64, scale: Int) -> String {
        let (whole, fraction) = split(minorUnits.magnitude, scale: scale)
        return sign(minorUnits) + groupThousands(whole) + fraction
    }

    /// Parses what ``plain(minorUnits:scale:)`` writes: an optional `-`, digits, and an optional `.` with digits.
    /// The scale is the number of fraction digits, so `"5.00"` reads back as `500` at scale 2.
    /// - Returns: `nil` for anything else (grouping commas, a `+`, spaces, exponents) or an `Int64` overflow.
    public static func parse(_ text: Substring) -> (minorUnits: Int64, scale: Int)? {
        let negative = text.first == "-"
        let body = negative ? text.dropFirst() : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.count <= 18,
              (whole + fraction).utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let magnitude = UInt64(whole + fraction) else { return nil }
        guard let value = signedValue(magnitude, negative: negative) else { return nil }
        return (value, fraction.count)
    }

    /// Significant digits of the amount (ignoring leading zeros), compared with Excel's 15-digit precision.
    static func significantDigitCount(minorUnits: Int64) -> Int {
        minorUnits == 0 ? 1 : String(minorUnits.magnitude).count
    }

    private static func sign(_ value: Int64) -> String { value < 0 ? "-" : "" }

    /// Splits a magnitude into whole digits and `"." + fraction digits` (empty at scale 0).
    private static func split(_ magnitude: UInt64, scale: Int) -> (whole: String, fraction: String) {
        precondition((0...18).contains(scale), "money scale \(scale) outside 0...18")
        guard scale > 0 else { return (String(magnitude), "") }
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let fraction = String(magnitude % divisor)
        let padded = String(repeating: "0", count: scale - fraction.count) + fraction
        return (String(magnitude / divisor), "." + padded)
    }

    private static func groupThousands(_ digits: String) -> String {
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }

    private static func signedValue(_ magnitude: UInt64, negative: Bool) -> Int64? {
        if !negative { return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil }
        if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
        return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
    }
}
