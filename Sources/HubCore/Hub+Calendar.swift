import LedgerCore
import ReplicaStore

extension Hub {
    /// Puts days of China's business calendar into the registry (3/6 item 8): statutory holidays and the weekend days
    /// worked in their place, all or nothing, pushed down to every node like the rest of the registry.
    public func putCalendar(_ days: [CalendarDay]) throws {
        var seen: Set<BusinessDate> = []
        for day in days {
            guard seen.insert(day.date).inserted else { throw RegistryError(.conflict, "\(day.date) is in the calendar twice") }
            guard !day.name.isEmpty else { throw RegistryError(.invalidValue, "\(day.date) has no name") }
            if day.kind == .workday, day.date.isBusinessDay {
                throw RegistryError(.invalidValue, "\(day.date) is a weekday: only a Saturday or Sunday can be a worked weekend day")
            }
        }
        try write { transaction, _ in
            for day in days.sorted(by: { $0.date < $1.date }) {
                try transaction.appendLocal(table: .calendarDay, key: day.date.description, operation: .insert,
                                            fields: ["kind": .text(day.kind.rawValue), "name": .text(day.name)])
            }
        }
    }
}
