import Foundation
import SyncTesting
import Testing

/// Issue 9, "a stuck stream is loud": with the built binary, a county whose batches keep failing to apply at the hub
/// shows as a blocked stream in the hub's `status --json` (and loudly in its text form), and is healthy again once its
/// batch applies. Method: the hub's `period_lock` table is made unreadable with the `sqlite3` command line (as a
/// damaged database would behave); the first failure is moved an hour back, since the link blocks only after an hour.
@Suite(.serialized) struct BlockedStreamStatusTests {
    @Test func theHubsStatusShowsABlockedStreamUntilItsBatchApplies() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-blocked"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let file = try cli.writeVouchers("v.json", """
            [{"date": "2026-11-02", "memo": "income", "preparer": "Li Na",
              "lines": [{"account": "340121:1002", "debit": "5.00"}, {"account": "340121:6001", "credit": "5.00"}]}]
            """)
        try cli.run(["post", "--data", cli.path("340121"), file])
        try cli.run(["export", "--data", cli.path("340121"), "--to", cli.path("up")])
        let replica = cli.path("hub/replica.sqlite")
        func sqlite(_ statement: String) throws {
            let result = try runProcess("/usr/bin/sqlite3", [replica, statement])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try sqlite("ALTER TABLE period_lock RENAME TO period_lock_unreadable;")
        for _ in 1...5 { try cli.run(["import", "--data", cli.path("hub"), cli.path("up")], status: 1) }
        try sqlite("UPDATE link_failure SET first_failed_ms = first_failed_ms - 3600000;")

        let status = try cli.json(["status", "--data", cli.path("hub"), "--json"])
        #expect(status["blockedLinks"] as? [String] == ["340121"], "\(status)")
        let failing = (status["failingLinks"] as? [[String: Any]])?.first
        #expect(failing?["attempts"] as? Int == 5 && (failing?["lastError"] as? String)?.contains("period_lock") == true)
        #expect(try cli.run(["status", "--data", cli.path("hub")]).stdout.contains("BLOCKED LINK 340121"))

        try sqlite("ALTER TABLE period_lock_unreadable RENAME TO period_lock;")
        try cli.run(["import", "--data", cli.path("hub"), cli.path("up")])
        let healed = try cli.json(["status", "--data", cli.path("hub"), "--json"])
        #expect(healed["blockedLinks"] as? [String] == [] && (healed["failingLinks"] as? [Any])?.isEmpty == true, "\(healed)")
    }
}
