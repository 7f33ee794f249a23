import Foundation
import SyncTesting
import Testing

/// Issue 10, the upgrade as an administrator does it, on real data: the frozen release-1 network
/// (`Protocol/vectors/compat/1/ed25519/after/`) — a hub and two counties written by the release-1 binary. The hub
/// upgrades first; a county upgrades on a later day. Goal: until the county announces its release the hub takes it for
/// release 1 and holds what release 1 cannot read (here the business calendar), `hub registry` says so, and the first
/// batch after the county's upgrade brings it everything held, with the books still agreeing. Method: today's binary
/// on copies of the frozen folders; `sqlite3` reads the county's replica independently.
@Suite struct UpgradeInPlaceEndToEndTests {
    @Test func theHubUpgradesFirstAndAnOfficeGetsWhatWasHeldWhenItUpgrades() throws {
        let folder = try TemporaryDirectory("upgrade-in-place")
        defer { folder.remove() }
        let cli = CLI(folder: folder)
        let frozen = repositoryRoot().appendingPathComponent("Protocol/vectors/compat/1/ed25519/after")
        for office in ["340000", "340122"] {
            try FileManager.default.copyItem(at: frozen.appendingPathComponent(office), to: folder.url.appendingPathComponent(office))
        }
        let hub = cli.path("340000"), county = cli.path("340122")

        // The hub of release 2 opens the release-1 folder; its nodes were enrolled by release 1, so they count as release 1.
        let before = try cli.run(["hub", "registry", "--data", hub]).stdout
        #expect(before.contains("340122: release 1 (announced none)") && before.contains("BEHIND"), "\(before)")
        try cli.run(["hub", "calendar", "--data", hub, repositoryRoot().appendingPathComponent("Nodes/calendar/cn-2026.json").path])
        let held = try cli.json(["hub", "registry", "--data", hub, "--held", "--json"])
        let heldChanges = (held["held"] as? [[String: Any]] ?? []).filter { $0["node"] as? String == "340122" }
        #expect(!heldChanges.isEmpty && heldChanges.allSatisfy { $0["table"] as? String == "calendar_day" && $0["needsRelease"] as? Int == 2 },
                "the calendar waits for 340122: \(held)")

        // The hub's export has nothing for the county meanwhile: all it had was acknowledged, the calendar is held.
        try cli.run(["export", "--data", hub, "--to", cli.path("down1")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.path("down1")).filter { $0.contains("-to-340122-") }.isEmpty)

        // The county installs release 2: opening its folder migrates it; its next export announces the release.
        try cli.run(["status", "--data", county])
        #expect(try calendarDays(at: county) == 0)
        try cli.run(["export", "--data", county, "--to", cli.path("up")])
        try importAll(cli, from: "up", into: hub)
        let after = try cli.json(["hub", "registry", "--data", hub, "--json"])
        let row = (after["nodes"] as? [[String: Any]] ?? []).first { $0["node"] as? String == "340122" } ?? [:]
        #expect(row["release"] as? Int == 2 && row["announced"] as? Bool == true && row["heldChanges"] as? Int == 0, "\(row)")
        try cli.run(["export", "--data", hub, "--to", cli.path("down2")])
        try importAll(cli, from: "down2", into: county)
        #expect(try calendarDays(at: county) == heldChanges.count, "every held day arrived, none twice")
        for office in [hub, county] { try cli.run(["verify", "--data", office]) }
        let status = try cli.json(["status", "--data", county, "--json"])
        #expect(status["rejected"] as? Int == 0, "the county refused nothing: \(status)")
    }

    private func importAll(_ cli: CLI, from name: String, into data: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.path(name)).filter { $0.hasSuffix(".fsb") }.sorted()
            .map { cli.path(name) + "/" + $0 }
        let mine = files.filter { $0.contains("-to-\(URL(fileURLWithPath: data).lastPathComponent)-") }
        #expect(!mine.isEmpty, "a batch for \(data) in \(name)")
        try cli.run(["import", "--data", data] + mine)
    }

    private func calendarDays(at data: String) throws -> Int {
        let result = try runProcess("/usr/bin/sqlite3", [data + "/replica.sqlite", "SELECT COUNT(*) FROM calendar_day;"])
        #expect(result.status == 0, "\(result.stderr)")
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
