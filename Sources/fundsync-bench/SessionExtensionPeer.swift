import BatchWire
import CSQLiteSession
import Foundation
import GRDB
import LedgerCore
import ReplicaStore

/// A peer that replicates the benchmark's vouchers the way SQLite itself would: the rows are captured with the session
/// extension on one replica file and applied to another with `sqlite3changeset_apply`.
///
/// It exists for issue 5/6 item 4: the hub's apply must reach at least 0.5× this peer's rate per voucher line, measured
/// in the same run. To make the ratio mean something, both sides write the same rows (1 change-log row, 1 voucher,
/// 2 voucher lines per change) into files made by `ReplicaStore.create` with the hub role — so the hub's own tables and
/// indexes — opened with the hub's pragmas: WAL (a `DatabasePool`), `synchronous = FULL`, `foreign_keys = ON`. Only the
/// apply is the peer's figure (BEGIN IMMEDIATE, apply, COMMIT with its fsync); the capture is reported beside it.
enum SessionExtensionPeer {
    /// The tables the hub writes for a voucher change, which the session records.
    static let tables = ["change_log", "voucher", "voucher_line"]

    /// Captures the envelope's vouchers in a source replica, applies the changeset to a fresh target replica and checks
    /// that every row arrived.
    ///
    /// - Returns: `captureSeconds`, the insert transaction with the session attached plus `sqlite3session_changeset`;
    ///   `applySeconds`, BEGIN IMMEDIATE + `sqlite3changeset_apply` + COMMIT on the target; the changeset's size; and
    ///   `rowCount`, the rows applied (change log + voucher + voucher line).
    static func run(root: URL, records envelope: BatchEnvelope) throws
        -> (captureSeconds: Double, applySeconds: Double, changesetBytes: Int, rowCount: Int)
    {
        let changes = try envelope.decodeChanges()
        let vouchers = try changes.map { try Voucher(key: $0.change.key, fields: $0.change.fields) }
        let expected = (log: changes.count, voucher: vouchers.count, line: vouchers.reduce(0) { $0 + $1.lines.count })
        let source = try replica(at: root.appendingPathComponent("session-source.sqlite").path)
        let target = try replica(at: root.appendingPathComponent("session-target.sqlite").path)

        // Capture. The session, the inserts and the changeset must share one connection: the pool's writer.
        var size: Int32 = 0
        var bytes: UnsafeMutableRawPointer?
        let captureSeconds = try source.writeWithoutTransaction { db in
            let connection = try handle(of: db)
            var session: OpaquePointer?
            try check(sqlite3session_create(connection, "main", &session), "sqlite3session_create")
            guard let session else { throw SessionPeerError(description: "sqlite3session_create returned no session") }
            defer { sqlite3session_delete(session) }
            for table in tables {
                try check(sqlite3session_attach(session, table), "sqlite3session_attach(\(table))")
            }
            return try Benchmark.measure {
                try db.inTransaction(.immediate) {
                    try insertHubRows(db, changes: changes, vouchers: vouchers)
                    return .commit
                }
                try check(sqlite3session_changeset(session, &size, &bytes), "sqlite3session_changeset")
            }
        }
        guard let changeset = bytes, size > 0 else { throw SessionPeerError(description: "the session recorded no changes") }
        // Qualified: GRDB's SQLite module declares the same function.
        defer { CSQLiteSession.sqlite3_free(changeset) }

        // Apply. Any conflict (there should be none on a fresh replica) aborts, and the handler reports its kind.
        let abortOnConflict: @convention(c) (UnsafeMutableRawPointer?, Int32, OpaquePointer?) -> Int32 = { context, kind, _ in
            context?.storeBytes(of: kind, as: Int32.self)
            return SQLITE_CHANGESET_ABORT
        }
        let before = try counts(in: target)
        var conflictKind: Int32 = 0
        let applySeconds = try target.writeWithoutTransaction { db in
            let connection = try handle(of: db)
            return try Benchmark.measure {
                try db.inTransaction(.immediate) {
                    let code = withUnsafeMutablePointer(to: &conflictKind) { kind in
                        sqlite3changeset_apply(connection, size, changeset, nil, abortOnConflict, kind)
                    }
                    try check(code, "sqlite3changeset_apply" + (conflictKind == 0 ? "" : " (conflict \(conflictName(conflictKind)))"))
                    return .commit
                }
            }
        }

        let after = try counts(in: target)
        let applied = (log: after.log - before.log, voucher: after.voucher - before.voucher, line: after.line - before.line)
        guard applied == expected else {
            throw SessionPeerError(description: "the target gained \(applied.log) change-log, \(applied.voucher) voucher and "
                + "\(applied.line) voucher_line rows; expected \(expected.log), \(expected.voucher) and \(expected.line)")
        }
        return (captureSeconds, applySeconds, Int(size), expected.log + expected.voucher + expected.line)
    }

