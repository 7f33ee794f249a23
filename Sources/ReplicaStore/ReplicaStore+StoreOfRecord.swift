import Foundation
import GRDB

/// The store of record attached to a hub's working copy, and what the writer connection needs to send it each
/// transaction (DESIGN §7.3).
final class StoreOfRecordLink: @unchecked Sendable {
    // @unchecked: set once by `attachStoreOfRecord` before any write uses it, then only read; the capture is used on
    // the writer connection only.
    let mirror: any StoreMirror
    let capture = RowChangeCapture()
    let catalog: StoreCatalog
    let tables: [String: StoreTableDefinition]
    let frozen: [String: Set<String>]
    let deletable: Set<String>
    /// `sqlite_sequence` as last sent (SQLite moves it without the pre-update hook seeing it).
    var sentSeeds: [String: Int64]

    init(mirror: any StoreMirror, catalog: StoreCatalog) {
        self.mirror = mirror
        self.catalog = catalog
        self.tables = Dictionary(uniqueKeysWithValues: catalog.tables.map { ($0.name, $0) })
        self.frozen = Dictionary(uniqueKeysWithValues: catalog.tables.map { ($0.name, catalog.frozenColumns(of: $0.name)) })
        self.sentSeeds = catalog.autoincrementSeeds
        self.deletable = Set(catalog.tables.map(\.name).filter { !catalog.refusesDeletes($0) })
    }
}

/// Holds the attached store of record, if any, and whether the replica has one (`meta` ``ReplicaStore/storeOfRecordKey``).
final class StoreOfRecordBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storedLink: StoreOfRecordLink?
    private var storedRequired = false
    var link: StoreOfRecordLink? {
        get { lock.withLock { storedLink } }
        set { lock.withLock { storedLink = newValue } }
    }
    /// The replica's books are kept in a store of record: writing without it attached is refused.
    var required: Bool {
        get { lock.withLock { storedRequired } }
        set { lock.withLock { storedRequired = newValue } }
    }
}

/// Refuses a commit of the working copy that did not go to the store of record (a write path that bypassed
/// `ReplicaStore.writeTransaction`), and forgets each transaction's capture when it ends.
private final class StoreOfRecordGuard: TransactionObserver {
    let capture: RowChangeCapture
    init(capture: RowChangeCapture) { self.capture = capture }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws {
        if (!capture.isEmpty && !capture.shipped) || capture.touchedAfterShipping {
            throw ReplicaStoreError(.integrity(
                "a write to the hub's working copy did not go to its store of record (tables: \(capture.tableOrder.joined(separator: ", "))); refused"))
        }
    }
    func databaseDidCommit(_ db: Database) { capture.reset() }
    func databaseDidRollback(_ db: Database) { capture.reset() }
}

extension ReplicaStore {
    /// The `meta` key of the working copy's commit stamp: how many transactions it has sent to its store of record.
    /// The store of record holds the same row (it is sent with each transaction), so comparing the two says whether
    /// the working copy is up to date, behind (a commit whose answer was lost, another writer) or ahead (the store of
    /// record lost commits).
    public static let commitStampKey = "store.commit"
    /// The `meta` key that says the replica is the working copy of a store of record (its kind, `postgres`). Set by
    /// `markStoreOfRecord` when the store of record is seeded; a store opened with it refuses to write until one is
    /// attached, so no process (a tool, a second `Hub.open`) can change the working copy alone.
    public static let storeOfRecordKey = "store.record"

    /// Marks this replica as the working copy of a store of record of `kind` (before its first copy there).
    public func markStoreOfRecord(_ kind: String) throws {
        try setMeta(Self.storeOfRecordKey, kind)
        if try meta(Self.commitStampKey) == nil { try setMeta(Self.commitStampKey, "0") }
        if storeOfRecord.link == nil { storeOfRecord.required = true }
    }

