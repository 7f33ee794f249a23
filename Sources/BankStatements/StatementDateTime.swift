import Foundation
import LedgerCore

/// A camt.053 date-time (`ISODateTime`, the XML Schema `dateTime`) read from its text, and the calendar day it falls
/// on for the account.
///
/// Why this matters: a bank in Frankfurt that writes its booking times in UTC books an entry made at 00:00 on
/// 5 January (CET) as `2014-01-04T23:00:00Z`. The entry belongs to the account's 5 January — the day of the
/// statement, of the bank journal and of the reconciliation — not to the 4th. So a date-time is converted to the
/// local calendar date in the account's time zone:
///
/// - `2014-01-04T23:00:00Z`, `2014-01-05T00:30:00+01:00`: an instant; its date in the account's zone (both are the
///   5th in `Europe/Berlin`, the 4th in UTC).
/// - `2014-01-05T00:30:00` (no zone designator): already the account's local time; its date is taken as written.
/// - A plain date (`Dt`, `2014-01-05`, also with a zone as XML Schema `date` allows): that day, as written.
///
/// The text is read strictly (`YYYY-MM-DDThh:mm:ss[.f…][Z|±hh:mm]`, upper-case `T` and `Z`) and all arithmetic is on
/// integers (STYLE R2). The only value Foundation sees is a whole number of seconds (below 2⁵³, so exact as a
/// `TimeInterval`) to look up the zone's UTC offset at that instant, daylight saving time included.
struct StatementDateTime: Hashable, Sendable {
    /// The calendar date as written.
    var year: Int
    var month: Int
    var day: Int
    /// The time of day as written; fractions of a second are dropped (they never move an instant to another day,
    /// since every UTC offset is a whole number of seconds).
    var hour: Int
    var minute: Int
    var second: Int
    /// The written offset from UTC in seconds (`Z` is 0, `+01:00` is 3600); `nil` when the text has no zone
    /// designator, i.e. it is local time.
    var offsetSeconds: Int?

    /// Longest text read: `2014-01-04T23:00:00.123456789012+01:00` is 38 bytes; anything longer is not a date-time.
    static let textBytesMax = 40
    /// At most this many fraction-of-second digits (XML Schema sets no limit; 12 is far past any clock).
    static let fractionDigitsMax = 12
    /// XML Schema's range of time zone offsets: −14:00 to +14:00.
    static let offsetSecondsMax = 14 * 3600

    static let dateTimeShape = "it must be an ISO 8601 date-time such as 2014-01-04T23:00:00Z, "
        + "2014-01-05T00:30:00+01:00 or 2014-01-05T00:30:00"
    static let dateShape = "it must be a date such as 2014-01-05 (a date with a time belongs in DtTm)"

