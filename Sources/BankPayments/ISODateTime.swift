import LedgerCore

/// ISO 8601 date-times for message headers (`CreDtTm`), from the injected clock's milliseconds: whole seconds, in the
/// sender's local time with its offset (`2026-12-03T10:15:00+08:00`), or `Z` at offset 0.
package enum ISODateTime {
    package static func text(milliseconds: Int64, offsetMinutes: Int) -> String {
        let seconds = milliseconds / 1000 - (milliseconds % 1000 < 0 ? 1 : 0) + Int64(offsetMinutes) * 60
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = BusinessDate.fromDaysSinceEpoch(checked: days)?.description ?? "1970-01-01"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        guard offsetMinutes != 0 else { return "\(date)T\(time)Z" }
        let sign = offsetMinutes > 0 ? "+" : "-"
        return "\(date)T\(time)\(sign)\(two(abs(offsetMinutes) / 60)):\(two(abs(offsetMinutes) % 60))"
    }
}
