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
            // The whole transaction goes as one pipelined run (one wait, not one per statement). Its second statement
            // locks the stamp row and fails (division by zero) unless it holds the stamp this transaction started
            // from, which aborts everything after it; a `COMMIT` of an aborted transaction rolls back.
            var statements: [(sql: String, values: [StoreValue])] = [
                ("BEGIN ISOLATION LEVEL READ COMMITTED", []),
                ("SELECT 1 / COUNT(*) FROM (SELECT 1 FROM meta WHERE key = $1 AND value = $2 FOR UPDATE) AS held",
                 [.text(ReplicaStore.commitStampKey), .text(String(transaction.stampBefore))]),
            ]
            for change in transaction.tables.reversed() { statements += try Self.deleteStatements(change.keysToDelete, from: change.table) }
            for change in transaction.tables where !change.rows.isEmpty {
                statements += try Self.writeStatements(change)
            }
            for (table, counter) in transaction.autoincrementSeeds.sorted(by: { $0.key < $1.key }) where counter.seed > 0 {
                statements.append(("SELECT setval(pg_get_serial_sequence($1, $2), $3)", [.text(table), .text(counter.column), .integer(counter.seed)]))
            }
            statements.append(("COMMIT", []))
            do {
                try link.executeAll(statements)
                committedTransactions += 1
            } catch PostgresStoreError.failedAt(let index, let error) {
                if index == statements.count - 1, case .connection = error {
                    // Everything before COMMIT succeeded and COMMIT got no answer: it may have committed.
                    uncertain = transaction
                    drop(link)
                    throw PostgresStoreError.commitOutcomeUnknown("\(error)")
                }
                if case .connection = error {
                    drop(link)
                    throw error
                }
                if index == 1, case .server(let state, _, _) = error, state == "22012" {
                    let held = (try? Self.stamp(link, lockingIt: false)) ?? -1
                    throw PostgresStoreError.storeOfRecordMoved(held: held, workingCopy: transaction.stampBefore)
                }
                throw error
            } catch {
                // No answer at all within the deadline: which statements ran is unknown, COMMIT among them perhaps.
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

    /// Deletes rows by key, 1,000 keys a statement, joined against a `VALUES` list (an `IN` list of row values that
    /// long exceeds PostgreSQL's parser stack).
    static func deleteStatements(_ keys: [[StoreValue]], from table: StoreTableDefinition) throws -> [(sql: String, values: [StoreValue])] {
        guard !keys.isEmpty else { return [] }
        let key = table.rowKey
        guard !key.isEmpty else { throw PostgresStoreError.unsupportedSchema("\(table.name) has no key to delete rows by") }
        let types = try key.map { name -> String in
            guard let column = table.columns.first(where: { $0.name == name }) else {
                throw PostgresStoreError.unsupportedSchema("\(table.name) has no column \(name)")
            }
            switch column.type {
            case .integer: return "BIGINT"
            case .text: return "TEXT"
            case .blob: return "BYTEA"
            }
        }
        let names = key.map(sqlQuoted)
        let match = names.enumerated().map { "target.\($0.element) = gone.k\($0.offset)" }.joined(separator: " AND ")
        let perStatement = max(1, min(1_000, 30_000 / key.count))
        var statements: [(sql: String, values: [StoreValue])] = []
        var start = 0
        while start < keys.count {
            let slice = keys[start..<min(keys.count, start + perStatement)]
            var values: [StoreValue] = []
            var tuples: [String] = []
            for keyValues in slice {
                let base = values.count
                tuples.append("(" + types.enumerated().map { "$\(base + $0.offset + 1)::\($0.element)" }.joined(separator: ", ") + ")")
                values += keyValues
            }
            let columns = key.indices.map { "k\($0)" }.joined(separator: ", ")
            statements.append(("DELETE FROM \(sqlQuoted(table.name)) AS target USING (VALUES \(tuples.joined(separator: ", "))) AS gone(\(columns)) WHERE \(match)", values))
            start += perStatement
        }
        return statements
    }

    /// The rows of `change` written: inserted after their deletion, or upserted (see `MirroredTableChange.replacesRows`).
    static func writeStatements(_ change: MirroredTableChange) throws -> [(sql: String, values: [StoreValue])] {
        let table = change.table
        let columns = table.columns.map(\.name)
        if change.replacesRows { return try PostgresLink.insertStatements(change.rows, into: table.name, columns: columns) }
        let key = table.rowKey
        guard !key.isEmpty else { throw PostgresStoreError.unsupportedSchema("\(table.name) has no key to write rows by") }
        let settable = columns.filter { !key.contains($0) && !change.frozenColumns.contains($0) }
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
        return try PostgresLink.insertStatements(change.rows, into: table.name, columns: columns, alias: "target",
                                                 suffix: " ON CONFLICT (\(key.map(sqlQuoted).joined(separator: ", "))) " + onConflict)
    }
}
