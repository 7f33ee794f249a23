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

    init(mirror: any StoreMirror, catalog: StoreCatalog) {
        self.mirror = mirror
        self.catalog = catalog
        self.tables = Dictionary(uniqueKeysWithValues: catalog.tables.map { ($0.name, $0) })
        self.frozen = Dictionary(uniqueKeysWithValues: catalog.tables.map { ($0.name, catalog.frozenColumns(of: $0.name)) })
    }
}

/// Holds the attached store of record, if any.
final class StoreOfRecordBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storedLink: StoreOfRecordLink?
    var link: StoreOfRecordLink? {
        get { lock.withLock { storedLink } }
        set { lock.withLock { storedLink = newValue } }
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
        guard let link = storeOfRecord.link else { return try writer.write(body) }
        return try writer.write { db in
            let stamp = try Self.commitStamp(db)
            if let missing = try link.mirror.catchUp(workingCopyStamp: stamp) {
                try Self.applyRecovered(missing, db)
            }
            let result = try body(db)
            try ship(db, link: link)
            return result
        }
    }

    private func ship(_ db: Database, link: StoreOfRecordLink) throws {
        let capture = link.capture
        guard !capture.isEmpty else { return }
        if let failure = capture.failure { throw ReplicaStoreError(.integrity(failure)) }
        let before = try Self.commitStamp(db)
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [Self.commitStampKey, String(before + 1)])
        var changes: [MirroredTableChange] = []
        var seeds: [String: Int64] = [:]
        for name in capture.tableOrder {
            let keys = capture.touched[name] ?? []
            if name == "sqlite_sequence" {
                for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") { seeds[row[0]] = row[1] }
                continue
            }
            guard let table = link.tables[name] else {
                throw ReplicaStoreError(.integrity(
                    "the transaction wrote \(name), which the store of record's catalogue does not hold (a schema change while attached)"))
            }
            changes.append(try Self.currentRows(of: table, keys: keys, frozen: link.frozen[name] ?? [], db))
        }
        try link.mirror.commit(MirroredTransaction(stampBefore: before, stamp: before + 1, tables: changes, autoincrementSeeds: seeds))
        capture.shipped = true
    }

    /// Reads back the touched rows of `table` as they are now: those that exist whole, the others as deleted keys.
    static func currentRows(of table: StoreTableDefinition, keys: [CapturedRowKey], frozen: Set<String>, _ db: Database) throws -> MirroredTableChange {
        var columns = table.columns.filter { $0.name != StoreTableDefinition.rowidColumn }.map { sqlQuoted($0.name) }
        if table.carriesRowid { columns.append("rowid") }
        let change = MirroredTableChange(table: table, rows: [], deletedKeys: [], frozenColumns: frozen)
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
        let byRowid: Bool
        if case .values? = keys.first { byRowid = false } else { byRowid = true }
        var start = 0
        while start < wanted.count {
            let slice = wanted[start..<min(wanted.count, start + 400)]
            let condition: String
            if byRowid {
                condition = "rowid IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))"
            } else {
                let tuple = "(" + Array(repeating: "?", count: keyPositions.count).joined(separator: ", ") + ")"
                condition = "(\(table.rowKey.map(sqlQuoted).joined(separator: ", "))) IN (VALUES \(Array(repeating: tuple, count: slice.count).joined(separator: ", ")))"
            }
            let arguments = StatementArguments(slice.flatMap { $0.map(\.databaseValue) })
            for row in try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(sqlQuoted(table.name)) WHERE \(condition)",
                                        arguments: arguments) {
                let values = try (0..<row.count).map { index in try ReplicaSnapshot.value(row[index] as DatabaseValue, table: table, column: index) }
                rows.append(values)
                found.insert(keyPositions.map { values[$0] })
            }
            start += 400
        }
        var result = change
        result.rows = rows
        result.deletedKeys = wanted.filter { !found.contains($0) }
        return result
    }

    /// Writes into the working copy a transaction the store of record committed and the working copy lacks.
    static func applyRecovered(_ transaction: MirroredTransaction, _ db: Database) throws {
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        for change in transaction.tables {
            let table = change.table
            let keyColumns = table.rowKey.map { $0 == StoreTableDefinition.rowidColumn ? "rowid" : sqlQuoted($0) }
            let keyCondition = keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
            for key in change.deletedKeys {
                try db.execute(sql: "DELETE FROM \(sqlQuoted(table.name)) WHERE \(keyCondition)", arguments: StatementArguments(key.map(\.databaseValue)))
            }
            let names = table.columns.map { $0.name == StoreTableDefinition.rowidColumn ? "rowid" : sqlQuoted($0.name) }
            let settable = table.columns.indices.filter { index in
                let name = table.columns[index].name
                return !change.frozenColumns.contains(name) && !table.rowKey.contains(name)
            }
            for row in change.rows {
                let key = change.keyPositions.map { row[$0].databaseValue }
                let exists = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(sqlQuoted(table.name)) WHERE \(keyCondition)",
                                              arguments: StatementArguments(key)) ?? 0
                if exists == 0 {
                    try db.execute(sql: "INSERT INTO \(sqlQuoted(table.name)) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))",
                                   arguments: StatementArguments(row.map(\.databaseValue)))
                } else if !settable.isEmpty {
                    let assignments = settable.map { "\(names[$0]) = ?" }.joined(separator: ", ")
                    let differs = settable.map { "\(names[$0]) IS NOT ?" }.joined(separator: " OR ")
                    try db.execute(sql: "UPDATE \(sqlQuoted(table.name)) SET \(assignments) WHERE \(keyCondition) AND (\(differs))",
                                   arguments: StatementArguments(settable.map { row[$0].databaseValue } + key + settable.map { row[$0].databaseValue }))
                }
            }
        }
        for (name, seed) in transaction.autoincrementSeeds.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", arguments: [seed, name])
            if db.changesCount == 0 { try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [name, seed]) }
        }
    }
}
