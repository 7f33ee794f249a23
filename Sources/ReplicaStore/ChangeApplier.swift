import GRDB
import LedgerCore

/// Materialises a change into its table. The single path for both local writes and received changes, so a
/// replica's tables are always exactly what its change log says.
///
/// Each case reads and checks every field before it writes anything, and only its first statement can violate a
/// constraint: a bad change therefore fails without leaving part of itself behind (see `process` in
/// `ReplicaTransaction+Receive`).
enum ChangeApplier {
    static func apply(_ change: Change, in transaction: ReplicaTransaction) throws {
        guard let table = change.replicatedTable else {
            throw ReplicaStoreError(.invalidInput("change \(change.id) names unknown table '\(change.table)'"))
        }
        let db = transaction.db
        let fields = FieldReader(change.fields, context: "\(change.table) \(change.key)")
        if table == .orgUnit || table == .nodeKey { transaction.structureChanges += 1 }
        if change.operation == .delete {
            try delete(table, key: change.key, in: transaction)
            return
        }
        switch table {
        case .orgUnit:
            try db.cachedStatement(sql: """
                INSERT INTO org_unit (code, parent, name, level) VALUES (?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET parent = excluded.parent, name = excluded.name, level = excluded.level
                """).execute(arguments: [change.key, try fields.optionalText("parent"), try fields.text("name"), try fields.text("level")])
        case .account:
            let arguments: StatementArguments = [
                change.key, try fields.text("org"), try fields.text("kind"), try fields.text("code"), try fields.text("name"),
                try fields.text("currency"), try fields.text("status"), try fields.optionalText("purpose"),
                try fields.optionalText("class"), try fields.optionalText("bank"), change.fields["retained_balance"]?.integerValue,
                change.fields["max_deposit"]?.integerValue, try fields.optionalText("settlement_number"),
                try fields.optionalText("status_from"), try fields.optionalText("status_reason"), try fields.optionalText("status_by"),
                try fields.optionalText("inspected_on"), try fields.optionalText("time_zone"),
            ]
            try db.cachedStatement(sql: """
                INSERT INTO account (id, org, kind, code, name, currency, status, purpose, class, bank, retained_balance,
                    max_deposit, settlement_number, status_from, status_reason, status_by, inspected_on, time_zone)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET org = excluded.org, kind = excluded.kind, code = excluded.code,
                    name = excluded.name, currency = excluded.currency, status = excluded.status, purpose = excluded.purpose,
                    class = excluded.class, bank = excluded.bank, retained_balance = excluded.retained_balance,
                    max_deposit = excluded.max_deposit, settlement_number = excluded.settlement_number,
                    status_from = excluded.status_from, status_reason = excluded.status_reason, status_by = excluded.status_by,
                    inspected_on = excluded.inspected_on, time_zone = excluded.time_zone
                """).execute(arguments: arguments)
            transaction.invalidateAccount(change.key)
        case .nodeKey:
            try db.cachedStatement(sql: """
                INSERT INTO node_key (key_id, org, algorithm, public_key_pem, status) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(key_id) DO UPDATE SET org = excluded.org, algorithm = excluded.algorithm,
                    public_key_pem = excluded.public_key_pem, status = excluded.status
                """).execute(arguments: [change.key, try fields.text("org"), try fields.text("algorithm"),
                                         try fields.text("public_key_pem"), try fields.text("status")])
        case .voucher:
            try insertVoucher(try transaction.voucher(of: change), id: change.id, signatures: change.fields["signatures"], in: db)
        case .rejection:
            try applyRejection(change, fields: fields, in: db)
        case .transition:
            try TransitionApplier.apply(change, in: transaction)
        default:
            guard let spec = TableSpec.all[table] else {
                throw ReplicaStoreError(.invalidInput("no applier for table \(table.rawValue)"))
            }
            try db.cachedStatement(sql: spec.sql).execute(arguments: try spec.arguments(for: change))
        }
        if table == .account { try recordAccountStatus(change, fields: fields, in: db) }
        if table == .periodLock { transaction.cachedPeriodLock = nil }
        if table == .staffKey { transaction.certificateCache = [:] }
        if table == .parameter { transaction.unsignedDocumentsCache = nil }
        if table.isDatedDocument || table == .slip {
            for party in ["org", "issuer", "receiver"] {
                if let org = change.fields[party]?.textValue { transaction.markDirty(org: org, date: change.businessDate) }
            }
        }
    }

