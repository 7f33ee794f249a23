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
