import Foundation
import SyncTesting
import Testing

/// `hub account add` on an existing account redefines it (name, bank, attributes) and keeps its status: release 1
/// wrote `active`, so redefining a frozen account silently unfroze it, around the freeze's authority and reason.
@Suite struct AccountRedefinitionEndToEndTests {
    @Test func redefiningAFrozenAccountKeepsItFrozen() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-redefine"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let hub = cli.path("hub")
        try cli.run(["hub", "staff", "--data", hub, "--id", "hub-manager", "--org", "340000", "--name", "Zhou Min", "--roles", "fund_centre_manager"])
        try cli.run(["hub", "account", "freeze", "--data", hub, "--account", "340121:1002", "--reason", "court order", "--by", "hub-manager",
                     "--on", "2026-11-02", "--from", "2026-11-02"])
        let out = try cli.run(["hub", "account", "add", "--data", hub, "--org", "340121", "--kind", "subject", "--code", "1002",
                               "--name", "Bank deposits (银行存款)"]).stdout
        #expect(out.contains("frozen"), "\(out)")
        let status = try runProcess("/usr/bin/sqlite3", [hub + "/replica.sqlite",
                                                         "SELECT status || '|' || name || '|' || status_reason FROM account WHERE id = '340121:1002';"])
        #expect(status.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "frozen|Bank deposits (银行存款)|court order")
    }
}