    /// Keeps the effective-dated status history an account's changes describe, so documents are checked against
    /// the registry as of their business date.
    static func recordAccountStatus(_ change: Change, fields: FieldReader, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO account_status_history (account, effective_from, status, counter) VALUES (?, ?, ?, ?)
            ON CONFLICT (account, effective_from, counter) DO UPDATE SET status = excluded.status
            """).execute(arguments: [change.key, try fields.optionalText("status_from") ?? "0000-01-01", try fields.text("status"),
                                     change.id.counter])
    }

    static func insertVoucher(_ voucher: Voucher, id: ChangeID, signatures: FieldValue? = nil, in db: Database) throws {
        for (index, line) in voucher.lines.enumerated() where line.amount.value <= 0 {
            throw LedgerRuleViolation(.nonPositiveAmount(line: index + 1))
        }
        guard !voucher.lines.isEmpty else { throw LedgerRuleViolation(.lineCount(count: 0, countMin: 2, countMax: Limits.voucherLineCountMax)) }
        try db.cachedStatement(sql: """
            INSERT INTO voucher (id, org, date, currency, memo, preparer, reverses, origin, counter, reviewer, approver, source, signatures)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [voucher.id, voucher.org.rawValue, voucher.date.description, voucher.currency.code,
                                     voucher.memo, voucher.preparer, voucher.reverses, id.origin.rawValue, id.counter,
                                     voucher.reviewer, voucher.approver, voucher.source,
                                     signatures.flatMap { $0 == .null ? nil : FieldJSON.encode($0) }])
        let line = try db.cachedStatement(sql: "INSERT INTO voucher_line (voucher_id, line_no, account, side, amount) VALUES (?, ?, ?, ?, ?)")
        for (index, entry) in voucher.lines.enumerated() {
            try line.execute(arguments: [voucher.id, index + 1, entry.account, entry.side.rawValue, entry.amount.value])
        }
    }

    static func applyRejection(_ change: Change, fields: FieldReader, in db: Database) throws {
        let reason = try fields.text("reason")
        let rejectedTable = try fields.text("table")
        let rejectedKey = try fields.text("key")
        // `code` is new in release 2: a release-1 hub's notices have none.
        let arguments: StatementArguments = [change.key, try fields.text("origin"), try fields.integer("counter"),
                                             rejectedTable, rejectedKey, reason, try fields.optionalText("code")]
        try db.cachedStatement(sql: """
            INSERT INTO rejection (id, origin, counter, tbl, key, reason, code) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """).execute(arguments: arguments)
        switch ReplicatedTable(rawValue: rejectedTable) {
        case .voucher?:
            try db.cachedStatement(sql: "UPDATE voucher SET status = 'rejected', reject_reason = ? WHERE id = ?")
                .execute(arguments: [reason, rejectedKey])
        case .application?, .accountRequest?, .payment?:
            // The document never reached the hub's books: it ends here, rejected (its reason is in `rejection`).
            try db.execute(sql: "UPDATE \(rejectedTable) SET state = 'rejected' WHERE id = ?", arguments: [rejectedKey])
        case .slip?:
            try db.execute(sql: "UPDATE slip SET status = 'rejected' WHERE id = ?", arguments: [rejectedKey])
        default:
            break
        }
    }

    static func delete(_ table: ReplicatedTable, key: String, in transaction: ReplicaTransaction) throws {
        let sql: String
        switch table {
        case .orgUnit: sql = "DELETE FROM org_unit WHERE code = ?"
        case .account: sql = "DELETE FROM account WHERE id = ?"
        case .nodeKey: sql = "DELETE FROM node_key WHERE key_id = ?"
        case .staff, .staffKey, .approvalRule, .sweepPlan, .rate, .parameter, .periodLock:
            try transaction.db.execute(sql: "DELETE FROM \(table.rawValue) WHERE id = ?", arguments: [key])
            return
        default:
            throw ReplicaStoreError(.invalidInput("\(table.rawValue) records are append-only and cannot be deleted"))
        }
        try transaction.db.execute(sql: sql, arguments: [key])
        transaction.invalidateAccount(key)
    }
}
