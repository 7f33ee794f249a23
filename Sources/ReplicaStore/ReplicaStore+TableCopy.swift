import Foundation
import GRDB

/// A read-only view of the whole replica at one instant, for copying a hub to another store (`hub migrate-store`).
///
/// Why one read transaction: ordinary commands write without the office lock, so a copy made table by table in
/// separate reads could hold a change in `change_log` whose vector entry it missed. Inside one SQLite read transaction
/// (WAL), every table is seen as of the same commit.
public struct ReplicaSnapshot {
    let db: Database
    /// The tables, indexes, triggers and autoincrement counters of this replica.
    public let catalog: StoreCatalog

    /// Hands the rows of `table` to `body` in chunks of at most `chunk` rows, in storage order, each row in the order
    /// of `table.columns` (with `sqlite_rowid` last when the table carries it).
    public func rows(of table: StoreTableDefinition, chunk: Int = 2_000, _ body: ([[StoreValue]]) throws -> Void) throws {
        var columns = table.columns.filter { $0.name != StoreTableDefinition.rowidColumn }.map { sqlQuoted($0.name) }
        if table.carriesRowid { columns.append("rowid") }
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(sqlQuoted(table.name))")
        var rows: [[StoreValue]] = []
        rows.reserveCapacity(chunk)
        while let row = try cursor.next() {
            rows.append(try (0..<row.count).map { index in try Self.value(row[index] as DatabaseValue, table: table, column: index) })
            if rows.count == chunk {
                try body(rows)
                rows.removeAll(keepingCapacity: true)
            }
        }
        if !rows.isEmpty { try body(rows) }
    }

    /// Runs a read-only query of the check (`hub migrate-store` compares balances and vectors with it).
    public func query(_ sql: String) throws -> [[StoreValue]] {
        try Row.fetchAll(db, sql: sql).map { row in
            try (0..<row.count).map { index in try Self.value(row[index] as DatabaseValue, table: nil, column: index) }
        }
    }

    static func value(_ value: DatabaseValue, table: StoreTableDefinition?, column: Int) throws -> StoreValue {
        let stored: StoreValue
        switch value.storage {
        case .null: return .null
        case .int64(let number): stored = .integer(number)
        case .string(let text): stored = .text(text)
        case .blob(let data): stored = .blob(data)
        case .double(let number):
            throw ReplicaStoreError(.invalidInput(
                "\(table?.name ?? "query") column \(column + 1) holds the floating-point value \(number); the hub stores none"))
        }
        // SQLite's typing is per value: a declared INTEGER column can still hold text. The other store's is per
        // column, so a value of the wrong kind is refused by name here, not turned into something else there.
        if let table, column < table.columns.count {
            let declared = table.columns[column].type
            let matches: Bool
            switch (declared, stored) {
            case (.integer, .integer), (.text, .text), (.blob, .blob): matches = true
            default: matches = false
            }
            if !matches {
                throw ReplicaStoreError(.invalidInput(
                    "\(table.name).\(table.columns[column].name) is declared \(declared.rawValue) but a row holds \(stored.canonicalText.prefix(40))"))
            }
        }
        return stored
    }
}

extension ReplicaStore {
    /// Runs `body` with a snapshot of the whole replica (one read transaction).
    public func withSnapshot<T>(_ body: (ReplicaSnapshot) throws -> T) throws -> T {
        try writer.read { db in
            try body(ReplicaSnapshot(db: db, catalog: try Self.readCatalog(db)))
        }
    }

