import Foundation
import SyncTesting
import Testing

/// 8, item 2: with `--log-format json`, `export` and `import` write one JSON log line per file with its counts on
/// standard error, for a log collector, and keep their usual words on standard output.
@Suite struct OperationLogTests {
    static func lines(_ text: String) -> [[String: String]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
    }

    @Test func exportAndImportLogOneJSONLinePerFileWithItsCounts() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-oplog"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let exported = try cli.run(["export", "--data", cli.path("hub"), "--to", cli.path("down1"), "--log-format", "json"])
        let written = Self.lines(exported.stderr)
        #expect(written.count == 1 && written[0]["message"] == "export" && written[0]["office"] == "340000"
                && written[0]["level"] == "info" && Int(written[0]["bytes"] ?? "") ?? 0 > 0, "\(exported.stderr)")
        #expect(exported.stdout.contains(".fsb"), "the usual output stays on standard output")
        let imported = try cli.run(["import", "--data", cli.path("340121"), cli.path("down1"), "--log-format", "json"])
        let read = Self.lines(imported.stderr)
        // The hub sends again what the county has not acknowledged yet: applied before, so nothing new.
        #expect(read.count == 1 && read[0]["message"] == "import" && ["applied", "already-applied"].contains(read[0]["result"] ?? "")
                && read[0]["rejected"] == "0" && read[0]["applied"] != nil && read[0]["file"] == written[0]["file"], "\(imported.stderr)")
        let plain = try cli.run(["import", "--data", cli.path("340121"), cli.path("down1")])
        #expect(plain.stderr.isEmpty, "without the option nothing more is written")
        // A city relay carrying the file on: one line per file moved, and the run's counts.
        let relayed = try cli.run(["relay", "--from", cli.path("down1"), "--to", cli.path("carried"), "--log-format", "json"])
        let carried = Self.lines(relayed.stderr)
        #expect(carried.count == 2 && carried[0]["event"]?.hasPrefix("moved ") == true && carried[1]["relayed"] == "1"
                && carried[1]["problems"] == "0", "\(relayed.stderr)")
    }

    /// Every verb's errors follow `FUNDSYNC_LOG_FORMAT=json`: one JSON line with the words and the exit status, the exit
    /// status itself unchanged; without it, the words as before.
    @Test func everyVerbsErrorIsOneJSONLineUnderTheJSONFormat() throws {
        let missing = try runProcess("/usr/bin/env", ["FUNDSYNC_LOG_FORMAT=json", CLI.binary, "balances", "--data", "/nonexistent/office"])
        let line = Self.lines(missing.stderr)
        #expect(missing.status == 1 && line.count == 1 && line[0]["level"] == "error" && line[0]["exit_status"] == "1"
                && line[0]["command"] == "balances" && line[0]["message"]?.contains("no FundSync replica") == true, "\(missing.stderr)")
        let usage = try runProcess("/usr/bin/env", ["FUNDSYNC_LOG_FORMAT=json", CLI.binary, "post"])
        #expect(usage.status == 64 && Self.lines(usage.stderr).first?["message"]?.contains("--data") == true, "\(usage.stderr)")
        let plain = try runProcess(CLI.binary, ["balances", "--data", "/nonexistent/office"])
        #expect(plain.status == 1 && plain.stderr.hasPrefix("Error: no FundSync replica"), "\(plain.stderr)")
    }
}
