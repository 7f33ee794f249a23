import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 9: "reconciliation reports 'stream blocked since …' for that office instead of blaming it for missing
/// reports". Goal: a county whose batches fail to apply at the hub gets one `stream_blocked` finding, not a
/// `not_reported` per account and day; a county that simply did not report is still blamed. Method: two clean days for
/// two counties, then a third day on which neither report reaches the hub, one of them because its link is failing.
@Suite struct StreamBlockedReconciliationTests {
    @Test func aFailingStreamIsReportedOnceAndItsMissingReportsAreNotBlamedOnTheUnit() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let days = BusinessDate("2026-11-02")!.through(BusinessDate("2026-11-03")!)
        for day in days {
            for code in ["340121", "340122"] { try PlantedProblemsTests.cleanDay(province, code, day) }
        }
        // 4 November: 340122's batch with that day's reports cannot be applied at the hub (recorded as the exchange
        // records it); 340121 simply reports nothing.
        try province.hub.storage.recordApplyFailure(peer: OrgCode("340122")!, message: "disk I/O error", atMilliseconds: 0)
        let report = try Reconciler(hub: province.hub).run(from: days.first!, through: BusinessDate("2026-11-04")!, incremental: false)
        let byOrg = Dictionary(grouping: report.findings, by: \.org)
        #expect(byOrg["340122"]?.map(\.check) == ["stream_blocked"], "\(byOrg["340122"] ?? [])")
        #expect(byOrg["340122"]?.first?.message.contains("blocked since 1970-01-01 00:00 UTC") == true)
        #expect(byOrg["340121"]?.contains { $0.check == "not_reported" && $0.date == "2026-11-04" } == true, "an office that did not report is still blamed")
    }
}
