import Foundation
import SyncTesting
import Testing

/// 8, item 3: the restore drill (`Scripts/restore-drill`) restores the newest backup into a scratch folder and runs
/// `verify`; it fails, saying why, when the newest backup is not one. The live office is only read.
@Suite struct RestoreDrillTests {
    @Test func lastNightsBackupRestoresAndVerifiesAndABrokenOneIsCaught() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-drill"))
        defer { cli.folder.remove() }
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui Province"])
        try FileManager.default.createDirectory(atPath: cli.path("backups"), withIntermediateDirectories: true)
        try cli.run(["backup", "--data", cli.path("hub"), "--to", cli.path("backups/hub-2026-12-03.sqlite")])
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.path("hub/replica.sqlite")))
        let drill = repositoryRoot().appendingPathComponent("Scripts/restore-drill").path
        var environment = ProcessInfo.processInfo.environment
        environment["FUNDSYNC_BIN"] = CLI.binary
        func run() throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: drill)
            process.arguments = [cli.path("hub"), cli.path("backups")]
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        let good = try run()
        #expect(good.status == 0 && good.output.contains("hub-2026-12-03.sqlite restores and verifies"), "\(good.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("hub/replica.sqlite"))) == before, "the live office is only read")

        // A newer file that is not a database: the drill names it and fails.
        try Data("not a backup".utf8).write(to: URL(fileURLWithPath: cli.path("backups/hub-2026-12-04.sqlite")))
        let touched = Date().addingTimeInterval(60)
        try FileManager.default.setAttributes([.modificationDate: touched], ofItemAtPath: cli.path("backups/hub-2026-12-04.sqlite"))
        let broken = try run()
        #expect(broken.status != 0 && broken.output.contains("hub-2026-12-04.sqlite does not restore"), "\(broken.output)")
    }
}
