import GRDB
import LedgerCore

extension ReplicaStore {
    /// Checks the replica's integrity and returns every problem found (empty when sound):
    /// - counters of every origin this replica receives completely run from 1 without gaps, and the version
    ///   vector equals the highest counter logged for every origin;
    /// - every voucher has at least two lines, positive amounts, and debits equal to credits;
    /// - every voucher row has its change-log entry, and every applied voucher change its row;
    /// - outbox positions of each peer run without gaps above the acknowledged position;
    /// - every replicated table is exactly what its change log says (`changeLogDiscrepancies`).
    public func verify(receivesEveryChange: (OrgCode) -> Bool) throws -> [String] {
        try verifyStructure(receivesEveryChange: receivesEveryChange) + changeLogDiscrepancies()
    }

    func verifyStructure(receivesEveryChange: (OrgCode) -> Bool) throws -> [String] {
        try writer.read { db in
            var problems: [String] = []
            let vector = try Self.loadVector(db)
            for row in try Row.fetchAll(db, sql: "SELECT origin, COUNT(*) AS n, MIN(counter) AS lo, MAX(counter) AS hi FROM change_log GROUP BY origin") {
                guard let origin = OrgCode(row["origin"]) else { problems.append("change log has an invalid origin"); continue }
                let count: Int64 = row["n"], low: Int64 = row["lo"], high: Int64 = row["hi"]
                if vector[origin] != high {
                    problems.append("version vector says \(origin):\(vector[origin]) but the change log's highest is \(high)")
                }
                if (origin == org || receivesEveryChange(origin)) && (low != 1 || count != high) {
                    problems.append("counters of \(origin) have gaps: \(count) changes logged for counters \(low)...\(high)")
                }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT v.id, COUNT(l.line_no) AS lines,
                    COALESCE(SUM(CASE WHEN l.side = 'debit' THEN l.amount END), 0) AS debits,
                    COALESCE(SUM(CASE WHEN l.side = 'credit' THEN l.amount END), 0) AS credits,
                    COALESCE(MIN(l.amount), 0) AS smallest
                FROM voucher v LEFT JOIN voucher_line l ON l.voucher_id = v.id GROUP BY v.id
                HAVING lines < 2 OR debits != credits OR smallest <= 0
                """) {
                let id: String = row["id"]
                problems.append("voucher \(id) does not balance or has too few lines (debits \(row["debits"] as Int64), credits \(row["credits"] as Int64))")
            }
            let unlogged = try String.fetchAll(db, sql: """
                SELECT v.id FROM voucher v LEFT JOIN change_log c ON c.origin = v.origin AND c.counter = v.counter
                WHERE c.origin IS NULL LIMIT 10
                """)
            problems += unlogged.map { "voucher \($0) has no change-log entry" }
            let missing = try String.fetchAll(db, sql: """
                SELECT c.key FROM change_log c LEFT JOIN voucher v ON v.id = c.key
                WHERE c.tbl = 'voucher' AND c.rejected = 0 AND v.id IS NULL LIMIT 10
                """)
            problems += missing.map { "voucher change \($0) was applied but its voucher is missing" }
            for row in try Row.fetchAll(db, sql: """
                SELECT s.peer, s.acked_position, s.next_position, COUNT(o.position) AS n, MIN(o.position) AS lo, MAX(o.position) AS hi
                FROM stream_out s LEFT JOIN outbox o ON o.peer = s.peer GROUP BY s.peer
                """) {
                let acked: Int64 = row["acked_position"], next: Int64 = row["next_position"], count: Int64 = row["n"]
                if count != next - 1 - acked {
                    problems.append("outbox for \(row["peer"] as String) holds \(count) changes but \(next - 1 - acked) are unacknowledged")
                }
            }
            // A change held for a node one release behind (§11.4) is one this hub wrote and has not queued for that node.
            // The queues are scanned once each and the few held changes probed by their key, so this costs the outbox
            // history, as the checks above cost the change log; with nothing held it costs nothing.
            if role == .hub, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM held_change") ?? 0 > 0 {
                let unlogged = try Row.fetchAll(db, sql: """
                    SELECT h.peer, h.origin, h.counter FROM held_change h
                    LEFT JOIN change_log c ON c.origin = h.origin AND c.counter = h.counter
                    WHERE c.origin IS NULL OR h.origin <> ? LIMIT 10
                    """, arguments: [org.rawValue])
                problems += unlogged.map { "change \($0["origin"] as String):\($0["counter"] as Int64) is held for \($0["peer"] as String) but is not one of this hub's logged changes" }
                for queue in ["outbox", "outbox_acknowledged"] {
                    let queued = try Row.fetchAll(db, sql: """
                        SELECT o.peer, o.origin, o.counter FROM \(queue) o
                        WHERE EXISTS (SELECT 1 FROM held_change h WHERE h.peer = o.peer AND h.origin = o.origin AND h.counter = o.counter)
                        LIMIT 10
                        """)
                    problems += queued.map { "change \($0["origin"] as String):\($0["counter"] as Int64) is held for \($0["peer"] as String) and also queued for it" }
                }
            }
            return problems
        }
    }
}
