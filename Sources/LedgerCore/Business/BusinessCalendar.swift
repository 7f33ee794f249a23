/// Which days are business days: Monday to Friday, except the statutory holidays, plus the weekend days worked in their
/// place (调休) — China's calendar, published each year by the State Council and kept in the registry (`calendar_day`,
/// 3/6 item 8). Daily reports, sweeps, deadlines and aging count business days by it; interest counts calendar days.
public struct BusinessCalendar: Hashable, Sendable {
    /// Days off that would otherwise be business days (and holidays on a weekend, which change nothing).
    public var holidays: Set<BusinessDate>
    /// Weekend days that are worked (调休上班).
    public var workdays: Set<BusinessDate>

    public init(holidays: Set<BusinessDate> = [], workdays: Set<BusinessDate> = []) {
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Monday to Friday only: the calendar of a registry that holds no calendar days.
    public static let weekdays = BusinessCalendar()

    public func isBusinessDay(_ date: BusinessDate) -> Bool {
        if workdays.contains(date) { return true }
        if holidays.contains(date) { return false }
        return date.isBusinessDay
    }

    /// The first business day after `date`.
    public func nextBusinessDate(after date: BusinessDate) -> BusinessDate {
        var next = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch + 1)
        // A year has at most a few dozen days off in a row; 400 steps is far beyond any real calendar.
        for _ in 0..<400 where !isBusinessDay(next) { next = BusinessDate.fromDaysSinceEpoch(next.daysSinceEpoch + 1) }
        return next
    }
}

/// One entry of the calendar: a day off or a worked weekend day, with the holiday's name.
public struct CalendarDay: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case holiday, workday }
    public var date: BusinessDate
    public var kind: Kind
    public var name: String

    public init(date: BusinessDate, kind: Kind, name: String) {
        self.date = date
        self.kind = kind
        self.name = name
    }
}
