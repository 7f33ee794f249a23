import Foundation
import SyncTesting
import Testing

/// Regression test of issue 2/6, finding 7 (first part): restoring an office while `hub serve` runs.
///
/// Release 1 let `restore` move the replica aside under the running server and delete its `-wal` file: changes the
/// server had answered "applied" were lost. Restore is now refused while the office is served, with a sentence
/// saying by which process; after the server stops, it works.
@Suite struct RestoreWhileServedTests {
    @Test func restoreIsRefusedWhileTheHubIsServedAndWorksAfterwards() throws {
        let folder = try TemporaryDirectory("restore-served")
        defer { folder.remove() }
        let cli = FundSyncProcesses(folder: folder)
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui"])
        try cli.run(["backup", "--data", cli.path("hub"), "--to", cli.path("hub-backup.sqlite")])
        let server = try HubServerProcess(data: cli.path("hub"), logURL: folder.url.appendingPathComponent("serve.log"))
        let refused = try cli.run(["restore", "--data", cli.path("hub"), "--from", cli.path("hub-backup.sqlite")], status: nil)
        server.stop()
        let afterwards = try cli.run(["restore", "--data", cli.path("hub"), "--from", cli.path("hub-backup.sqlite")], status: nil)
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("is being served by pid") && refused.stderr.contains("(hub serve)"), "\(refused.stderr)")
        #expect(afterwards.status == 0, "\(afterwards.stderr)")
        try cli.run(["verify", "--data", cli.path("hub")])
    }
}