    static func readCatalog(_ db: Database) throws -> StoreCatalog {
        let objects = try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_schema
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name
            """)
        let withoutRowid = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_list WHERE schema = 'main' AND wr = 1"))
        var tables: [StoreTableDefinition] = []
        var indexes: [StoreSchemaObject] = []
        var triggers: [StoreSchemaObject] = []
        for object in objects {
            let type: String = object["type"], name: String = object["name"], table: String = object["tbl_name"], sql: String = object["sql"]
            switch type {
            case "table":
                tables.append(try tableDefinition(db, name: name, sql: sql, withoutRowid: withoutRowid.contains(name)))
            case "index": indexes.append(StoreSchemaObject(name: name, table: table, sql: sql))
            case "trigger": triggers.append(StoreSchemaObject(name: name, table: table, sql: sql))
            default:
                throw ReplicaStoreError(.invalidInput("the replica holds a \(type) (\(name)); the store copy knows tables, indexes and triggers only"))
            }
        }
        var seeds: [String: Int64] = [:]
        if try db.tableExists("sqlite_sequence") {
            for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                seeds[row["name"]] = row["seq"]
            }
        }
        return StoreCatalog(tables: tables, indexes: indexes, triggers: triggers, autoincrementSeeds: seeds)
    }

    private static func tableDefinition(_ db: Database, name: String, sql: String, withoutRowid: Bool) throws -> StoreTableDefinition {
        let info = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
        var columns: [StoreColumn] = []
        var primaryKey: [(name: String, type: String, position: Int)] = []
        for row in info {
            let column: String = row["name"], declared: String = row["type"], pk: Int = row["pk"]
            guard let type = StoreColumnType(rawValue: declared.uppercased()) else {
                throw ReplicaStoreError(.invalidInput("\(name).\(column) has the type '\(declared)'; the store copy maps INTEGER, TEXT and BLOB only"))
            }
            guard column != StoreTableDefinition.rowidColumn else {
                throw ReplicaStoreError(.invalidInput("\(name) has a column named \(column), the name the copy gives SQLite's rowid"))
            }
            columns.append(StoreColumn(name: column, type: type))
            if pk > 0 { primaryKey.append((column, declared.uppercased(), pk)) }
        }
        primaryKey.sort { $0.position < $1.position }
        // A rowid table whose primary key is one INTEGER column has that column as its rowid; any other rowid table
        // keeps the rowid apart, and the copy carries it.
        let aliasesRowid = primaryKey.count == 1 && primaryKey[0].type == "INTEGER"
        let carriesRowid = !withoutRowid && !aliasesRowid
        if carriesRowid { columns.append(StoreColumn(name: StoreTableDefinition.rowidColumn, type: .integer)) }
        let autoincrement = aliasesRowid && sql.range(of: "AUTOINCREMENT", options: .caseInsensitive) != nil ? primaryKey[0].name : nil
        return StoreTableDefinition(name: name, createSQL: sql, columns: columns, carriesRowid: carriesRowid,
                                    autoincrementColumn: autoincrement, primaryKey: primaryKey.map(\.name))
    }

    /// Writes a new replica file at `path` from a copy: the tables as `catalog` declares them, the rows `fill` hands
    /// over, then the autoincrement counters, indexes and triggers (triggers last, so that the immutability triggers
    /// do not see the copy's own inserts). All in one transaction: a failed copy leaves no file.
    ///
    /// - Parameter fill: called once per table with a function that inserts a chunk of rows, each in the order of
    ///   the table's `columns`.
    public static func createFromCopy(at path: String, catalog: StoreCatalog,
                                      fill: (StoreTableDefinition, _ insert: ([[StoreValue]]) throws -> Void) throws -> Void) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ReplicaStoreError(.invalidInput("\(path) already exists; the copy writes a new replica only"))
        }
        // Created empty with mode 0600 first (and O_EXCL: never over a file that appeared meanwhile), so the copy is
        // private from its first byte, as every replica is (`PrivateFiles`).
        try PrivateFiles.create(URL(fileURLWithPath: path))
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.inTransaction { db in
                for table in catalog.tables {
                    try executeSchemaStatement(db, table.createSQL, kind: "TABLE", name: table.name)
                    var names = table.columns.filter { $0.name != StoreTableDefinition.rowidColumn }.map { sqlQuoted($0.name) }
                    if table.carriesRowid { names.append("rowid") }
                    let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
                    let statement = try db.makeStatement(sql: "INSERT INTO \(sqlQuoted(table.name)) (\(names.joined(separator: ", "))) VALUES (\(placeholders))")
                    try fill(table) { rows in
                        for row in rows {
                            guard row.count == names.count else {
                                throw ReplicaStoreError(.invalidInput("a row of \(table.name) has \(row.count) values for \(names.count) columns"))
                            }
                            try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
                        }
                    }
                }
                for (table, seed) in catalog.autoincrementSeeds.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, seed])
                }
                for index in catalog.indexes { try executeSchemaStatement(db, index.sql, kind: "INDEX", name: index.name) }
                for trigger in catalog.triggers { try executeSchemaStatement(db, trigger.sql, kind: "TRIGGER", name: trigger.name) }
                return .commit
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }
}

extension ReplicaStore {
    /// Runs one `CREATE TABLE | [UNIQUE] INDEX | TRIGGER` of a copied catalogue, and nothing else.
    ///
    /// Why the check: the catalogue comes back from another database. Whoever can write there must not be able to
    /// make the copy back run other SQL on this machine (an `ATTACH` writes files wherever the hub's user may), so a
    /// statement must be of its kind, name its object, and be one statement (GRDB's prepared statement refuses more).
    static func executeSchemaStatement(_ db: Database, _ sql: String, kind: String, name: String) throws {
        let pattern = kind == "INDEX" ? #"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?[\s(]"#
            : #"^\s*CREATE\s+"# + kind + #"\s+(IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?[\s(]"#
        guard let match = sql.range(of: pattern, options: [.regularExpression, .caseInsensitive]),
              sql[match].range(of: #"\b\#(NSRegularExpression.escapedPattern(for: name))\b"#, options: .regularExpression) != nil else {
            throw ReplicaStoreError(.invalidInput("the copied catalogue's \(kind.lowercased()) \(name) is not a CREATE \(kind) of that name"))
        }
        try db.makeStatement(sql: sql).execute()
    }
}

/// An identifier quoted for SQL: both SQLite and PostgreSQL accept double quotes (a hub column may be called, say,
/// `position` or `key`, which PostgreSQL reserves in some places). The one copy, shared by the PostgreSQL side.
public func sqlQuoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

extension StoreValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }
}
