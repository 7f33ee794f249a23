import Foundation

/// One stored value as both stores hold it: the hub's columns are only 64-bit integers, text and bytes (amounts and
/// counters in fen and units, never floating point), so a value read from SQLite and the same value read back from
/// PostgreSQL compare equal and render the same in a fingerprint.
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case blob(Data)

    /// The value as the fingerprint renders it (the rendering of `ReplicaStore.canonicalDump`).
    public var canonicalText: String {
        switch self {
        case .null: return "NULL"
        case .integer(let number): return String(number)
        case .text(let text): return "'\(text)'"
        case .blob(let data): return "x'" + data.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}

/// The three column types a hub table may declare. Anything else in the SQLite schema is refused by the copy, so a
/// future migration that adds, say, a `REAL` column fails the both-stores tests instead of being copied lossily.
public enum StoreColumnType: String, Sendable, Codable {
    case integer = "INTEGER"
    case text = "TEXT"
    case blob = "BLOB"
}

/// One column of a copied table.
public struct StoreColumn: Sendable, Equatable, Codable {
    public var name: String
    public var type: StoreColumnType
    public init(name: String, type: StoreColumnType) {
        self.name = name
        self.type = type
    }
}

/// One table of the hub's SQLite schema, as the copy to and from PostgreSQL needs it.
public struct StoreTableDefinition: Sendable, Equatable, Codable {
    /// The column that carries SQLite's implicit `rowid` in a copy. The hub orders some tables by `rowid` (a
    /// document's transitions, bank statements), so a table with an implicit rowid keeps it as this explicit column.
    public static let rowidColumn = "sqlite_rowid"

    public var name: String
    /// The `CREATE TABLE` statement exactly as SQLite stores it in `sqlite_schema`.
    public var createSQL: String
    /// The columns in declaration order, then `sqlite_rowid` when `carriesRowid`.
    public var columns: [StoreColumn]
    /// True for a rowid table without an `INTEGER PRIMARY KEY` (the rowid is then not one of its columns).
    public var carriesRowid: Bool
    /// The `INTEGER PRIMARY KEY AUTOINCREMENT` column, if any: its counter (`sqlite_sequence`) is copied too, so an
    /// id once handed out is never handed out again in the other store.
    public var autoincrementColumn: String?
    /// The declared primary key's columns (`nil` in a catalogue stored before the store of record existed).
    public var primaryKey: [String]?

    public init(name: String, createSQL: String, columns: [StoreColumn], carriesRowid: Bool, autoincrementColumn: String?,
                primaryKey: [String]? = nil) {
        self.name = name
        self.createSQL = createSQL
        self.columns = columns
        self.carriesRowid = carriesRowid
        self.autoincrementColumn = autoincrementColumn
        self.primaryKey = primaryKey
    }

    /// The columns that name one row in both stores: `sqlite_rowid` for a table that carries it, else the primary key.
    public var rowKey: [String] { carriesRowid ? [Self.rowidColumn] : (primaryKey ?? []) }
}

/// An index or trigger of the hub's SQLite schema, with its statement as SQLite stores it.
public struct StoreSchemaObject: Sendable, Equatable, Codable {
    public var name: String
    public var table: String
    public var sql: String
    public init(name: String, table: String, sql: String) {
        self.name = name
        self.table = table
        self.sql = sql
    }
}

/// What a hub's SQLite file holds, structurally: its tables (the migration record `grdb_migrations` among them, so
/// the copy knows which migrations made it), indexes, triggers and autoincrement counters.
public struct StoreCatalog: Sendable, Equatable, Codable {
    public var tables: [StoreTableDefinition]
    public var indexes: [StoreSchemaObject]
    public var triggers: [StoreSchemaObject]
    /// `sqlite_sequence`: the last id handed out per autoincrement table.
    public var autoincrementSeeds: [String: Int64]

    public init(tables: [StoreTableDefinition], indexes: [StoreSchemaObject], triggers: [StoreSchemaObject],
                autoincrementSeeds: [String: Int64]) {
        self.tables = tables
        self.indexes = indexes
        self.triggers = triggers
        self.autoincrementSeeds = autoincrementSeeds
    }

    public func table(_ name: String) -> StoreTableDefinition? { tables.first { $0.name == name } }
}

extension StoreCatalog {
    /// The columns of `table` that the immutability triggers forbid to update: every column for a plain `BEFORE
    /// UPDATE` trigger, the listed ones for `BEFORE UPDATE OF …`. A store that writes a row back whole (the store of
    /// record, a recovery) sets only the others, so that a legitimate update (a voucher's status) does not trip a
    /// trigger that watches columns it did not change.
    /// Whether an immutability trigger refuses deleting rows of `table` (`BEFORE DELETE`).
    public func refusesDeletes(_ table: String) -> Bool {
        triggers.contains { trigger in
            trigger.table == table && trigger.sql.range(of: #"\bBEFORE\s+DELETE\b"#, options: [.regularExpression, .caseInsensitive]) != nil
        }
    }

    public func frozenColumns(of table: String) -> Set<String> {
        var frozen: Set<String> = []
        for trigger in triggers where trigger.table == table {
            let words = trigger.sql.replacingOccurrences(of: ",", with: " , ").split(whereSeparator: \.isWhitespace).map(String.init)
            guard let before = words.firstIndex(where: { $0.uppercased() == "BEFORE" }), before + 1 < words.count,
                  words[before + 1].uppercased() == "UPDATE" else { continue }
            if before + 2 < words.count, words[before + 2].uppercased() == "OF" {
                var index = before + 3
                while index < words.count, words[index].uppercased() != "ON" {
                    if words[index] != "," { frozen.insert(words[index].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
                    index += 1
                }
            } else {
                frozen.formUnion(self.table(table)?.columns.map(\.name) ?? [])
            }
        }
        return frozen
    }
}
