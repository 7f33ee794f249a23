import Foundation
import Logging
import ReplicaStore

/// PostgreSQL as the hub's store of record (`StoreMirror`): each write transaction of the hub's working copy is
/// committed here first, in one PostgreSQL transaction, under an explicit row lock (DESIGN §7.3).
///
/// **One transaction.** `commit` runs `BEGIN`, locks the stamp row (`SELECT … FROM meta WHERE key = 'store.commit' FOR
/// UPDATE`: the single writer SQLite gave for free, made explicit, across processes and machines), checks that the
/// database holds the stamp the working copy started from, deletes the rows the transaction deleted and writes the
/// rows it touched as multi-row upserts (one statement per table and 1,000 rows, not one per row: the benchmark's
/// lesson, ~260 µs a round trip), moves the identity counters, and commits. Nothing else writes the hub's tables.
///
/// **Failover.** The link is made from a multi-host string (`target_session_attrs=read-write`). A statement that
/// fails on the connection drops the link and fails the transaction (SQLite rolls back; the node retries its
/// batch); the next transaction connects again and finds the promoted standby. A `COMMIT` whose answer never came is
/// the one uncertain case: the transaction is kept, and before the next write `catchUp` asks the database which
/// stamp it holds — the kept one (it committed: the working copy applies it too) or the one before (it did not).
public final class PostgresStoreOfRecord: StoreMirror, @unchecked Sendable {
    // @unchecked: every member is used under `lock`.
    private let lock = NSLock()
    private let settings: PostgresSettings
    private let logger: Logger
    private var link: PostgresLink?
    private var uncertain: MirroredTransaction?
    /// Transactions committed, and reconnections made, since the hub opened (for status and tests).
    public private(set) var committedTransactions = 0
    public private(set) var reconnections = 0

    /// - Parameter link: an open link to use first (the one `HubStoreOfRecord.open` checked with).
    public init(settings: PostgresSettings, link: PostgresLink? = nil, logger: Logger = Logger(label: "fundsync.postgres")) {
        self.settings = settings
        self.link = link
        self.logger = logger
    }

    /// The host the store of record is connected to now, if connected.
    public var currentHost: String? { lock.withLock { link.map { "\($0.host)" } } }

    public func commit(_ transaction: MirroredTransaction) throws {
        try lock.withLock {
            let link = try connected()
            do {
                try link.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                let held = try Self.stamp(link, lockingIt: true)
                guard held == transaction.stampBefore else {
                    throw PostgresStoreError.storeOfRecordMoved(held: held, workingCopy: transaction.stampBefore)
                }
                for change in transaction.tables.reversed() { try Self.delete(change.keysToDelete, from: change.table, link) }
                for change in transaction.tables where !change.rows.isEmpty {
                    if change.replacesRows {
                        try link.insert(change.rows, into: change.table.name, columns: change.table.columns.map(\.name))
                    } else {
                        try Self.upsert(change, link)
                    }
                }
                for (table, counter) in transaction.autoincrementSeeds.sorted(by: { $0.key < $1.key }) where counter.seed > 0 {
                    try link.execute("SELECT setval(pg_get_serial_sequence($1, $2), $3)", [.text(table), .text(counter.column), .integer(counter.seed)])
                }
            } catch {
                abandon(link, after: error)
                throw error
            }
            do {
                try link.execute("COMMIT")
                committedTransactions += 1
            } catch PostgresStoreError.server(let state, let message, let statement) {
                // The server answered: it did not commit (a deferred check, a serialization failure).
                throw PostgresStoreError.server(sqlState: state, message: message, statement: statement)
            } catch {
                uncertain = transaction
                drop(link)
                throw PostgresStoreError.commitOutcomeUnknown("\(error)")
            }
        }
    }

    public func catchUp(workingCopyStamp: Int64) throws -> MirroredTransaction? {
        try lock.withLock {
            guard let pending = uncertain else { return nil }
            let link = try connected()
            let held = try Self.stamp(link, lockingIt: false)
            uncertain = nil
            if held == pending.stamp && pending.stampBefore == workingCopyStamp {
                logger.notice("the commit whose answer was lost did commit (stamp \(held)); applying it to the working copy")
                return pending
            }
            if held == workingCopyStamp { return nil }
            throw PostgresStoreError.storeOfRecordMoved(held: held, workingCopy: workingCopyStamp)
        }
    }

    /// The stamp the database holds (0 when the row is missing).
    public func heldStamp() throws -> Int64 {
        try lock.withLock { try Self.stamp(try connected(), lockingIt: false) }
    }

