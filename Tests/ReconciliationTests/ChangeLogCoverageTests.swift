import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Goal: every replicated row at every office is exactly what its change log says, after the operations that used to
/// write around the log (a difference notice explained; a payment released at the hub that the county cannot book),
/// and a row changed behind the log is found. Method: rebuild each replica's replicated tables from its change log
/// (`ReplicaStore.changeLogDiscrepancies`, also part of `verify`) and compare; plant a write with the `sqlite3`
/// command line, an independent tool.
@Suite struct ChangeLogCoverageTests {
    static let day = BusinessDate("2026-11-02")!

    static func expectEveryReplicaMatchesItsChangeLog(_ province: BusinessProvince, _ codes: [String],
                                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        var problems = try province.hub.store.changeLogDiscrepancies().map { "hub: \($0)" }
        for code in codes { problems += try province.node(code).store.changeLogDiscrepancies().map { "\(code): \($0)" } }
        #expect(problems == [], sourceLocation: sourceLocation)
    }

    @Test func anExplainedDifferenceNoticeStaysWhatTheChangeLogSays() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let code = "340122"
        try PlantedProblemsTests.cleanDay(province, code, Self.day) {
            try Plant(province: province, county: code).agedInTransit(on: Self.day)
        }
        _ = try Reconciler(hub: province.hub).run(from: Self.day, through: BusinessDate("2026-11-09")!, incremental: false)
        #expect(try !province.hub.sendDifferenceNotices().isEmpty)
        try province.base.deliverFromHub()
        let node = province.node(code)
        let notice = try #require(try node.store.documents(.differenceNotice).first { $0["check_kind"] == "in_transit_aged" })
        try node.explain(notice: notice["id"]!, text: "the bank delayed the transfer", date: BusinessDate("2026-11-09")!,
                         signatures: BusinessProvince.clerks(code))
        // Shown explained at once at the county, and at the hub once the explanation arrives: derived, not written.
        #expect(try node.store.documents(.differenceNotice).first { $0["id"] == notice["id"] }?["state"] == "explained")
        try province.sync(code)
        #expect(try province.hub.store.documents(.differenceNotice).first { $0["id"] == notice["id"] }?["state"] == "explained")
        #expect(try province.hub.store.findings().first { $0.notice == notice["id"] }?.status == "explained")
        try Self.expectEveryReplicaMatchesItsChangeLog(province, [code])
    }

    @Test func aPaidPaymentTheCountyCannotBookIsShownSoWithoutWritingAroundTheLog() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let payment = try county.enterPayment(account: BusinessProvince.expense("340122"), payee: "Hefei Office Supplies",
                                              payeeAccount: "6222000011112222", amount: AmountMinorUnits(3_000_000),
                                              date: BusinessDate("2026-11-04")!, purpose: "stationery", expenseAccount: "340122:6602",
                                              signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        // The hub freezes the county's expense subject from 4 November, then releases and the bank pays: the freeze
        // reaches the county before the payment, so the county's booking of it is refused there.
        try province.hub.setAccountStatus("340122:6602", to: .frozen, effectiveFrom: BusinessDate("2026-11-04")!)
        try province.hub.releasePayment(payment, by: "hub-cashier")
        try province.bankPays(payment)
        try province.base.deliverFromHub()
        #expect(try county.store.documents(.payment).first { $0["id"] == payment }?["state"] == "paid_unbooked")
        #expect(try province.hub.store.documents(.payment).first { $0["id"] == payment }?["state"] == "paid")
        try Self.expectEveryReplicaMatchesItsChangeLog(province, ["340122"])
        #expect(try county.verify().isEmpty && province.hub.verify().isEmpty)
    }

    @Test func aRowChangedBehindTheChangeLogIsFound() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        try PlantedProblemsTests.cleanDay(province, "340121", Self.day)
        try Self.expectEveryReplicaMatchesItsChangeLog(province, ["340121"])
        let replica = province.node("340121").directory.replica.path
        let planted = try runProcess("/usr/bin/sqlite3", [replica, "UPDATE balance_report SET balance = balance + 100 WHERE rowid = 1;"])
        #expect(planted.status == 0, "\(planted.stderr)")
        let problems = try province.node("340121").store.changeLogDiscrepancies()
        #expect(problems.count == 2 && problems.allSatisfy { $0.hasPrefix("balance_report:") }, "\(problems)")
        #expect(try province.node("340121").verify().contains { $0.hasPrefix("balance_report:") })
    }
}
