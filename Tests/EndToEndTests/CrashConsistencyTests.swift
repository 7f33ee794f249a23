import Foundation
import SyncTesting
import Testing

/// Crash consistency with real processes: `fundsync import` of a large batch is killed with SIGKILL at random
/// moments and restarted until it completes; then `verify` passes and the hub's books equal those of a clean
/// import of the same file. SQLite's transaction (WAL, synchronous FULL) must leave nothing half-applied.
@Suite(.serialized) struct CrashConsistencyTests {
    @Test func importKilledAtRandomMomentsEndsEqualToACleanImport() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-e2e-crash"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let vouchers = (1...3_000).map { index in
            """
            {"date": "2026-11-02", "memo": "income \(index)", "preparer": "Li Na",
             "lines": [{"account": "340121:1002", "debit": "\(index).01"}, {"account": "340121:6001", "credit": "\(index).01"}]}
            """
        }
        try cli.run(["post", "--data", cli.path("340121"), try cli.writeVouchers("many.json", "[" + vouchers.joined(separator: ",") + "]")])
        try cli.run(["export", "--data", cli.path("340121"), "--to", cli.path("up")])
        let batch = try cli.files(in: "up")[0]
        try FileManager.default.copyItem(atPath: cli.path("hub"), toPath: cli.path("clean-hub"))
        try cli.run(["import", "--data", cli.path("clean-hub"), batch])

        var generator = SeededGenerator(seed: 11)
        var kills = 0
        for attempt in 1...40 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["import", "--data", cli.path("hub"), batch]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let delay = UInt32.random(in: 5_000...250_000, using: &generator)
            usleep(delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                continue
            }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "attempt \(attempt) exited \(process.terminationStatus)")
            break
        }
        try cli.run(["import", "--data", cli.path("hub"), batch])  // completes or reports "already applied"
        try cli.run(["verify", "--data", cli.path("hub")])
        #expect(try cli.balances("hub") == cli.balances("clean-hub"), "after \(kills) kill(s)")
        #expect(try cli.versionVector("hub") == cli.versionVector("clean-hub"))
        let status = try cli.json(["status", "--data", cli.path("hub"), "--json"])
        #expect(status["pending"] as? Int == 0 && status["vouchers"] as? Int == 3_000)
        #expect(kills > 0, "the import was never interrupted: make the batch larger or the delays shorter")
    }
}
