import Foundation
import LedgerCore

/// A bank's amount text: an optional sign, an optional `¥`, digits grouped by three with `,` or not grouped at
/// all, an optional `.` and decimals; read with ``StatementAmountText`` (integer math only).
enum BankExportAmount {
    /// The signed minor units of `text`; `nil` when the cell holds no amount (empty, `-`, `--`).
    /// - Parameter fromWorkbook: the text is a workbook cell, whose number Excel may have written with all 17 digits of
    ///   a double: it is read at Excel's 15 significant digits (``ExcelNumberText``).
    static func signed(_ text: String, currency: CurrencyCode, field: String, fromWorkbook: Bool = false) -> FieldResult<Int64>? {
        var body = Substring(fromWorkbook ? ExcelNumberText.meaningful(text) ?? text : text)
        if body.isEmpty || ["-", "--", "—", "/"].contains(body) { return nil }
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        if let first = body.first, first == "¥" || first == "￥" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts[0])
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(.invalidAmount(field: field))
            }
            whole = groups.joined()
        }
        let plain = parts.count == 2 ? whole + "." + parts[1] : whole
        switch StatementAmountText.magnitude(Substring(plain), decimalSeparator: ".", currency: currency,
                                             extraZeroDecimalsAllowed: true, field: field) {
        case .success(let magnitude): return .success(negative ? -magnitude : magnitude)
        case .failure(let code): return .failure(code)
        }
    }
}

/// How a date cell or a title value is read: by the profile's date patterns, by the date before a time, as the two
/// dates of a period, and, when reading a workbook, as an Excel serial day.
extension BankExportReader {
    enum DateReading {
        case date(BusinessDate)
        /// The text has a date's shape but no such day exists (`2026-02-30`).
        case invalidCalendarDate
        case notADate
    }

    /// A date cell by the profile's patterns, then by its part before a space or `T` (a date and a time), then,
    /// when reading a workbook, as an Excel serial day.
    func date(_ text: String) -> DateReading {
        guard !text.isEmpty else { return .notADate }
        var candidates = [Substring(text)]
        if let cut = text.firstIndex(where: { $0.isWhitespace || $0 == "T" }), cut > text.startIndex {
            candidates.append(text[..<cut])
        }
        for candidate in candidates {
            for pattern in patterns {
                guard let (year, month, day) = pattern.match(candidate) else { continue }
                guard let date = Self.businessDate(year: year, month: month, day: day) else {
                    return .invalidCalendarDate
                }
                return .date(date)
            }
        }
        if excelSerialDates, let date = Self.excelSerialDate(text) { return .date(date) }
        return .notADate
    }

    /// One date in a title value, such as `起始日期：20261101`.
    func singleDate(_ text: String) -> BusinessDate? {
        if case .date(let date) = self.date(text) { return date }
        return nil
    }

    /// The dates of a period value: `2026-11-01 至 2026-11-30`, `20261101-20261130`, `2026/11/01~2026/11/30`.
    func dateRange(_ text: String) -> [BusinessDate] {
        for separator in ["至", "到", "~", "～", "—", "－", "--", " - ", "-", " "] where text.contains(separator) {
            let parts = text.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            if parts.count == 2, let start = singleDate(parts[0]), let end = singleDate(parts[1]) {
                return [start, end]
            }
        }
        return singleDate(text).map { [$0] } ?? []
    }

    static func businessDate(year: Int, month: Int, day: Int) -> BusinessDate? {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return BusinessDate("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))")
    }

    /// Excel's 1900-system serial day (`46328` is 2026-11-02), from 1900-03-01 (61) on; a fraction (the time of
    /// day) is ignored. Up to five digits, so `20261102` is never taken for one.
    static func excelSerialDate(_ text: String) -> BusinessDate? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard (1...5).contains(parts[0].count), parts[0].allSatisfy(\.isASCIIDigitCharacter),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigitCharacter)),
              let serial = Int(parts[0]), serial >= 61 else { return nil }
        // Excel's serial 25569 is 1970-01-01.
        let (days, overflow) = serial.subtractingReportingOverflow(25_569)
        return overflow ? nil : BusinessDate.fromDaysSinceEpoch(checked: days)
    }
}
