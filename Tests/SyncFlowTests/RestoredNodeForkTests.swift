import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Regression test of issue 2/6, finding 7 (restore can silently fork an office), its detection part: a county restored
/// from an old backup reuses counters the hub already holds, for different changes. Release 1 counted them as
/// duplicates and dropped them without a word, so the hub and the county disagreed with `verify` passing on both. The
/// hub must see "same change id, different content from the same origin" as a fork, report it loudly (a security
/// alert on that link, in status and metrics), and never apply it as if nothing happened.
@Suite struct RestoredNodeForkTests {
    @Test func aChangeIdReusedWithOtherContentIsAForkNotASilentDuplicate() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let county = province.node("340121")
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340121")))  // the snapshot's ack
        try province.deliverFromHub()  // acknowledges the county's release announcement, so the backup re-sends nothing
        let backup = province.root.path("340121-backup.sqlite")
        try county.store.backup(to: backup)

        try county.post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340121")))
        let hubVector = try province.hub.store.versionVector()

        // The county's disk dies; it is restored from the backup and, not knowing, books something else.
        let restoredFolder = try province.root.folder("340121-restored")
        for name in try FileManager.default.contentsOfDirectory(atPath: county.directory.root.path) where !name.hasPrefix("replica.sqlite") {
            try FileManager.default.copyItem(at: county.directory.root.appendingPathComponent(name),
                                             to: restoredFolder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(atPath: backup, toPath: restoredFolder.appendingPathComponent("replica.sqlite").path)
        let restored = try Node.open(directory: DataDirectory(restoredFolder.path), clock: province.clock)
        try restored.post([TestProvince.draft("340121:1002", "340121:6001", "999.00")])
        let forked = try restored.export(to: try province.root.folder("from-restored"))
        let outcome = try expectReceived(province.hub.exchange.importFiles(forked)).first
        #expect(outcome?.applied == 0, "the other content is not applied")
        #expect(try province.hub.store.versionVector() == hubVector)

        let alerts = try province.hub.linkHealth().openAlerts
        #expect(alerts.contains { $0.link == "340121" && $0.code == "fork" }, "the fork is reported loudly: \(alerts)")
        #expect(outcome?.forks ?? 0 >= 1 && outcome?.duplicates == 0, "counted as a fork, not as a duplicate: \(String(describing: outcome))")
    }
}
