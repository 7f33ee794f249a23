import Foundation
import GRDB

extension ReplicaStore {
    /// A canonical dump of every table (rows rendered and sorted, tables in name order), for comparing replicas
    /// and runs: two replicas with the same fingerprint hold exactly the same data. The simulator uses it to show
    /// that a replay from a seed reproduces every replica byte for byte.
    public func canonicalDump() throws -> String {
        try writer.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
                """)
            var lines: [String] = []
            for table in tables {
                // The store of record's bookkeeping (its mark and commit stamp) is not the books: a run replays to the
                // same fingerprint whether its hub kept them in SQLite alone or in PostgreSQL too.
                let filter = table == "meta" ? " WHERE key NOT IN ('\(Self.storeOfRecordKey)', '\(Self.commitStampKey)')" : ""
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)\(filter)").map { row in
                    row.columnNames.map { column -> String in
                        let value: DatabaseValue = row[column]
                        switch value.storage {
                        case .null: return "NULL"
                        case .int64(let number): return String(number)
                        case .double(let number): return String(number)
                        case .string(let text): return "'\(text)'"
                        case .blob(let data): return "x'" + data.map { String(format: "%02x", $0) }.joined() + "'"
                        }
                    }.joined(separator: "|")
                }
                lines.append("## \(table)")
                lines += rows.sorted()
            }
            return lines.joined(separator: "\n")
        }
    }
}
