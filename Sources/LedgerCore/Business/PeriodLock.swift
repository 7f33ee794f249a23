/// The period-close lock (关账): documents dated on or before `lockedThrough` may no longer be entered. The hub
/// sets it and it flows down to every node; a late entry becomes an adjustment dated in the open period.
public struct PeriodLock: Hashable, Sendable {
    public var lockedThrough: BusinessDate?

    public init(lockedThrough: BusinessDate?) { self.lockedThrough = lockedThrough }

    /// Refuses `date` if it is in a closed period.
    public func check(_ date: BusinessDate) throws(LedgerRuleViolation) {
        if let lockedThrough, date <= lockedThrough {
            throw LedgerRuleViolation(.periodClosed(date: date.description, lockedThrough: lockedThrough.description))
        }
    }

    /// The first date of the open period: where a late entry is re-dated as an adjustment.
    public var firstOpenDate: BusinessDate? { lockedThrough?.next }
}

extension BusinessDate {
    /// The next calendar day.
    public var next: BusinessDate {
        if day < BusinessDate.daysIn(month: month, year: year) { return BusinessDate(year: year, month: month, day: day + 1) }
        if month < 12 { return BusinessDate(year: year, month: month + 1, day: 1) }
        return BusinessDate(year: year + 1, month: 1, day: 1)
    }

    /// Every date from `self` through `last`, inclusive.
    public func through(_ last: BusinessDate) -> [BusinessDate] {
        var dates: [BusinessDate] = []
        var current = self
        while current <= last {
            dates.append(current)
            current = current.next
        }
        return dates
    }
}

extension BusinessDate {
    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm: integer math, no calendar API.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var dayOfWeek: Int { ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1 }

    /// Monday to Friday: the days every account must be reported. (Public holidays are not modelled yet.)
    public var isBusinessDay: Bool { dayOfWeek <= 5 }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: BusinessDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// The last day of this date's month.
    public var endOfMonth: BusinessDate { BusinessDate(year: year, month: month, day: BusinessDate.daysIn(month: month, year: year)) }
}

extension BusinessDate {
    /// The date `days` after 1970-01-01, or `nil` outside 0001-01-01…9999-12-31: for day counts from outside data
    /// (an Excel serial date, a camt.053 date-time turned into a local day).
    public static func fromDaysSinceEpoch(checked days: Int) -> BusinessDate? {
        guard (firstDay.daysSinceEpoch...lastDay.daysSinceEpoch).contains(days) else { return nil }
        return fromDaysSinceEpoch(days)
    }

    private static let firstDay = BusinessDate(year: 1, month: 1, day: 1)
    private static let lastDay = BusinessDate(year: 9999, month: 12, day: 31)

    /// The date `days` after 1970-01-01 (inverse of `daysSinceEpoch`).
    public static func fromDaysSinceEpoch(_ days: Int) -> BusinessDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return BusinessDate(year: year, month: month, day: day)
    }
}
