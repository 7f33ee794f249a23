import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 8: business days are China's. The registry holds the calendar (statutory holidays and the weekend
/// days worked in their place, 调休), pushed down like everything else; 2026's ships in Nodes/calendar/cn-2026.json.
@Suite struct BusinessCalendarTests {
    static func calendar2026() throws -> [CalendarDay] {
        let url = repositoryRoot().appendingPathComponent("Nodes/calendar/cn-2026.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(object?["days"] as? [[String: String]]).map {
            CalendarDay(date: BusinessDate($0["date"]!)!, kind: CalendarDay.Kind(rawValue: $0["kind"]!)!, name: $0["name"]!)
        }
    }

    @Test func theShippedCalendarIsTheStateCouncilsNoticeFor2026() throws {
        let days = try Self.calendar2026()
        var calendar = BusinessCalendar()
        for day in days { if day.kind == .holiday { calendar.holidays.insert(day.date) } else { calendar.workdays.insert(day.date) } }
        #expect(days.filter { $0.kind == .holiday }.count == 33 && days.filter { $0.kind == .workday }.count == 6)
        #expect(!calendar.isBusinessDay(BusinessDate("2026-10-01")!) && !calendar.isBusinessDay(BusinessDate("2026-02-23")!))
        #expect(calendar.isBusinessDay(BusinessDate("2026-10-10")!), "Saturday 10 October is worked (调休)")
        #expect(calendar.isBusinessDay(BusinessDate("2026-02-14")!) && calendar.isBusinessDay(BusinessDate("2026-01-04")!))
        #expect(calendar.nextBusinessDate(after: BusinessDate("2026-09-30")!) == BusinessDate("2026-10-08")!)
        #expect(calendar.nextBusinessDate(after: BusinessDate("2026-02-13")!) == BusinessDate("2026-02-14")!, "a worked Saturday")
    }

    @Test func theCalendarReachesTheNodesAndAFreezeWaitsForTheNextBusinessDay() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        try province.hub.putCalendar(try Self.calendar2026())
        try province.base.deliverFromHub()
        let atNode = try province.node("340121").store.read { try $0.businessCalendar() }
        #expect(!atNode.isBusinessDay(BusinessDate("2026-10-05")!) && atNode.isBusinessDay(BusinessDate("2026-09-20")!))
        let from = try province.hub.freezeAccount(BusinessProvince.expense("340121"), reason: "court order", by: "hub-manager",
                                                  decidedOn: BusinessDate("2026-09-30")!)
        #expect(from == BusinessDate("2026-10-08")!, "after the National Day holiday")
        #expect(throws: RegistryError.self, "a weekday cannot be a worked weekend day") {
            try province.hub.putCalendar([CalendarDay(date: BusinessDate("2026-11-04")!, kind: .workday, name: "x")])
        }
    }
}
