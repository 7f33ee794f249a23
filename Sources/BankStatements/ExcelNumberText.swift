/// A number as a spreadsheet stores it in a workbook cell: Excel keeps a double and may write all 17 significant digits
/// of it (`45678.900000000001` for 45678.90, `5.0000000000000003E-2` for 0.05), while it shows, and means, at most
/// 15 (Excel's documented precision). A bank's own server writes the short form; a clerk who opens the bank's export in
/// Excel and saves it gets the long one, which an exact reader would refuse as "more decimals than the currency
/// allows".
///
/// ``meaningful(_:)`` rounds such a text to 15 significant digits with decimal (text) arithmetic — never through
/// `Double` — and writes it plainly (`45678.9`, `0.05`), so the exact amount reader sees what Excel shows. A value
/// that still has more decimals than the currency allows is refused there, as before.
enum ExcelNumberText {
    /// Excel's precision: the significant digits it keeps and shows.
    static let significantDigits = 15
    /// Exponents beyond this are no amount (and would make the plain text huge).
    static let exponentMagnitudeMax = 30

    /// `text` rounded to 15 significant digits and written without an exponent, when it is a plain number (optional
    /// `-`, digits, optional `.` and digits, optional `E`/`e` exponent) with more than 15 significant digits or an
    /// exponent; `nil` otherwise (the text is read as it is).
    static func meaningful(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        var exponent = 0
        var hasExponent = false
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) {
            var exponentBytes = bytes[(e + 1)...]
            var exponentNegative = false
            if let sign = exponentBytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                exponentBytes = exponentBytes.dropFirst()
            }
            guard !exponentBytes.isEmpty, exponentBytes.count <= 3, exponentBytes.allSatisfy(isDigit) else { return nil }
            exponent = exponentBytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } * (exponentNegative ? -1 : 1)
            guard abs(exponent) <= exponentMagnitudeMax else { return nil }
            hasExponent = true
            bytes.removeSubrange(e...)
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(isDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : []
        guard fraction.allSatisfy(isDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        // The value is 0.<digits> × 10^point.
        var digits = Array(whole) + Array(fraction)
        var point = whole.count + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        guard !digits.isEmpty else { return hasExponent ? "0" : nil }
        guard hasExponent || digits.count > significantDigits else { return nil }
        if digits.count > significantDigits {
            let roundUp = digits[significantDigits] >= UInt8(ascii: "5")
            digits.removeSubrange(significantDigits...)
            if roundUp {
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] == UInt8(ascii: "9") {
                        digits[index] = UInt8(ascii: "0")
                        index -= 1
                    } else {
                        digits[index] += 1
                        break
                    }
                }
                if index < 0 {
                    digits.insert(UInt8(ascii: "1"), at: 0)
                    digits.removeLast()
                    point += 1
                }
            }
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        var plain: [UInt8]
        if point <= 0 {
            plain = Array("0.".utf8) + Array(repeating: UInt8(ascii: "0"), count: -point) + digits
        } else if point >= digits.count {
            plain = digits + Array(repeating: UInt8(ascii: "0"), count: point - digits.count)
        } else {
            plain = Array(digits[..<point]) + [UInt8(ascii: ".")] + Array(digits[point...])
        }
        if negative { plain.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
