import BatchWire
import Foundation
import GRDB
import HubCore
import HubPostgres
import LedgerCore
import ReplicaStore

/// `fundsync-bench postgres URL[,STANDBY_URL] [CHANGES]`: the hub's two stores side by side in one run, on the same
/// rows (issue 11 item 6).
///
/// - **The write ceiling** of the hub's import on each store: the rows the hub writes per voucher change (one
///   change-log row with the record bytes, the voucher, two lines), in one transaction and in transactions of 100
///   changes (what small batches cost: one durable commit each). SQLite: cached prepared statements, `synchronous =
///   FULL`. PostgreSQL: multi-row `INSERT`s (one round trip per statement) and, to show what a row-at-a-time store
///   would cost, one statement per row.
/// - **`hub migrate-store`** of the whole benchmark hub: the copy, the check, the copy back.
/// Each PostgreSQL figure is measured against every server given: a primary alone, and a primary with a synchronous
/// standby (`Scripts/pg-cluster standby`).
enum PostgresBenchmark {
    static func run(urls: [String], changeCount: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("FundSync PostgreSQL benchmark: \(changeCount) vouchers of 2 lines each; servers: \(urls.joined(separator: " | "))")
        let (hub, node) = try Benchmark.setUp(root: root)
        try Benchmark.post(changeCount, at: node)
        let files = try node.export(to: root.appendingPathComponent("carried"))
        let envelope = try BatchEnvelope.parse(BatchFiles.read(files[0]))
        let changes = try envelope.decodeChanges()
        let vouchers = try changes.map { try Voucher(key: $0.change.key, fields: $0.change.fields) }
        let importSeconds = Benchmark.measure { _ = hub.exchange.importFiles(files) }
        Benchmark.say(Benchmark.row("SQLite: hub import (the hub's apply)", "\(Benchmark.rate(changeCount, importSeconds)) changes/s",
                                    "(\(Benchmark.seconds(importSeconds)) s, one batch)"))

        let whole = try sqliteCeiling(root: root, name: "whole", changes: changes, vouchers: vouchers, perTransaction: changeCount)
        Benchmark.say(Benchmark.row("SQLite: ceiling, one transaction", "\(Benchmark.rate(changeCount, whole)) changes/s", "(\(Benchmark.seconds(whole)) s)"))
        let small = try sqliteCeiling(root: root, name: "small", changes: changes, vouchers: vouchers, perTransaction: 100)
        Benchmark.say(Benchmark.row("SQLite: ceiling, 100 changes/txn", "\(Benchmark.rate(changeCount, small)) changes/s", "(\(Benchmark.seconds(small)) s)"))

        let rows = hubRows(changes: changes, vouchers: vouchers)
        for url in urls {
            let server = try PostgresSettings(url)
            let admin = try PostgresLink.connect(server)
            // A server that commits synchronously to a standby says so in `synchronous_standby_names`.
            let standby = try admin.rows("SHOW synchronous_standby_names").first?.first
            let label = standby == .text("") || standby == nil ? "PG" : "PG, sync standby"
            func freshDatabase(_ body: (PostgresLink) throws -> Void) throws {
                let name = "fundsync_bench_\(UInt32.random(in: 0...UInt32.max))"
                try admin.execute("CREATE DATABASE \(name)")
                let link = try PostgresLink.connect(server.database(name))
                defer {
                    link.close()
                    do { try admin.execute("DROP DATABASE IF EXISTS \(name)") } catch { Benchmark.warn("could not drop \(name): \(error)") }
                }
                try body(link)
            }
            // The hub's schema, from an empty hub replica copied over.
            let empty = try ReplicaStore.create(path: root.appendingPathComponent("empty-\(UUID().uuidString).sqlite").path, role: .hub,
                                                org: OrgCode("340000")!, clock: Benchmark.LiveClock())
            for (title, perTransaction, perRow) in [("one transaction", changeCount, false), ("100 changes/txn", 100, false),
                                                     ("100/txn, row per statement", 100, true)] {
                try freshDatabase { link in
                    _ = try HubStoreCopy.copy(from: empty, to: link)
                    let seconds = try Benchmark.measure { try postgresCeiling(link, rows: rows, perTransaction: perTransaction, perRow: perRow) }
                    Benchmark.say(Benchmark.row("\(label): ceiling, \(title)", "\(Benchmark.rate(changeCount, seconds)) changes/s",
                                                "(\(Benchmark.seconds(seconds)) s)"))
                }
            }
            try freshDatabase { link in
                var summary: HubStoreCopy.Summary?
                let copySeconds = try Benchmark.measure { summary = try HubStoreCopy.copy(from: hub.store, to: link) }
                let total = summary?.totalRows ?? 0
                Benchmark.say(Benchmark.row("\(label): migrate-store copy", "\(Benchmark.rate(total, copySeconds)) rows/s",
                                            "(\(Benchmark.seconds(copySeconds)) s, \(total) rows)"))
                var passed = false
                let checkSeconds = try Benchmark.measure { passed = try HubStoreCheck.compare(hub.store, link).passed }
                precondition(passed, "the check of the copy failed")
                Benchmark.say(Benchmark.row("\(label): migrate-store check", "\(Benchmark.rate(total * 2, checkSeconds)) rows/s",
                                            "(\(Benchmark.seconds(checkSeconds)) s, both stores read and fingerprinted)"))
                let back = root.appendingPathComponent("back-\(UUID().uuidString).sqlite").path
                let backSeconds = try Benchmark.measure { _ = try HubStoreCopy.copy(from: link, toReplicaAt: back) }
                Benchmark.say(Benchmark.row("\(label): migrate-store copy back", "\(Benchmark.rate(total, backSeconds)) rows/s",
                                            "(\(Benchmark.seconds(backSeconds)) s)"))
            }
        }
    }

