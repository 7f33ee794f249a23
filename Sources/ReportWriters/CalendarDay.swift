/// A calendar day parsed from a date cell's `YYYY-MM-DD`, with the integer math the xlsx writer needs.
///
/// Kept separate from Foundation's `Date` on purpose: a business date has no time zone, and converting through
/// `Date`/`Calendar` would make the Excel serial depend on the machine's zone.
struct CalendarDay: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, a real day of a real month, leap years included).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
              let day = Self.number(bytes[8..<10]),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The first day Excel's 1900 date system numbers correctly: before it Excel counts its fictitious
    /// 1900-02-29, so earlier serials would show the wrong day.
    static let excelFirstCorrectDay = CalendarDay(year: 1900, month: 3, day: 1)

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    var daysSinceUnixEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Excel's 1900-system serial (1899-12-30 is 0), or `nil` before ``excelFirstCorrectDay``.
    var excelSerial: Int? {
        guard daysSinceUnixEpoch >= Self.excelFirstCorrectDay.daysSinceUnixEpoch else { return nil }
        return daysSinceUnixEpoch + 25_569  // 25569 is 1970-01-01 in Excel's count.
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