    /// Reads a `DtTm` text.
    /// - Parameter field: the element's name, for the error (`DtTm`).
    /// - Returns: the date-time, or `.malformedField` when the text is not a date-time of the shape above (or the time
    ///   of day or offset is out of range) and `.invalidDate` when its date does not exist (`2014-02-30`).
    static func parse(_ text: String, field: String) -> FieldResult<StatementDateTime> {
        let bytes = Array(text.utf8.prefix(textBytesMax + 1))
        guard bytes.count <= textBytesMax, bytes.count >= 19 else {
            return .failure(.malformedField(field: field, reason: dateTimeShape))
        }
        guard let date = dateFields(bytes[0..<10]), bytes[10] == UInt8(ascii: "T"),
              let hour = number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"),
              let minute = number(bytes[14..<16]), bytes[16] == UInt8(ascii: ":"),
              let second = number(bytes[17..<19]) else {
            return .failure(.malformedField(field: field, reason: dateTimeShape))
        }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix(while: isDigit)
            guard (1...fractionDigitsMax).contains(digits.count) else {
                return .failure(.malformedField(field: field, reason: dateTimeShape))
            }
            rest = rest.dropFirst(1 + digits.count)
        }
        let offset: Int?
        switch zone(rest) {
        case .absent: offset = nil
        case .offset(let seconds): offset = seconds
        case .malformed: return .failure(.malformedField(field: field, reason: dateTimeShape))
        case .outOfRange:
            return .failure(.malformedField(field: field, reason: "the UTC offset must be Z or from -14:00 to +14:00"))
        }
        guard hour <= 23, minute <= 59, second <= 59 else {
            return .failure(.malformedField(field: field, reason: "the time of day must be from 00:00:00 to 23:59:59"))
        }
        guard isCalendarDate(date) else { return .failure(.invalidDate(field: field)) }
        return .success(StatementDateTime(year: date.year, month: date.month, day: date.day, hour: hour,
                                          minute: minute, second: second, offsetSeconds: offset))
    }

    /// Reads a plain date (`Dt`): `YYYY-MM-DD`, optionally with a zone designator as XML Schema `date` allows; the
    /// day is taken as written either way.
    static func parseDate(_ text: String, field: String) -> FieldResult<BusinessDate> {
        let bytes = Array(text.utf8.prefix(textBytesMax + 1))
        guard bytes.count >= 10, bytes.count <= textBytesMax, let date = dateFields(bytes[0..<10]) else {
            return .failure(.malformedField(field: field, reason: dateShape))
        }
        switch zone(bytes[10...]) {
        case .absent, .offset: break
        case .malformed: return .failure(.malformedField(field: field, reason: dateShape))
        case .outOfRange:
            return .failure(.malformedField(field: field, reason: "the UTC offset must be Z or from -14:00 to +14:00"))
        }
        guard isCalendarDate(date), let result = businessDate(date) else { return .failure(.invalidDate(field: field)) }
        return .success(result)
    }

    /// The calendar date of this date-time for an account in `timeZone`: the written date when the text had no zone
    /// designator, else the date of the instant in `timeZone`. `nil` only when that date falls outside years
    /// 0001–9999 (`0001-01-01T00:30:00+01:00` seen from UTC).
    func localDate(in timeZone: TimeZone) -> BusinessDate? {
        guard let offsetSeconds else { return Self.businessDate((year: year, month: month, day: day)) }
        let utcSeconds = Self.daysFromCivil(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offsetSeconds
        // A whole number of seconds below 2⁵³ in magnitude (years 1–9999 lie within ±2.6 × 10¹¹): exact as a Double.
        let zoneOffset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds)))
        let localSeconds = utcSeconds + zoneOffset
        let localDays = localSeconds >= 0 ? localSeconds / 86_400 : -((-localSeconds + 86_399) / 86_400)
        return BusinessDate.fromDaysSinceEpoch(checked: localDays)
    }

    // MARK: - Text

    private enum Zone {
        case absent
        case offset(Int)
        case malformed
        case outOfRange
    }

    /// What follows the time (or a plain date): nothing, `Z`, or `±hh:mm`, and then the end of the text.
    private static func zone(_ rest: ArraySlice<UInt8>) -> Zone {
        if rest.isEmpty { return .absent }
        if rest.count == 1, rest.first == UInt8(ascii: "Z") { return .offset(0) }
        let start = rest.startIndex
        guard rest.count == 6, rest[start] == UInt8(ascii: "+") || rest[start] == UInt8(ascii: "-"),
              let hours = number(rest[(start + 1)..<(start + 3)]), rest[start + 3] == UInt8(ascii: ":"),
              let minutes = number(rest[(start + 4)..<(start + 6)]) else { return .malformed }
        let magnitude = hours * 3600 + minutes * 60
        guard minutes <= 59, magnitude <= offsetSecondsMax else { return .outOfRange }
        return .offset(rest[start] == UInt8(ascii: "-") ? -magnitude : magnitude)
    }

    /// `YYYY-MM-DD` as numbers, without checking that the day exists; `nil` unless the shape is exactly that.
    private static func dateFields(_ bytes: ArraySlice<UInt8>) -> (year: Int, month: Int, day: Int)? {
        let start = bytes.startIndex
        guard bytes.count == 10, let year = number(bytes[start..<(start + 4)]), bytes[start + 4] == UInt8(ascii: "-"),
              let month = number(bytes[(start + 5)..<(start + 7)]), bytes[start + 7] == UInt8(ascii: "-"),
              let day = number(bytes[(start + 8)..<(start + 10)]) else { return nil }
        return (year, month, day)
    }

    /// ASCII digits only (no sign, no other script's digits) as a number; `nil` for anything else or nothing.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Calendar (proleptic Gregorian, integers only)

    private static func isCalendarDate(_ date: (year: Int, month: Int, day: Int)) -> Bool {
        guard (1...9999).contains(date.year), (1...12).contains(date.month), date.day >= 1 else { return false }
        return date.day <= daysIn(month: date.month, year: date.year)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The ``BusinessDate`` of valid parts, or `nil` outside years 0001–9999.
    private static func businessDate(_ date: (year: Int, month: Int, day: Int)) -> BusinessDate? {
        guard (1...9999).contains(date.year) else { return nil }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return BusinessDate("\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))")
    }

    /// Days from 1970-01-01 to the date (negative before it). Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
