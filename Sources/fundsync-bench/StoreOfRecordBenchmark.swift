import BatchExchange
import BatchWire
import Foundation
import HubCore
import HubPostgres
import LedgerCore
import NodeAgent
import ReplicaStore

/// `fundsync-bench store-of-record URL[|STANDBY_URL] [CHANGES] [DAY_VOUCHERS]`: the hub on SQLite alone and on a
/// PostgreSQL store of record, side by side in one run (issue 11 item 6), for
/// - **hub apply**: one batch of CHANGES voucher changes (default 50,000) imported by the hub;
/// - **group-committed small batches**: 40 counties × 5 rounds of batches of 10 vouchers, applied 40 to a transaction
///   (`BatchExchange.perform`, what `hub serve` does with concurrent uploads), and, to compare, one transaction each;
/// - **the province day** (`fundsync-bench province 1 DAY_VOUCHERS 2600`: 121 nodes, 2,600 budget units, one day of
///   DAY_VOUCHERS vouchers (default 100,000), then the incremental and full reconciliation).
/// Each PostgreSQL figure is measured against every server given (a primary alone; a primary with a synchronous
/// standby), each time into a new database, which is checked equal to the hub's working copy at the end.
enum StoreOfRecordBenchmark {
    static func run(urls: [String], changeCount: Int, dayVouchers: Int) throws {
        Benchmark.say("FundSync store-of-record benchmark: \(changeCount) changes in one batch; 40 × 5 batches of 10; a province day of \(dayVouchers) vouchers; servers: \(urls.joined(separator: " | "))")
        var stores: [(label: String, server: PostgresSettings?)] = [("SQLite", nil)]
        // Labels short enough for the table's first column.
        for url in urls {
            let server = try PostgresSettings(url)
            let admin = try PostgresLink.connect(server)
            let standby = try admin.rows("SHOW synchronous_standby_names").first?.first
            admin.close()
            stores.append((standby == .text("") || standby == nil ? "PG" : "PG+standby", server))
        }
        for store in stores {
            try measure(store.label, server: store.server, changeCount: changeCount, dayVouchers: dayVouchers)
        }
    }

    /// A database of its own for one measurement; `attach` seeds it from the hub and makes it the store of record.
    final class Target {
        let label: String
        let server: PostgresSettings?
        private var admin: PostgresLink?
        private var name: String?
        private(set) var mirror: PostgresStoreOfRecord?

        init(label: String, server: PostgresSettings?) {
            self.label = label
            self.server = server
        }

        func attach(_ store: ReplicaStore) throws {
            guard let server else { return }
            let admin = try PostgresLink.connect(server)
            let name = "fundsync_bench_\(UInt32.random(in: 0...UInt32.max))"
            try admin.execute("CREATE DATABASE \(name)")
            self.admin = admin
            self.name = name
            mirror = try HubStoreOfRecord.seed(store, settings: server.database(name))
        }

        /// Checks the database equals the hub (the benchmark's result is void otherwise), then drops it.
        func finish(_ store: ReplicaStore) throws {
            guard let server, let name, let admin else { return }
            let link = try PostgresLink.connect(server.database(name))
            let check = try HubStoreCheck.compare(store, link)
            link.close()
            precondition(check.passed, "\(label): the store of record differs from the hub: \(check.differences.prefix(5))")
            mirror?.close()
            do { try admin.execute("DROP DATABASE IF EXISTS \(name)") } catch { Benchmark.warn("could not drop \(name): \(error)") }
            admin.close()
        }
    }

