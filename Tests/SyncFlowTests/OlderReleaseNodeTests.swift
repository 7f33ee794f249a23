import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 10, "offices upgrade on different days". Goal: a hub of this release writes for a node one release behind
/// only what that node can represent, holds the rest for it — never drops it — and sends it, in the order it was
/// written, once the node announces the release that can (PROTOCOL.md §11.2–§11.4); and an office's announcement is
/// its own. Method: a county enrolled and run as release 1 (`Node.running(asRelease:)`, which refuses what release 1
/// refused, so anything sent too early shows as a rejection at the county), then upgraded.
@Suite struct OlderReleaseNodeTests {
    static let holiday = CalendarDay(date: BusinessDate("2026-12-25")!, kind: .holiday, name: "test holiday")

    /// Whether the node's calendar has 25 December 2026, a Friday, as a business day (it has not heard of the holiday).
    static func worksOnChristmas(_ node: Node) throws -> Bool {
        try node.store.read { try $0.businessCalendar() }.isBusinessDay(holiday.date)
    }

    @Test func whatARelease1NodeCannotRepresentIsHeldAndArrivesWhenItUpgrades() throws {
        let province = try TestProvince(counties: ["340121", "340122"], releases: ["340122": 1])
        defer { province.remove() }
        let current = province.node("340121"), old = province.node("340122")
        #expect(old.release == 1 && current.release == FundSyncRelease.number)

        try province.hub.putCalendar([Self.holiday])
        try province.deliverFromHub()
        #expect(try !Self.worksOnChristmas(current), "the release-2 county has the day at once")
        #expect(try Self.worksOnChristmas(old))
        #expect(try old.store.status().rejected == 0, "nothing was sent that release 1 refuses")
        let held = try province.hub.store.heldChanges()
        #expect(held.map(\.peer) == [old.org] && held.map(\.table) == ["calendar_day"] && held.first?.needsRelease == 2, "\(held)")

        let problems = try province.hub.verify()
        #expect(problems.isEmpty, "a held change is logged and not queued: \(problems)")
        // verify catches a change both held and queued (a hub that would send it twice).
        let queued = try #require(held.first)
        let replica = province.hub.directory.replica.path
        let planted = try runProcess("/usr/bin/sqlite3", [replica, """
            INSERT INTO outbox (peer, position, origin, counter) VALUES ('340122', 9999, '\(queued.id.origin)', \(queued.id.counter));
            """])
        #expect(planted.status == 0, "\(planted.stderr)")
        #expect(try province.hub.verify().contains { $0.contains("is held for 340122 and also queued for it") })
        _ = try runProcess("/usr/bin/sqlite3", [replica, "DELETE FROM outbox WHERE peer = '340122' AND position = 9999;"])

        // A release-1 node announces nothing: its exports leave the hold as it is.
        try old.post([TestProvince.draft("340122:1002", "340122:6001", "10.00")])
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        #expect(try province.hub.store.heldChanges().count == 1)
        let before = try #require(try province.hub.store.officeReleases().first { $0.org == old.org })
        #expect(before.release == 1 && !before.announced && before.heldChanges == 1 && before.version == nil)

        // The county installs release 2: its next batch announces it, and the held day follows in the hub's answer.
        province.upgrade("340122")
        let upgraded = province.node("340122")
        let announced = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        #expect(announced.first?.applied == 1 && announced.first?.rejected == 0, "the announcement alone")
        #expect(try province.hub.store.heldChanges().isEmpty, "nothing stays held once the node can represent it")
        try province.deliverFromHub()
        #expect(try !Self.worksOnChristmas(upgraded))
        #expect(try upgraded.store.status().rejected == 0)
        let after = try #require(try province.hub.store.officeReleases().first { $0.org == old.org })
        #expect(after.release == FundSyncRelease.number && after.announced && after.version == FundSyncRelease.version && after.heldChanges == 0)
        #expect(try province.hub.verify().isEmpty)
        #expect(try upgraded.verify().isEmpty)
        #expect(try province.hub.store.balances(org: upgraded.org) == upgraded.store.balances(org: upgraded.org))
    }

