import BatchWire
import Foundation
import GRDB
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// `fundsync-bench`: measures posting at a node, sealing and applying one large batch at the hub, bytes per
/// change on the wire, and — on the same rows, in the same run — the rate at which plain SQLite prepared
/// statements insert them (the ceiling). Run through `Scripts/bench` (release build).
@main
struct Benchmark {
    struct LiveClock: WallClock {
        func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "load" {
            return await BenchLoad.main(Array(arguments.dropFirst(2)))
        }
        if arguments.count > 1, arguments[1] == "signatures" {
            return try SignatureBenchmark.run(count: arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000)
        }
        if arguments.count > 1, arguments[1] == "province" {
            return try ProvinceBenchmark.run(days: arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1,
                                             vouchersPerDay: arguments.count > 3 ? Int(arguments[3]) ?? 500_000 : 500_000,
                                             budgetUnitCount: arguments.count > 4 ? Int(arguments[4]) ?? 26_000 : 26_000)
        }
        if arguments.count > 1, arguments[1] == "catchup" {
            return try await CatchUpBenchmark.run(days: arguments.count > 2 ? Int(arguments[2]) ?? 30 : 30,
                                                  vouchersPerDay: arguments.count > 3 ? Int(arguments[3]) ?? 5_000 : 5_000)
        }
        if arguments.count > 1, arguments[1] == "upgrade" {
            return try UpgradeBenchmark.run(changeCount: arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000)
        }
        if arguments.count > 2, arguments[1] == "store-of-record" {
            return try StoreOfRecordBenchmark.run(urls: arguments[2].split(separator: "|").map(String.init),
                                                  changeCount: arguments.count > 3 ? Int(arguments[3]) ?? 50_000 : 50_000,
                                                  dayVouchers: arguments.count > 4 ? Int(arguments[4]) ?? 100_000 : 100_000)
        }
        if arguments.count > 2, arguments[1] == "postgres" {
            return try PostgresBenchmark.run(urls: arguments[2].split(separator: "|").map(String.init),
                                             changeCount: arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000)
        }
        if arguments.count > 1, arguments[1] == "nodes" {
            let counts = (arguments.count > 2 ? arguments[2] : "100,1000,3000").split(separator: ",").compactMap { Int($0) }
            return try ScaleBenchmark.run(nodeCounts: counts)
        }
        if arguments.count > 1, arguments[1] == "reconcile" {
            let nodes = arguments.count > 2 ? Int(arguments[2]) ?? 1_000 : 1_000
            let vouchers = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
            return try ReconciliationBenchmark.run(nodes: nodes, vouchers: vouchers)
        }
        let changeCount = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("FundSync benchmark: \(changeCount) vouchers of 2 lines each, one batch; data in \(root.path)")
        let (hub, node) = try setUp(root: root)
        let postSeconds = try measure { try post(changeCount, at: node) }
        Benchmark.say(row("post at node", "\(rate(changeCount, postSeconds)) vouchers/s", "(\(seconds(postSeconds)) s, 1,000 vouchers per post)"))
        var files: [URL] = []
        let exportSeconds = try measure { files = try node.export(to: root.appendingPathComponent("carried")) }
        let fileBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? NSNumber)?.intValue ?? 0) }
        let envelope = try BatchEnvelope.parse(BatchFiles.read(files[0]))
        Benchmark.say(row("export (seal) at node", "\(rate(changeCount, exportSeconds)) changes/s", "(\(seconds(exportSeconds)) s, \(files.count) file)"))
        Benchmark.say(row("bytes per change on the wire", String(format: "%.1f B", Double(fileBytes) / Double(changeCount)),
                  "(\(envelope.header.payloadSizeBytes / UInt32(changeCount)) B uncompressed; file \(fileBytes) B)"))
        var applied = 0
        let importSeconds = measure {
            let outcomes = hub.exchange.importFiles(files)
            for case .received(_, _, let outcome) in outcomes { applied += outcome.applied }
        }
        precondition(applied == changeCount, "hub applied \(applied) of \(changeCount)")
        Benchmark.say(row("hub import (verify+decode+validate+apply)", "\(rate(changeCount, importSeconds)) changes/s", "(\(seconds(importSeconds)) s)"))
        let ceilingSeconds = try plainSQLiteCeiling(root: root, records: envelope)
        Benchmark.say(row("plain SQLite insert of the same rows", "\(rate(changeCount, ceilingSeconds)) changes/s",
                  "(\(seconds(ceilingSeconds)) s; 1 change-log + 1 voucher + 2 line rows per change)"))
        Benchmark.say(row("hub / plain SQLite", String(format: "%.2f", ceilingSeconds / importSeconds), ""))
        let peer = try SessionExtensionPeer.run(root: root, records: envelope)
        Benchmark.say(row("session extension apply of the same rows", "\(rate(changeCount, peer.applySeconds)) changes/s",
                          "(\(seconds(peer.applySeconds)) s; \(peer.rowCount) rows, changeset \(peer.changesetBytes) B, captured in \(seconds(peer.captureSeconds)) s)"))
        Benchmark.say(row("hub / session extension", String(format: "%.2f", peer.applySeconds / importSeconds),
                          "(per voucher line = per change, 2 lines each; target >= 0.50)"))
        let problems = try hub.verify()
        precondition(problems.isEmpty, "hub verify failed: \(problems)")
    }

    /// - Parameter attach: connects the new hub to a store of record before anything else is written.
    static func setUp(root: URL, attach: ((ReplicaStore) throws -> Void)? = nil) throws -> (Hub, Node) {
        let clock = LiveClock()
        let hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: OrgCode("340000")!,
                                     name: "Anhui", clock: clock)
        try attach?(hub.store)
        let county = OrgCode("340122")!
        let node = try Node.initialize(directory: DataDirectory(root.appendingPathComponent("340122").path), org: county,
                                       hubKeyPEM: hub.signingKey.publicKey.pem, clock: clock)
        try hub.enroll(org: county, parent: hub.org, name: "Feidong", level: .county, publicKeyPEM: node.signingKey.publicKey.pem)
        for code in ["1002", "6001"] {
            try hub.putAccount(AccountRecord(id: "340122:\(code)", org: county, kind: .subject, code: code, name: code, currency: .cny,
                                             status: .active))
        }
        let down = try hub.export(to: root.appendingPathComponent("down"))
        _ = node.exchange.importFiles(down)
        try deliverAnnouncement(of: node, to: hub, root: root)
        return (hub, node)
    }

    /// Carries the node's release announcement (§6.28) to the hub and the acknowledgement back, so that a measured
    /// batch holds only the changes it measures.
    static func deliverAnnouncement(of node: Node, to hub: Hub, root: URL) throws {
        try node.announceRelease()
        _ = hub.exchange.importFiles(try node.export(to: root.appendingPathComponent("announce-\(node.org)")))
        _ = node.exchange.importFiles(try hub.export(to: root.appendingPathComponent("announce-ack-\(node.org)")))
    }

    static func post(_ count: Int, at node: Node) throws {
        let bank = "\(node.org.rawValue):1002", income = "\(node.org.rawValue):6001"
        var posted = 0
        while posted < count {
            let chunk = min(1_000, count - posted)
            let drafts = (0..<chunk).map { index in
                let amount = "\(1 + (posted + index) % 99_999).\((posted + index) % 100 < 10 ? "0" : "")\((posted + index) % 100)"
                return VoucherDraft(date: "2026-11-02", memo: "income advice \(posted + index)", preparer: "Wang Fang", lines: [
                    .init(account: bank, debit: amount), .init(account: income, credit: amount),
                ])
            }
            try node.post(drafts)
            posted += chunk
        }
    }

    /// Inserts the rows the hub writes for each change (change log with the record bytes, voucher, two lines) with
    /// cached prepared statements in one transaction, into a fresh replica with the same schema and pragmas.
    static func plainSQLiteCeiling(root: URL, records envelope: BatchEnvelope) throws -> Double {
        let changes = try envelope.decodeChanges()
        let vouchers = try changes.map { try Voucher(key: $0.change.key, fields: $0.change.fields) }
        // The replica's schema comes from ReplicaStore itself; the inserts then go through a GRDB pool of our own on
        // that file with the replica's pragmas (WAL, synchronous = FULL, foreign keys), since the store's own
        // connection is not public (`SessionExtensionPeer.replica`).
        let pool = try SessionExtensionPeer.replica(at: root.appendingPathComponent("ceiling.sqlite").path)
        return try measure {
            try pool.write { db in try SessionExtensionPeer.insertHubRows(db, changes: changes, vouchers: vouchers) }
        }
    }

    /// Writes a line at once (unbuffered), so a long run shows its progress even when its output is a file.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// One line on standard error.
    static func warn(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        let value = Int((Double(count) / seconds).rounded())
        var text = String(value), grouped = ""
        while text.count > 3 { grouped = "," + text.suffix(3) + grouped; text = String(text.dropLast(3)) }
        return text + grouped
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }

    static func row(_ label: String, _ value: String, _ note: String) -> String {
        label.padding(toLength: 44, withPad: " ", startingAt: 0) + value.padding(toLength: 20, withPad: " ", startingAt: 0) + note
    }
}
