import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// `fundsync-bench upgrade [CHANGES]` (issue 10): what holding costs the hub. Two counties, one on this release and
/// one on the release before (enrolled so, run as the compatibility writer). The hub writes CHANGES (10,000) business
/// calendar days in one registry change: each goes to the current county at once and is held for the older one. Then
/// the older county upgrades: the hub's import of its next batch, which carries the announcement, queues everything
/// held in the same transaction. Reported: the registry write with and without a held copy (the cost of holding), the
/// import that releases the held changes, and the county's import of them. Every held change must arrive once.
enum UpgradeBenchmark {
    static func run(changeCount: Int) throws {
        guard (1...200_000).contains(changeCount) else { throw BenchError("bounds: CHANGES 1…200000") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("FundSync upgrade: \(changeCount) calendar days written by the hub, held for a county one release behind until it upgrades")
        let clock = Benchmark.LiveClock()
        let hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: OrgCode("340000")!,
                                     name: "Anhui", clock: clock)
        var nodes: [Node] = []
        for (code, release) in [("340121", FundSyncRelease.number), ("340122", FundSyncRelease.oldestReadable)] {
            let org = OrgCode(code)!
            let node = try Node.initialize(directory: DataDirectory(root.appendingPathComponent(code).path), org: org,
                                           hubKeyPEM: hub.signingKey.publicKey.pem, clock: clock)
            try hub.enroll(org: org, parent: hub.org, name: code, level: .county, publicKeyPEM: node.signingKey.publicKey.pem, release: release)
            nodes.append(node.running(asRelease: release))
        }
        try deliver(from: hub, to: nodes, root: root, round: "registry")
        let days = (0..<changeCount).map { index in
            CalendarDay(date: BusinessDate.fromDaysSinceEpoch(BusinessDate("2027-01-01")!.daysSinceEpoch + index), kind: .holiday, name: "day \(index)")
        }
        let writeSeconds = try Benchmark.measure { try hub.putCalendar(days) }
        let held = try hub.storage.heldChanges(for: nodes[1].org).count
        precondition(held == changeCount, "held \(held) of \(changeCount)")
        Benchmark.say(Benchmark.row("hub writes, queues for one, holds for one", "\(Benchmark.rate(changeCount, writeSeconds)) changes/s",
                                    "(\(Benchmark.seconds(writeSeconds)) s for \(changeCount) changes, each queued for 340121 and held for 340122)"))
        let baselineDays = days.map { CalendarDay(date: $0.date, kind: .holiday, name: $0.name + " (renamed)") }
        try deliver(from: hub, to: nodes, root: root, round: "first")
        // The older county upgrades; its next batch announces the release.
        let upgraded = nodes[1].running(asRelease: FundSyncRelease.number)
        let up = try upgraded.export(to: root.appendingPathComponent("announce"))
        var released = 0
        let releaseSeconds = Benchmark.measure {
            for case .received(_, _, let outcome) in hub.exchange.importFiles(up) { released += outcome.applied }
        }
        let stillHeld = try hub.storage.heldChanges(for: nil).count
        precondition(stillHeld == 0, "\(stillHeld) stayed held")
        Benchmark.say(Benchmark.row("hub import of the announcement", "\(Benchmark.rate(changeCount, releaseSeconds)) changes/s",
                                    "(\(Benchmark.seconds(releaseSeconds)) s: \(released) change applied, \(changeCount) held changes queued)"))
        // The same write again, now that both counties run this release: nothing is held (the cost of holding is the difference).
        let plainSeconds = try Benchmark.measure { try hub.putCalendar(baselineDays) }
        Benchmark.say(Benchmark.row("the same write, nothing held", "\(Benchmark.rate(changeCount, plainSeconds)) changes/s",
                                    "(\(Benchmark.seconds(plainSeconds)) s, queued for both counties)"))
        let down = try hub.export(to: root.appendingPathComponent("released"))
        var applied = 0
        let nodeSeconds = Benchmark.measure {
            for file in down where file.lastPathComponent.contains("-to-340122-") {
                for case .received(_, _, let outcome) in upgraded.exchange.importFiles([file]) { applied += outcome.applied }
            }
        }
        precondition(applied == 2 * changeCount, "the upgraded county applied \(applied) of \(2 * changeCount)")
        Benchmark.say(Benchmark.row("upgraded county imports what was held", "\(Benchmark.rate(applied, nodeSeconds)) changes/s",
                                    "(\(Benchmark.seconds(nodeSeconds)) s: the \(changeCount) held days, then the \(changeCount) rewritten)"))
        let problems = try hub.verify() + upgraded.verify()
        precondition(problems.isEmpty, "verify: \(problems)")
    }

    static func deliver(from hub: Hub, to nodes: [Node], root: URL, round: String) throws {
        let files = try hub.export(to: root.appendingPathComponent("down-\(round)"))
        for node in nodes {
            _ = node.exchange.importFiles(files.filter { $0.lastPathComponent.contains("-to-\(node.org.rawValue)-") })
        }
    }
}