    /// An office enrolled as this release that runs release 1 (installed from the old package) is sent what release 1
    /// refuses until the hub hears from it; its first changes without an announcement tell the hub, which then holds
    /// for it and leaves a finding for the fund centre.
    @Test func anOfficeEnrolledAsRelease2ThatRunsRelease1IsFoundOutByItsFirstBatch() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        province.run("340122", asRelease: 1)
        try province.hub.putCalendar([Self.holiday])
        try province.deliverFromHub()
        #expect(try province.node("340122").store.rejectedChanges().map(\.table) == ["calendar_day"], "release 1 refuses the day it was sent")

        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "10.00")])
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        let findings = try province.hub.store.streamFindings().filter { $0.kind == "release-not-announced" }
        #expect(findings.map(\.org) == ["340122"] && findings.first?.detail.contains("runs release 1") == true, "\(findings)")
        #expect(try province.hub.store.officeReleases().first { $0.org.rawValue == "340122" }?.release == 1)
        // 340121 announced with its own first batch and is left alone.
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340121")))
        #expect(try province.hub.store.streamFindings().filter { $0.kind == "release-not-announced" }.count == 1)

        let boxingDay = CalendarDay(date: BusinessDate("2026-12-28")!, kind: .holiday, name: "another test holiday")
        try province.hub.putCalendar([boxingDay])
        #expect(try province.hub.store.heldChanges(for: OrgCode("340122")!).count == 1, "held from now on")
        province.upgrade("340122")
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        try province.deliverFromHub()
        #expect(try !province.node("340122").store.read { try $0.businessCalendar() }.isBusinessDay(boxingDay.date))
        #expect(try province.hub.verify().isEmpty && province.node("340122").verify().isEmpty)
    }

    /// A release-1 node knows neither `paid` nor `returned` (§6.18): the bank's booking waits at the hub and is booked
    /// once, on the bank's date, after the upgrade.
    @Test func aPaymentsBankBookingWaitsForTheUpgradeAndIsBookedOnce() throws {
        let province = try BusinessProvince(releases: ["340122": 1])
        defer { province.remove() }
        let county = province.node("340122")
        let payment = try county.enterPayment(account: BusinessProvince.expense("340122"), payee: "Hefei Office Supplies",
                                              payeeAccount: "6222000011112222", amount: AmountMinorUnits(3_000_000),
                                              date: BusinessProvince.startDate, purpose: "stationery", expenseAccount: "340122:6602",
                                              signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.releasePayment(payment, by: "hub-cashier")
        try province.bankPays(payment)
        try province.base.deliverFromHub()
        #expect(try county.store.documents(.payment).first { $0["id"] == payment }?["state"] == "released")
        #expect(try county.store.status().rejected == 0)
        #expect(try province.hub.store.heldChanges(for: county.org).map(\.table) == ["transition"])

        province.base.upgrade("340122")
        try province.sync("340122")
        let upgraded = province.node("340122")
        #expect(try upgraded.store.documents(.payment).first { $0["id"] == payment }?["state"] == "paid")
        #expect(try BusinessProvince.lines(in: upgraded.store, source: "payment:\(payment)").count == 1, "booked once")
        try province.sync("340122")
        #expect(try province.hub.store.heldChanges().isEmpty)
        #expect(try province.hub.verify().isEmpty && upgraded.verify().isEmpty)
    }

    /// The hub's rules for an announcement (§6.24): an office speaks for itself, names a release that announces itself,
    /// keys the row by both, and lists the formats it reads.
    @Test(arguments: [
        ("340121:2", ["org": "340121", "number": "2"], "wrong-origin"),
        ("340122:1", ["number": "1"], "malformed"),
        ("340122:3", ["number": "2"], "malformed"),
        ("340122:2", ["formats": "2"], "malformed"),
        ("340122:2", ["version": "2.0\u{7}"], "malformed"),
    ])
    func anAnnouncementThatIsNotTheOfficesOwnOrNotWellFormedIsRejected(key: String, override: [String: String], code: String) throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        let county = province.node("340122")
        var fields: [String: FieldValue] = ["org": .text("340122"), "number": .integer(2), "version": .text("2.0.0"), "formats": .text("1,2")]
        for (name, value) in override { fields[name] = name == "number" ? .integer(Int64(value)!) : .text(value) }
        try county.store.write(policy: try county.replicaPolicy) { transaction in
            _ = try transaction.appendLocal(table: .officeRelease, key: key, operation: .insert, fields: fields)
        }
        let outcome = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        let rejected = try province.hub.store.rejectedChanges().filter { $0.table == "office_release" }
        #expect(rejected.count == 1 && rejected.first?.code == code && outcome.first?.rejected == 1, "\(rejected)")
        // Only the county's own announcement stands; 340121 is not said to run anything it did not announce.
        #expect(try province.hub.store.officeReleases().first { $0.org.rawValue == "340121" }?.announced == false)
    }
}