    /// Inserts the rows the hub writes for each voucher change, with the same statements as
    /// `Benchmark.plainSQLiteCeiling`, into the current transaction.
    static func insertHubRows(_ db: Database, changes: [DecodedChange], vouchers: [Voucher]) throws {
        let log = try db.cachedStatement(sql: """
            INSERT INTO change_log (origin, counter, tbl, key, op, business_date, created_at_ms, record, received_from, rejected, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)
            """)
        let voucherRow = try db.cachedStatement(sql: """
            INSERT INTO voucher (id, org, date, currency, memo, preparer, reverses, origin, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let line = try db.cachedStatement(sql: "INSERT INTO voucher_line (voucher_id, line_no, account, side, amount) VALUES (?, ?, ?, ?, ?)")
        for (item, voucher) in zip(changes, vouchers) {
            let change = item.change
            try log.execute(arguments: [change.id.origin.rawValue, change.id.counter, change.table, change.key, 1,
                                        change.businessDate, change.createdAtMilliseconds, Data(item.record), "340122"])
            try voucherRow.execute(arguments: [voucher.id, voucher.org.rawValue, voucher.date.description, voucher.currency.code,
                                               voucher.memo, voucher.preparer, voucher.reverses, change.id.origin.rawValue, change.id.counter])
            for (index, entry) in voucher.lines.enumerated() {
                try line.execute(arguments: [voucher.id, index + 1, entry.account, entry.side.rawValue, entry.amount.value])
            }
        }
    }

    /// A fresh hub replica (the hub's schema and indexes, from ReplicaStore itself), reopened through a pool of our own
    /// with the hub's pragmas, as `Benchmark.plainSQLiteCeiling` does: the store's own connection is not public.
    static func replica(at path: String) throws -> DatabasePool {
        _ = try ReplicaStore.create(path: path, role: .hub, org: OrgCode("340000")!, clock: Benchmark.LiveClock())
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// The raw `sqlite3 *` of a GRDB connection, for the session API.
    static func handle(of db: Database) throws -> OpaquePointer {
        guard let connection = db.sqliteConnection else { throw SessionPeerError(description: "the database connection is closed") }
        return connection
    }

    /// The rows of the three tables, to check the apply by difference.
    static func counts(in pool: DatabasePool) throws -> (log: Int, voucher: Int, line: Int) {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM voucher") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM voucher_line") ?? 0)
        }
    }

    /// The name of a conflict kind the handler saw (SQLITE_CHANGESET_DATA … FOREIGN_KEY), for the error.
    static func conflictName(_ kind: Int32) -> String {
        let names = ["DATA", "NOTFOUND", "CONFLICT", "CONSTRAINT", "FOREIGN_KEY"]
        return (1...5).contains(kind) ? "SQLITE_CHANGESET_" + names[Int(kind) - 1] : "kind \(kind)"
    }

    /// Throws unless an SQLite call returned SQLITE_OK (0).
    static func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        throw SessionPeerError(description: "\(call) failed: SQLite result \(ResultCode(rawValue: code))")
    }
}

/// A failed call of the session extension, or an apply that did not bring every row.
struct SessionPeerError: Error, CustomStringConvertible {
    let description: String
}
