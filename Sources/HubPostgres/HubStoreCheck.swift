import Foundation
import ReplicaStore

/// Compares a hub's SQLite store with its PostgreSQL copy, from fresh reads of both: every table's row count and
/// fingerprint, the autoincrement counters, the version vector and the balances per office and account.
///
/// Why the vector and the balances besides the fingerprints: a fingerprint says *that* a table differs; the vector
/// says whose changes are missing, and the balances say what money it touches — what an administrator needs to
/// decide whether to switch the hub over.
public struct HubStoreCheck: Sendable {
    public struct TableResult: Sendable {
        public var table: String
        public var sqlite: TableFingerprint
        public var postgres: TableFingerprint?
        public var matches: Bool { sqlite == postgres }
    }

    public var tables: [TableResult]
    /// `origin → counter` on each side.
    public var sqliteVector: [String: Int64]
    public var postgresVector: [String: Int64]
    /// `org|status|account|side → total` (fen) on each side.
    public var sqliteBalances: [String: Int64]
    public var postgresBalances: [String: Int64]
    /// Every difference found, in words; empty when the stores agree.
    public var differences: [String]

    public var passed: Bool { differences.isEmpty }

    /// The posted totals per office, document status, account and side, in SQL both stores run alike.
    static let balanceQuery = """
        SELECT v.org, v.status, l.account, l.side, CAST(SUM(l.amount) AS BIGINT), COUNT(*)
        FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
        GROUP BY v.org, v.status, l.account, l.side
        """
    static let vectorQuery = "SELECT origin, counter FROM version_vector"

    /// Reads both stores (SQLite in one read transaction, PostgreSQL in one `REPEATABLE READ READ ONLY` transaction)
    /// and compares them.
    public static func compare(_ store: ReplicaStore, _ link: PostgresLink) throws -> HubStoreCheck {
        try store.withSnapshot { snapshot in
            try link.transaction(isolation: "REPEATABLE READ READ ONLY") {
                let copied = try HubStoreCopy.readCatalog(link)
                var differences: [String] = []
                // Compared as SQLite means them: quoting a name (SQLite writes `"name"` back after a table is renamed)
                // and a catalogue stored before primary keys were recorded change nothing.
                let meaning = { (table: StoreTableDefinition) -> StoreTableDefinition in
                    var table = table
                    table.createSQL = table.createSQL.replacingOccurrences(of: "\"", with: "")
                    table.primaryKey = nil
                    return table
                }
                if copied.tables.map(meaning) != snapshot.catalog.tables.map(meaning) {
                    let ours = Set(snapshot.catalog.tables.map(\.name)), theirs = Set(copied.tables.map(\.name))
                    differences.append("the catalogues differ (only in SQLite: \(ours.subtracting(theirs).sorted()); only in PostgreSQL: \(theirs.subtracting(ours).sorted()); or a table's definition changed)")
                }
                var results: [TableResult] = []
                for table in snapshot.catalog.tables {
                    var local = TableFingerprint.Accumulator()
                    try snapshot.rows(of: table) { rows in rows.forEach { local.add($0) } }
                    let sqlite = local.finish(table: table)
                    var postgres: TableFingerprint?
                    if copied.table(table.name) != nil {
                        var remote = TableFingerprint.Accumulator()
                        try link.chunks(HubStoreCopy.selectAll(table)) { rows in rows.forEach { remote.add($0) } }
                        postgres = remote.finish(table: table)
                    }
                    let result = TableResult(table: table.name, sqlite: sqlite, postgres: postgres)
                    if !result.matches {
                        differences.append("\(table.name): SQLite \(sqlite), PostgreSQL \(postgres.map(String.init(describing:)) ?? "missing")")
                    }
                    results.append(result)
                }
                for table in snapshot.catalog.tables {
                    guard let column = table.autoincrementColumn else { continue }
                    let local = snapshot.catalog.autoincrementSeeds[table.name] ?? 0
                    let remote = try identityValue(link, table: table.name, column: column)
                    if local != remote {
                        differences.append("\(table.name).\(column): the next id would follow \(local) in SQLite and \(remote) in PostgreSQL")
                    }
                }
                let sqliteVector = try pairs(snapshot.query(vectorQuery))
                let postgresVector = try pairs(link.rows(vectorQuery))
                for origin in Set(sqliteVector.keys).union(postgresVector.keys).sorted() where sqliteVector[origin] != postgresVector[origin] {
                    differences.append("version vector \(origin): SQLite \(sqliteVector[origin].map(String.init) ?? "none"), PostgreSQL \(postgresVector[origin].map(String.init) ?? "none")")
                }
                let sqliteBalances = try balances(snapshot.query(balanceQuery))
                let postgresBalances = try balances(link.rows(balanceQuery))
                for key in Set(sqliteBalances.keys).union(postgresBalances.keys).sorted() where sqliteBalances[key] != postgresBalances[key] {
                    differences.append("balance \(key): SQLite \(sqliteBalances[key].map(String.init) ?? "none"), PostgreSQL \(postgresBalances[key].map(String.init) ?? "none")")
                }
                return HubStoreCheck(tables: results, sqliteVector: sqliteVector, postgresVector: postgresVector,
                                     sqliteBalances: sqliteBalances, postgresBalances: postgresBalances, differences: differences)
            }
        }
    }

    /// The last id an identity column handed out (0 when none), as `sqlite_sequence` would say.
    static func identityValue(_ link: PostgresLink, table: String, column: String) throws -> Int64 {
        guard case .text(let sequence)? = try link.rows("SELECT pg_get_serial_sequence($1, $2)", [.text(table), .text(column)]).first?.first else {
            throw PostgresStoreError.unsupportedSchema("\(table).\(column) has no identity sequence in PostgreSQL")
        }
        let row = try link.rows("SELECT last_value, is_called FROM \(sequence)").first
        guard case .integer(let last)? = row?.first, case .integer(let called)? = row?.last else { return 0 }
        return called == 1 ? last : 0
    }

    private static func pairs(_ rows: [[StoreValue]]) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in rows {
            guard row.count == 2, case .text(let key) = row[0], case .integer(let value) = row[1] else {
                throw PostgresStoreError.unexpectedValue("a version vector row \(row)")
            }
            result[key] = value
        }
        return result
    }

    private static func balances(_ rows: [[StoreValue]]) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in rows {
            let key = row.prefix(4).map { value -> String in if case .text(let text) = value { return text } else { return value.canonicalText } }
            guard row.count == 6, case .integer(let total) = row[4], case .integer(let lines) = row[5] else {
                throw PostgresStoreError.unexpectedValue("a balance row \(row)")
            }
            result[key.joined(separator: "|")] = total
            result[key.joined(separator: "|") + "|lines"] = lines
        }
        return result
    }
}