    /// Closes the connection (the hub stops).
    public func close() {
        lock.withLock {
            link?.close()
            link = nil
        }
    }

    private func connected() throws -> PostgresLink {
        if let link { return link }
        let fresh = try PostgresLink.connect(settings, logger: logger)
        reconnections += 1
        logger.notice("store of record: connected to \(fresh.host)")
        link = fresh
        return fresh
    }

    /// After a failed statement: roll back if the connection still works, else forget it (the next write reconnects).
    private func abandon(_ link: PostgresLink, after error: any Error) {
        if case PostgresStoreError.connection = error {
            drop(link)
            return
        }
        do { try link.execute("ROLLBACK") } catch { drop(link) }
    }

    private func drop(_ link: PostgresLink) {
        link.close()
        if self.link === link { self.link = nil }
    }

    static func stamp(_ link: PostgresLink, lockingIt: Bool) throws -> Int64 {
        let rows = try link.rows("SELECT value FROM meta WHERE key = $1" + (lockingIt ? " FOR UPDATE" : ""), [.text(ReplicaStore.commitStampKey)])
        guard let first = rows.first?.first else {
            throw PostgresStoreError.unsupportedSchema("the database's meta table has no \(ReplicaStore.commitStampKey) row: it was not made by hub init --store or migrate-store")
        }
        guard case .text(let text) = first, let stamp = Int64(text) else {
            throw PostgresStoreError.unexpectedValue("meta \(ReplicaStore.commitStampKey) holds \(first.canonicalText.prefix(40))")
        }
        return stamp
    }

    static func delete(_ keys: [[StoreValue]], from table: StoreTableDefinition, _ link: PostgresLink) throws {
        guard !keys.isEmpty else { return }
        let key = table.rowKey
        guard !key.isEmpty else { throw PostgresStoreError.unsupportedSchema("\(table.name) has no key to delete rows by") }
        let perStatement = max(1, 30_000 / key.count)
        var start = 0
        while start < keys.count {
            let slice = keys[start..<min(keys.count, start + perStatement)]
            var values: [StoreValue] = []
            var tuples: [String] = []
            for keyValues in slice {
                let base = values.count
                tuples.append("(" + (1...key.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                values += keyValues
            }
            try link.execute("DELETE FROM \(sqlQuoted(table.name)) WHERE (\(key.map(sqlQuoted).joined(separator: ", "))) IN (\(tuples.joined(separator: ", ")))", values)
            start += perStatement
        }
    }

    static func upsert(_ change: MirroredTableChange, _ link: PostgresLink) throws {
        let table = change.table
        let key = table.rowKey
        guard !key.isEmpty else { throw PostgresStoreError.unsupportedSchema("\(table.name) has no key to write rows by") }
        let settable = table.columns.map(\.name).filter { !key.contains($0) && !change.frozenColumns.contains($0) }
        let onConflict: String
        if settable.isEmpty {
            onConflict = "DO NOTHING"
        } else {
            // Only a row that differs is updated: a row touched by an undone change is left alone (and an
            // immutability trigger does not see an update that changes nothing).
            let assignments = settable.map { "\(sqlQuoted($0)) = EXCLUDED.\(sqlQuoted($0))" }.joined(separator: ", ")
            let current = settable.map { "target.\(sqlQuoted($0))" }.joined(separator: ", ")
            let incoming = settable.map { "EXCLUDED.\(sqlQuoted($0))" }.joined(separator: ", ")
            onConflict = "DO UPDATE SET \(assignments) WHERE ROW(\(current)) IS DISTINCT FROM ROW(\(incoming))"
        }
        let width = table.columns.count
        let perStatement = max(1, min(1_000, 60_000 / max(1, width)))
        let head = "INSERT INTO \(sqlQuoted(table.name)) AS target (\(table.columns.map { sqlQuoted($0.name) }.joined(separator: ", "))) VALUES "
        let tail = " ON CONFLICT (\(key.map(sqlQuoted).joined(separator: ", "))) " + onConflict
        var start = 0
        while start < change.rows.count {
            let slice = change.rows[start..<min(change.rows.count, start + perStatement)]
            var sql = head
            var values: [StoreValue] = []
            values.reserveCapacity(slice.count * width)
            for (index, row) in slice.enumerated() {
                guard row.count == width else {
                    throw PostgresStoreError.unsupportedSchema("a row of \(table.name) has \(row.count) values for \(width) columns")
                }
                let base = index * width
                sql += (index == 0 ? "(" : ", (") + (1...width).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
                values += row
            }
            try link.execute(sql + tail, values)
            start += perStatement
        }
    }
}