    /// The rows per change, table by table, as the hub writes them.
    struct HubRows {
        var log: [[StoreValue]] = []
        var voucher: [[StoreValue]] = []
        var lines: [[StoreValue]] = []
    }

    static let logColumns = ["origin", "counter", "tbl", "key", "op", "business_date", "created_at_ms", "record", "received_from", "rejected"]
    static let voucherColumns = ["id", "org", "date", "currency", "memo", "preparer", "reverses", "origin", "counter"]
    static let lineColumns = ["voucher_id", "line_no", "account", "side", "amount"]

    static func hubRows(changes: [DecodedChange], vouchers: [Voucher]) -> [HubRows] {
        zip(changes, vouchers).map { item, voucher in
            let change = item.change
            var rows = HubRows()
            rows.log = [[.text(change.id.origin.rawValue), .integer(Int64(change.id.counter)), .text(change.table), .text(change.key), .integer(1),
                         .text(change.businessDate), .integer(change.createdAtMilliseconds), .blob(Data(item.record)), .text("340122"), .integer(0)]]
            rows.voucher = [[.text(voucher.id), .text(voucher.org.rawValue), .text(voucher.date.description), .text(voucher.currency.code),
                             .text(voucher.memo), .text(voucher.preparer), voucher.reverses.map(StoreValue.text) ?? .null,
                             .text(change.id.origin.rawValue), .integer(Int64(change.id.counter))]]
            rows.lines = voucher.lines.enumerated().map { index, entry in
                [.text(voucher.id), .integer(Int64(index + 1)), .text(entry.account), .text(entry.side.rawValue), .integer(entry.amount.value)]
            }
            return rows
        }
    }

    static func postgresCeiling(_ link: PostgresLink, rows: [HubRows], perTransaction: Int, perRow: Bool) throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perTransaction)]
            try link.transaction {
                let log = chunk.flatMap(\.log), voucher = chunk.flatMap(\.voucher), lines = chunk.flatMap(\.lines)
                if perRow {
                    for row in log { try link.insert([row], into: "change_log", columns: logColumns) }
                    for row in voucher { try link.insert([row], into: "voucher", columns: voucherColumns) }
                    for row in lines { try link.insert([row], into: "voucher_line", columns: lineColumns) }
                } else {
                    try link.insert(log, into: "change_log", columns: logColumns)
                    try link.insert(voucher, into: "voucher", columns: voucherColumns)
                    try link.insert(lines, into: "voucher_line", columns: lineColumns)
                }
            }
            start += perTransaction
        }
    }

    static func sqliteCeiling(root: URL, name: String, changes: [DecodedChange], vouchers: [Voucher], perTransaction: Int) throws -> Double {
        let pool = try SessionExtensionPeer.replica(at: root.appendingPathComponent("ceiling-\(name).sqlite").path)
        return try Benchmark.measure {
            var start = 0
            while start < changes.count {
                let end = min(changes.count, start + perTransaction)
                try pool.write { db in
                    try SessionExtensionPeer.insertHubRows(db, changes: Array(changes[start..<end]), vouchers: Array(vouchers[start..<end]))
                }
                start = end
            }
        }
    }
}
