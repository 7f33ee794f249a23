import Foundation
import ReplicaStore

/// Copies a hub's whole store between SQLite and PostgreSQL (`hub migrate-store`), consistently and all or nothing.
///
/// **SQLite → PostgreSQL.** Everything is read inside one SQLite read transaction (one instant of the hub, even if a
/// clerk's command writes meanwhile) and written inside one PostgreSQL transaction (DDL included: PostgreSQL's DDL
/// is transactional), so the target either holds the whole hub or nothing. The target must hold no hub table.
/// Besides the tables, the copy stores the SQLite catalogue (`fundsync_sqlite_catalog`: every table, index and
/// trigger as SQLite declared it, and the autoincrement counters) so the hub can be copied back exactly.
///
/// **PostgreSQL → SQLite.** Read inside one `REPEATABLE READ READ ONLY` transaction through a cursor, written as a new
/// replica file in one SQLite transaction (`ReplicaStore.createFromCopy`).
///
/// Neither direction checks its own work; `HubStoreCheck` compares the two stores afterwards, from fresh reads.
public enum HubStoreCopy {
    /// The table that records the SQLite catalogue in PostgreSQL.
    public static let catalogTable = "fundsync_sqlite_catalog"

    /// What one copy moved and how long it took.
    public struct Summary: Sendable {
        public var tables: [(name: String, rows: Int)]
        public var seconds: Double
        public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// Copies the hub in `store` into the empty database `link` is connected to.
    /// - Throws: `PostgresStoreError.targetNotEmpty` when the database already holds a hub table; a server error
    ///   (nothing is left behind: the transaction rolls back); `unsupportedSchema` for what the rules cannot carry.
    /// - Parameter replacing: drop the hub tables the database holds first, in the same transaction (re-seeding a
    ///   store of record after an upgrade); otherwise a database holding hub tables is refused.
    public static func copy(from store: ReplicaStore, to link: PostgresLink, chunk: Int = 1_000, replacing: Bool = false) throws -> Summary {
        let started = Date()
        return try store.withSnapshot { snapshot in
            let catalog = snapshot.catalog
            // Translate everything before writing anything: a schema the rules cannot carry fails here, cleanly.
            let tableStatements = try catalog.tables.map(PostgresSchema.createTable)
            let indexStatements = try catalog.indexes.map(PostgresSchema.createIndex)
            let triggerStatements = try catalog.triggers.map(PostgresSchema.createTrigger)
            return try link.transaction {
                let existing = Set(try link.rows("""
                    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
                    """).compactMap { row -> String? in if case .text(let name) = row.first { return name } else { return nil } })
                if replacing, existing.contains(catalogTable) {
                    // The tables the database's own catalogue names, and the catalogue: nothing else in it.
                    for table in try readCatalog(link).tables.map(\.name) + [catalogTable] where existing.contains(table) {
                        try link.execute("DROP TABLE \(sqlQuoted(table)) CASCADE")
                    }
                } else {
                    let clashing = (catalog.tables.map(\.name) + [catalogTable]).filter(existing.contains)
                    guard clashing.isEmpty else { throw PostgresStoreError.targetNotEmpty(clashing) }
                }

                try link.execute("CREATE TABLE \(catalogTable) (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try link.execute("INSERT INTO \(catalogTable) (key, value) VALUES ('catalog', $1)",
                                 [.text(String(decoding: try encoder.encode(catalog), as: UTF8.self))])
                var moved: [(String, Int)] = []
                for (table, statement) in zip(catalog.tables, tableStatements) {
                    try link.execute(statement)
                    var count = 0
                    try snapshot.rows(of: table, chunk: chunk) { rows in
                        try link.insert(rows, into: table.name, columns: table.columns.map(\.name))
                        count += rows.count
                    }
                    moved.append((table.name, count))
                }
                // The identities continue after the copied rows: an implicit rowid after the highest copied, an
                // autoincrement id after SQLite's counter (which may be above the highest row: ids are never reused).
                for table in catalog.tables where table.carriesRowid {
                    guard case .integer(let highest)? = try link.rows("SELECT MAX(\(StoreTableDefinition.rowidColumn)) FROM \(sqlQuoted(table.name))").first?.first else { continue }
                    try link.execute("SELECT setval(pg_get_serial_sequence($1, $2), $3)",
                                     [.text(table.name), .text(StoreTableDefinition.rowidColumn), .integer(highest)])
                }
                for table in catalog.tables {
                    guard let column = table.autoincrementColumn, let seed = catalog.autoincrementSeeds[table.name], seed > 0 else { continue }
                    try link.execute("SELECT setval(pg_get_serial_sequence($1, $2), $3)",
                                     [.text(table.name), .text(column), .integer(seed)])
                }
                if !triggerStatements.isEmpty { try link.execute(PostgresSchema.refuseFunction) }
                for statement in indexStatements + triggerStatements { try link.execute(statement) }
                return Summary(tables: moved, seconds: Date().timeIntervalSince(started))
            }
        }
    }

    /// Writes the hub held in the database `link` is connected to as a new SQLite replica at `path`.
    public static func copy(from link: PostgresLink, toReplicaAt path: String, chunk: Int = 2_000) throws -> Summary {
        let started = Date()
        return try link.transaction(isolation: "REPEATABLE READ READ ONLY") {
            var catalog = try readCatalog(link)
            // The counters as the database holds them now: a store of record has moved them since the catalogue was
            // stored.
            for table in catalog.tables {
                guard let column = table.autoincrementColumn else { continue }
                let value = try HubStoreCheck.identityValue(link, table: table.name, column: column)
                catalog.autoincrementSeeds[table.name] = value > 0 ? value : nil
            }
            var moved: [(String, Int)] = []
            try ReplicaStore.createFromCopy(at: path, catalog: catalog) { table, insert in
                var count = 0
                try link.chunks(selectAll(table), chunk: chunk) { rows in
                    try insert(rows)
                    count += rows.count
                }
                moved.append((table.name, count))
            }
            return Summary(tables: moved, seconds: Date().timeIntervalSince(started))
        }
    }

    /// The SQLite catalogue stored with a copy.
    static func readCatalog(_ link: PostgresLink) throws -> StoreCatalog {
        let present = try link.rows("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
                                    [.text(catalogTable)])
        guard present.first?.first != .integer(0) else { throw PostgresStoreError.noHubInDatabase }
        guard case .text(let json)? = try link.rows("SELECT value FROM \(catalogTable) WHERE key = 'catalog'").first?.first else {
            throw PostgresStoreError.noHubInDatabase
        }
        return try JSONDecoder().decode(StoreCatalog.self, from: Data(json.utf8))
    }

    /// `SELECT` of every column of `table` in the catalogue's order (`sqlite_rowid` included).
    static func selectAll(_ table: StoreTableDefinition) -> String {
        "SELECT \(table.columns.map { sqlQuoted($0.name) }.joined(separator: ", ")) FROM \(sqlQuoted(table.name))"
    }

}

