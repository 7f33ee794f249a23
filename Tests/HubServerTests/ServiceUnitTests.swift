import Foundation
import SyncTesting
import Testing

/// 8, item 3: every systemd unit of `Nodes/systemd/` is hardened to an exposure of at most 3.0 by
/// `systemd-analyze security --offline=true` (DECISIONS: this works without systemd running, so the test is
/// unconditional), and the timers spread the offices' runs.
@Suite struct ServiceUnitTests {
    static func folder(_ path: String = #filePath) -> URL {
        URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Nodes/systemd")
    }

    @Test func everyServiceIsRatedAtMostThree() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.folder().path).filter { $0.hasSuffix(".service") }.sorted()
        #expect(units.count == 5, "\(units)")
        for unit in units {
            let analysed = try runProcess("/usr/bin/systemd-analyze", ["security", "--offline=true", Self.folder().appendingPathComponent(unit).path])
            let line = analysed.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
            let score = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
            #expect(score != nil && score! <= 3.0, "\(unit): \(line) \(analysed.stderr)")
        }
    }

    @Test func theTimersSpreadTheOfficesAndTheRelayHasOne() throws {
        for timer in ["fundsync-sync.timer", "fundsync-relay.timer"] {
            let text = try String(contentsOf: Self.folder().appendingPathComponent(timer), encoding: .utf8)
            #expect(text.contains("RandomizedDelaySec=") && text.contains("OnUnitActiveSec="), "\(timer)")
        }
    }
}