    static func measure(_ label: String, server: PostgresSettings?, changeCount: Int, dayVouchers: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-sor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        // Hub apply: one large batch.
        do {
            let target = Target(label: label, server: server)
            let (hub, node) = try Benchmark.setUp(root: root.appendingPathComponent("apply"), attach: target.attach)
            try Benchmark.post(changeCount, at: node)
            let files = try node.export(to: root.appendingPathComponent("apply-carried"))
            var applied = 0
            let seconds = Benchmark.measure {
                for case .received(_, _, let outcome) in hub.exchange.importFiles(files) { applied += outcome.applied }
            }
            precondition(applied == changeCount, "\(label): the hub applied \(applied) of \(changeCount)")
            Benchmark.say(Benchmark.row("\(label): hub apply", "\(Benchmark.rate(changeCount, seconds)) changes/s",
                                        "(\(Benchmark.seconds(seconds)) s, one batch of \(changeCount))"))
            try target.finish(hub.store)
        }

        // Small batches, group-committed and one by one.
        for grouped in [true, false] {
            let target = Target(label: label, server: server)
            let folder = root.appendingPathComponent(grouped ? "group" : "single")
            let (hub, counties) = try smallBatchProvince(root: folder, counties: 40, attach: target.attach)
            var batches: [[UInt8]] = []
            for round in 0..<5 {
                for node in counties {
                    try Benchmark.post(10, at: node)
                    for file in try node.export(to: folder.appendingPathComponent("round-\(round)-\(node.org)")) {
                        batches.append(try BatchFiles.read(file))
                    }
                }
            }
            let changes = batches.count * 10
            var applied = 0
            let seconds = try Benchmark.measure {
                let opened = try batches.enumerated().map { index, bytes -> OpenedBatch in
                    guard case .success(let batch) = try hub.exchange.openBytes(bytes, label: "upload-\(index)") else {
                        preconditionFailure("\(label): a benchmark batch was refused")
                    }
                    return batch
                }
                let groupSize = grouped ? counties.count : 1
                var start = 0
                while start < opened.count {
                    let work = opened[start..<min(opened.count, start + groupSize)].map { GroupedExchangeWork.receive($0) }
                    for case .success(.received(let outcome)) in hub.exchange.perform(work) { applied += outcome.applied }
                    start += groupSize
                }
            }
            precondition(applied == changes, "\(label): the hub applied \(applied) of \(changes) small-batch changes")
            Benchmark.say(Benchmark.row("\(label): \(batches.count)×10, \(grouped ? "40 per txn (group)" : "1 per txn")",
                                        "\(Benchmark.rate(changes, seconds)) changes/s",
                                        "(\(Benchmark.seconds(seconds)) s, \(Benchmark.rate(batches.count, seconds)) batches/s; open + verify + apply)"))
            try target.finish(hub.store)
        }

        // The province day.
        guard dayVouchers > 0 else { return }
        let target = Target(label: label, server: server)
        var provinceHub: ReplicaStore?
        Benchmark.say("\(label): the province day —")
        try ProvinceBenchmark.run(days: 1, vouchersPerDay: dayVouchers, budgetUnitCount: 2_600) { store in
            provinceHub = store
            try target.attach(store)
        } finish: { store in
            try target.finish(store)
        }
        _ = provinceHub
    }

    /// A hub and `counties` nodes that have its registry and have announced their release.
    static func smallBatchProvince(root: URL, counties: Int, attach: (ReplicaStore) throws -> Void) throws -> (Hub, [Node]) {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let clock = Benchmark.LiveClock()
        let hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: OrgCode("340000")!,
                                     name: "Anhui", clock: clock)
        try attach(hub.store)
        var nodes: [Node] = []
        for index in 0..<counties {
            let county = OrgCode("34\(String(format: "%02d", 1 + index / 50))\(String(format: "%02d", 21 + index % 50))")!
            let node = try Node.initialize(directory: DataDirectory(root.appendingPathComponent(county.rawValue).path), org: county,
                                           hubKeyPEM: hub.signingKey.publicKey.pem, clock: clock)
            try hub.enroll(org: county, parent: hub.org, name: "County \(county)", level: .county, publicKeyPEM: node.signingKey.publicKey.pem)
            for code in ["1002", "6001"] {
                try hub.putAccount(AccountRecord(id: "\(county.rawValue):\(code)", org: county, kind: .subject, code: code, name: code,
                                                 currency: .cny, status: .active))
            }
            nodes.append(node)
        }
        let down = try hub.export(to: root.appendingPathComponent("down"))
        for node in nodes {
            _ = node.exchange.importFiles(down.filter { $0.lastPathComponent.contains("-to-\(node.org.rawValue)-") })
            try Benchmark.deliverAnnouncement(of: node, to: hub, root: root)
        }
        return (hub, nodes)
    }
}