    /// Removes the mark from the replica file at `path` (a hub copied back to SQLite alone, `migrate-store --from`).
    public static func clearStoreOfRecordMark(ofReplicaAt path: String) throws {
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key IN (?, ?)", arguments: [storeOfRecordKey, commitStampKey])
        }
    }

    /// Whether a store of record is attached.
    public var hasStoreOfRecord: Bool { storeOfRecord.link != nil }

    /// The working copy's commit stamp (0 before the first mirrored transaction).
    public func commitStamp() throws -> Int64 {
        try writer.read { db in try Self.commitStamp(db) }
    }

    /// The commit stamp of the replica file at `path`, read without opening it as a store (no migration runs).
    public static func commitStamp(ofReplicaAt path: String) throws -> Int64 {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in try commitStamp(db) }
    }

    static func commitStamp(_ db: Database) throws -> Int64 {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [commitStampKey]) else { return 0 }
        guard let stamp = Int64(text) else { throw ReplicaStoreError(.integrity("meta \(commitStampKey) holds '\(text.prefix(40))'")) }
        return stamp
    }

    /// Attaches `mirror` as this hub's store of record: from now on every write transaction commits there first.
    ///
    /// The caller has made the two equal first (`HubStoreOfRecord.open`: seeded, rebuilt or checked). The catalogue
    /// read here names the tables a transaction may touch; a table outside it (a schema change while attached) fails
    /// the transaction.
    public func attachStoreOfRecord(_ mirror: any StoreMirror) throws {
        guard storeOfRecord.link == nil else { throw ReplicaStoreError(.invalidInput("a store of record is already attached")) }
        try writer.writeWithoutTransaction { db in
            let catalog = try Self.readCatalog(db)
            let link = StoreOfRecordLink(mirror: mirror, catalog: catalog)
            var keys: [String: [Int]] = [:]
            for table in catalog.tables where table.primaryKey != nil && !table.carriesRowid {
                let positions = table.rowKey.compactMap { name in table.columns.firstIndex { $0.name == name } }
                // An INTEGER PRIMARY KEY is the rowid itself: the hook's rowid names the row.
                let withoutRowid = try String.fetchOne(db, sql: "SELECT name FROM pragma_table_list WHERE schema = 'main' AND wr = 1 AND name = ?",
                                                       arguments: [table.name]) != nil
                if withoutRowid { keys[table.name] = positions }
            }
            link.capture.install(on: db, keys: keys)
            db.add(transactionObserver: StoreOfRecordGuard(capture: link.capture), extent: .databaseLifetime)
            storeOfRecord.link = link
        }
    }

    /// Runs `body` in one write transaction of the working copy; with a store of record attached, the transaction
    /// is committed there first (see `StoreMirror`). Every write of the store goes through here.
    func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        guard let link = storeOfRecord.link else {
            if storeOfRecord.required {
                throw ReplicaStoreError(.invalidInput(
                    "this hub's books are kept in a store of record (meta \(Self.storeOfRecordKey)); open it through fundsync, which connects to it (DIR/store.json), before writing"))
            }
            return try writer.write(body)
        }
        return try writer.write { db in
            let stamp = try Self.commitStamp(db)
            if let missing = try link.mirror.catchUp(workingCopyStamp: stamp) {
                try Self.applyRecovered(missing, db)
                // The store of record holds exactly these rows already: nothing of them is to be sent again (rows
                // the hook now sees as inserted would be inserted twice there).
                link.capture.reset()
            }
            let result = try body(db)
            try ship(db, link: link)
            return result
        }
    }

    private func ship(_ db: Database, link: StoreOfRecordLink) throws {
        let capture = link.capture
        var seeds: [String: AutoincrementSeed] = [:]
        // The counters are compared whole: SQLite writes `sqlite_sequence` without calling the pre-update hook, and
        // moves a counter even when an `INSERT … ON CONFLICT DO NOTHING` inserted nothing.
        var current: [String: Int64] = [:]
        let counters = link.tables.values.contains { $0.autoincrementColumn != nil }
            ? try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") : []
        for row in counters {
            let name: String = row[0], seed: Int64 = row[1]
            current[name] = seed
            guard link.sentSeeds[name] != seed, let column = link.tables[name]?.autoincrementColumn else { continue }
            seeds[name] = AutoincrementSeed(column: column, seed: seed)
        }
        guard !capture.isEmpty || !seeds.isEmpty else { return }
        if let failure = capture.failure { throw ReplicaStoreError(.integrity(failure)) }
        let before = try Self.commitStamp(db)
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [Self.commitStampKey, String(before + 1)])
        var changes: [MirroredTableChange] = []
        for name in capture.tableOrder {
            let keys = capture.touched[name] ?? []
            guard let table = link.tables[name] else {
                throw ReplicaStoreError(.integrity(
                    "the transaction wrote \(name), which the store of record's catalogue does not hold (a schema change while attached)"))
            }
            var change = try Self.currentRows(of: table, keys: keys, frozen: link.frozen[name] ?? [],
                                              replacesRows: link.deletable.contains(name), db)
            change.freshKeys = Set((capture.fresh[name] ?? []).map { key -> [StoreValue] in
                switch key {
                case .rowid(let rowid): return [.integer(rowid)]
                case .values(let values): return values
                }
            })
            changes.append(change)
        }
        try link.mirror.commit(MirroredTransaction(stampBefore: before, stamp: before + 1, tables: changes, autoincrementSeeds: seeds))
        link.sentSeeds = current
        capture.shipped = true
    }

    /// Reads back the touched rows of `table` as they are now: those that exist whole, the others as deleted keys.
    static func currentRows(of table: StoreTableDefinition, keys: [CapturedRowKey], frozen: Set<String>, replacesRows: Bool,
                            _ db: Database) throws -> MirroredTableChange {
        var columns = table.columns.filter { $0.name != StoreTableDefinition.rowidColumn }.map { sqlQuoted($0.name) }
        if table.carriesRowid { columns.append("rowid") }
        let change = MirroredTableChange(table: table, rows: [], deletedKeys: [], frozenColumns: frozen, replacesRows: replacesRows)
        let keyPositions = change.keyPositions
        var rows: [[StoreValue]] = []
        var found: Set<[StoreValue]> = []
        var wanted: [[StoreValue]] = []
        for key in keys {
            switch key {
            case .rowid(let rowid): wanted.append([.integer(rowid)])
            case .values(let values): wanted.append(values)
            }
        }
        let select = "SELECT \(columns.joined(separator: ", ")) FROM \(sqlQuoted(table.name)) WHERE "
        func take(_ cursor: RowCursor) throws {
            while let row = try cursor.next() {
                var values: [StoreValue] = []
                values.reserveCapacity(row.count)
                for index in 0..<row.count { values.append(try ReplicaSnapshot.value(row[index] as DatabaseValue, table: table, column: index)) }
                found.insert(keyPositions.map { values[$0] })
                rows.append(values)
            }
        }
        let read = { (sql: String, arguments: StatementArguments) throws in try take(try Row.fetchCursor(db, sql: sql, arguments: arguments)) }
        if case .values? = keys.first {
            // One indexed lookup per key with a prepared statement: SQLite does not use the primary key's index for a
            // long `(a, b) IN (VALUES …)` (measured: 8 s for 100,000 voucher lines, against 0.3 s this way).
            let statement = try db.cachedStatement(sql: select + table.rowKey.map { "\(sqlQuoted($0)) = ?" }.joined(separator: " AND "))
            for key in wanted { try take(try Row.fetchCursor(statement, arguments: StatementArguments(key.map(\.databaseValue)))) }
        } else {
            // By rowid, in runs: the rows a transaction inserts have consecutive rowids (a 50,000-change batch is one
            // range read), and the scattered rest go 400 to an IN list.
            let rowids = keys.compactMap { key -> Int64? in if case .rowid(let rowid) = key { rowid } else { nil } }.sorted()
            var scattered: [Int64] = []
            var index = 0
            while index < rowids.count {
                var end = index
                while end + 1 < rowids.count, rowids[end + 1] == rowids[end] + 1 { end += 1 }
                if end - index >= 15 {
                    try read(select + "rowid BETWEEN ? AND ?", [rowids[index], rowids[end]])
                } else {
                    scattered += rowids[index...end]
                }
                index = end + 1
            }
            var start = 0
            while start < scattered.count {
                let slice = scattered[start..<min(scattered.count, start + 400)]
                try read(select + "rowid IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))", StatementArguments(Array(slice)))
                start += 400
            }
        }
        var result = change
        result.rows = rows
        result.deletedKeys = wanted.filter { !found.contains($0) }
        return result
    }

    /// Writes into the working copy a transaction the store of record committed and the working copy lacks.
    static func applyRecovered(_ transaction: MirroredTransaction, _ db: Database) throws {
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        let keyCondition = { (table: StoreTableDefinition) in
            table.rowKey.map { "\($0 == StoreTableDefinition.rowidColumn ? "rowid" : sqlQuoted($0)) = ?" }.joined(separator: " AND ")
        }
        for change in transaction.tables.reversed() {
            for key in change.keysToDelete {
                try db.execute(sql: "DELETE FROM \(sqlQuoted(change.table.name)) WHERE \(keyCondition(change.table))",
                               arguments: StatementArguments(key.map(\.databaseValue)))
            }
        }
        for change in transaction.tables {
            let table = change.table
            let names = table.columns.map { $0.name == StoreTableDefinition.rowidColumn ? "rowid" : sqlQuoted($0.name) }
            let insert = "INSERT INTO \(sqlQuoted(table.name)) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
            let settable = table.columns.indices.filter { index in
                let name = table.columns[index].name
                return !change.frozenColumns.contains(name) && !table.rowKey.contains(name)
            }
            for row in change.rows {
                if change.replacesRows {
                    try db.execute(sql: insert, arguments: StatementArguments(row.map(\.databaseValue)))
                    continue
                }
                let key = change.keyPositions.map { row[$0].databaseValue }
                let exists = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(sqlQuoted(table.name)) WHERE \(keyCondition(table))",
                                              arguments: StatementArguments(key)) ?? 0
                if exists == 0 {
                    try db.execute(sql: insert, arguments: StatementArguments(row.map(\.databaseValue)))
                } else if !settable.isEmpty {
                    let assignments = settable.map { "\(names[$0]) = ?" }.joined(separator: ", ")
                    let differs = settable.map { "\(names[$0]) IS NOT ?" }.joined(separator: " OR ")
                    try db.execute(sql: "UPDATE \(sqlQuoted(table.name)) SET \(assignments) WHERE \(keyCondition(table)) AND (\(differs))",
                                   arguments: StatementArguments(settable.map { row[$0].databaseValue } + key + settable.map { row[$0].databaseValue }))
                }
            }
        }
        for (name, counter) in transaction.autoincrementSeeds.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", arguments: [counter.seed, name])
            if db.changesCount == 0 { try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [name, counter.seed]) }
        }
    }
}
