import Foundation
import GRDB
import LedgerCore

extension ReplicaStore {
    /// Columns of replicated tables that each replica keeps for itself: derived from replicated data, never sent, and
    /// so not rebuilt by a replay (docs/DESIGN.md §8, node-local state). A slip's booking status at this office
    /// (`in_transit`, `cleared`, `unbooked`) follows from this office's own vouchers and bank journal; a bank journal
    /// line's match to a bank statement line is the hub's own statement work (hub-only storage).
    static let locallyDerivedColumns: [String: Set<String>] = ["slip": ["status", "status_date"], "bank_journal": ["statement_entry"]]

    /// Rebuilds every replicated table from the change log alone, in a scratch in-memory replica, and lists each
    /// row that differs from the real table (empty when they agree).
    ///
    /// This is the check that nothing writes a replicated row behind the change log's back: such a row would drift
    /// between offices and no exchange would ever repair it. The applied (not rejected) changes are replayed in the
    /// order this replica logged them (release 1's changes, which carry no such order, first and in a causal order: each
    /// origin by counter, each change after the changes it depends on) through the same `ChangeApplier` that applied
    /// them first. Columns in `locallyDerivedColumns` are left out of the comparison.
    public func changeLogDiscrepancies(limit: Int = 20) throws -> [String] {
        // Changes logged by release 1 carry no local order: they go first, in a causal order. Every later change is
        // replayed in the order this replica logged it (`applied_seq`), which is the order it was applied in.
        let (legacy, ordered) = try writer.read { db -> ([Change], [Change]) in
            func decode(_ row: Row) throws -> Change {
                let bytes = [UInt8](row["record"] as Data)
                return try ChangeCodec.decode(bytes, range: 0..<bytes.count)
            }
            let legacy = try Row.fetchAll(db, sql: """
                SELECT record FROM change_log WHERE rejected = 0 AND applied_seq IS NULL ORDER BY origin, counter
                """).map(decode)
            let ordered = try Row.fetchAll(db, sql: """
                SELECT record FROM change_log WHERE rejected = 0 AND applied_seq IS NOT NULL ORDER BY applied_seq
                """).map(decode)
            return (legacy, ordered)
        }
        let scratch = try ReplicaStore.create(path: nil, role: role, org: org, clock: clock)
        var problems: [String] = []
        try scratch.writer.write { db in
            let transaction = try ReplicaTransaction(db: db, store: scratch, policy: nil)
            // A change's deps name only what its writer chose to depend on: the hub's transition of a county's payment
            // does not name the payment. A change that cannot apply yet waits, and is tried again, in order, after each
            // pass that applied something, as the pending area does for a live replica.
            var waiting = Self.causalOrder(legacy) + ordered
            var failures: [ChangeID: any Error] = [:]
            var progressed = true
            while progressed && !waiting.isEmpty {
                progressed = false
                var stillWaiting: [Change] = []
                for change in waiting {
                    do {
                        try db.inSavepoint {
                            try ChangeApplier.apply(change, in: transaction)
                            return .commit
                        }
                        failures[change.id] = nil
                        progressed = true
                    } catch {
                        failures[change.id] = error
                        stillWaiting.append(change)
                    }
                }
                waiting = stillWaiting
            }
            for change in waiting {
                problems.append("change \(change.id) (\(change.table) \(change.key)) cannot be replayed: \(failures[change.id].map { "\($0)" } ?? "")")
            }
        }
        let tables = ReplicatedTable.allCases.map(\.rawValue) + ["voucher_line"]
        for table in tables.sorted() where problems.count < limit {
            let excluded = Self.locallyDerivedColumns[table] ?? []
            let real = try writer.read { try Self.renderedRows(table, excluding: excluded, in: $0) }
            let replayed = try scratch.writer.read { try Self.renderedRows(table, excluding: excluded, in: $0) }
            for row in real.subtracting(replayed).sorted().prefix(limit - problems.count) {
                problems.append("\(table): row [\(row)] is not what the change log says")
            }
            for row in replayed.subtracting(real).sorted().prefix(max(0, limit - problems.count)) {
                problems.append("\(table): the change log says [\(row)], which the table does not hold")
            }
        }
        return problems
    }

    /// `changes` (sorted by origin, then counter) in an order where each comes after its origin's earlier changes
    /// and after every logged change it depends on. A dependency this replica never received (a node does not
    /// receive every origin's changes) does not hold a change back.
    static func causalOrder(_ changes: [Change]) -> [Change] {
        var queues: [OrgCode: ArraySlice<Change>] = [:]
        for change in changes { queues[change.id.origin, default: []].append(change) }
        let origins = queues.keys.sorted()
        var applied = VersionVector()
        var ordered: [Change] = []
        ordered.reserveCapacity(changes.count)
        func isReady(_ change: Change) -> Bool {
            change.deps.counters.allSatisfy { origin, counter in
                origin == change.id.origin || applied[origin] >= counter
                    || (queues[origin]?.first.map { $0.id.counter > counter } ?? true)
            }
        }
        var progressed = true
        while progressed {
            progressed = false
            for origin in origins {
                while let head = queues[origin]?.first, isReady(head) {
                    ordered.append(head)
                    applied.advance(origin, to: head.id.counter)
                    queues[origin] = queues[origin]?.dropFirst()
                    progressed = true
                }
            }
        }
        // A dependency cycle cannot come from honest writers; whatever is left is replayed last, and any failure shows.
        for origin in origins { ordered += queues[origin] ?? [] }
        return ordered
    }

    /// Every row of `table` rendered as text, the `excluded` columns left out.
    static func renderedRows(_ table: String, excluding excluded: Set<String>, in db: Database) throws -> Set<String> {
        Set(try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
            row.columnNames.filter { !excluded.contains($0) }.map { column -> String in
                let value: DatabaseValue = row[column]
                switch value.storage {
                case .null: return "\(column)=NULL"
                case .int64(let number): return "\(column)=\(number)"
                case .double(let number): return "\(column)=\(number)"
                case .string(let text): return "\(column)='\(text)'"
                case .blob(let data): return "\(column)=x'" + data.map { String(format: "%02x", $0) }.joined() + "'"
                }
            }.joined(separator: " ")
        })
    }
}
