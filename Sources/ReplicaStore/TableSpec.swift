import Foundation
import GRDB
import LedgerCore

/// How a replicated table's change fields map to its columns, for the tables the applier handles generically.
///
/// The SQL that creates these tables is in `ReplicaSchema` (migrations never use app types); `TableSpecTests`
/// checks that every column named here exists there.
struct TableSpec: Sendable {
    enum Mode: Sendable {
        /// Registry records: the latest change replaces the row.
        case upsert
        /// Documents: written once; a second insert with the same key is a conflict (rejected).
        case insertOnly
    }

    let table: ReplicatedTable
    let keyColumn: String
    let columns: [String]
    let mode: Mode
    /// Columns set by the applier at insert with a fixed value (documents' initial state bookkeeping).
    let defaults: [String: String]

    init(_ table: ReplicatedTable, key: String = "id", _ columns: [String], mode: Mode, defaults: [String: String] = [:]) {
        self.table = table
        self.keyColumn = key
        self.columns = columns
        self.mode = mode
        self.defaults = defaults
    }

    static let all: [ReplicatedTable: TableSpec] = Dictionary(uniqueKeysWithValues: [
        TableSpec(.staff, ["org", "name", "roles"], mode: .upsert),
        TableSpec(.staffKey, ["staff", "org", "name", "roles", "algorithm", "public_key", "valid_until", "certified_in", "issuer_key",
                              "certificate_signature", "revoked_in", "revoked_reason", "revoked_on", "revoked_by"], mode: .upsert),
        TableSpec(.approvalRule, ["category", "tier", "basis", "approver_role", "effective_from"], mode: .upsert),
        TableSpec(.sweepPlan, ["org", "account", "collection_account", "mode", "retained_balance", "frequency", "effective_from"], mode: .upsert),
        TableSpec(.rate, ["kind", "effective_from", "rate_ppm", "day_count"], mode: .upsert),
        TableSpec(.parameter, ["name", "value", "effective_from"], mode: .upsert),
        TableSpec(.periodLock, ["locked_through", "override_reason", "override_by"], mode: .upsert),
        TableSpec(.calendarDay, key: "date", ["kind", "name"], mode: .upsert),
        TableSpec(.bankJournal, ["org", "account", "date", "direction", "amount", "advice", "counterparty", "memo", "slip",
                                 "preparer", "reviewer", "signatures"], mode: .insertOnly),
        TableSpec(.balanceReport, ["org", "account", "date", "balance", "preparer", "reviewer", "signatures"], mode: .insertOnly),
        TableSpec(.slip, ["kind", "issuer", "receiver", "date", "amount", "currency", "bank_account", "bank_advice", "memo",
                          "related", "issuer_entries", "receiver_entries", "preparer", "reviewer", "approver", "signatures"], mode: .insertOnly),
        TableSpec(.forecast, ["org", "period", "date", "amounts", "total", "preparer", "reviewer", "approver", "signatures"], mode: .insertOnly),
        TableSpec(.application, ["org", "category", "amount", "reason", "date", "preparer", "reviewer", "approver", "state", "signatures"],
                  mode: .insertOnly),
        TableSpec(.accountRequest, ["org", "action", "account", "details", "date", "preparer", "reviewer", "approver", "state", "signatures"],
                  mode: .insertOnly),
        TableSpec(.payment, ["org", "account", "payee", "payee_account", "amount", "date", "purpose", "expense_account",
                             "preparer", "reviewer", "approver", "state", "payee_kind", "basis", "recipients", "signatures"], mode: .insertOnly),
        TableSpec(.differenceNotice, ["org", "check_kind", "subject", "date", "level", "expected", "actual", "message", "state"],
                  mode: .upsert),
        TableSpec(.audit, ["org", "at_ms", "actor", "action", "detail", "signatures"], mode: .insertOnly),
        TableSpec(.explanation, ["org", "notice", "date", "text", "preparer", "reviewer", "approver", "signatures"], mode: .insertOnly),
        TableSpec(.resync, ["node", "restored_counter", "restored_position", "hub_counter", "hub_position", "returned_changes",
                            "resent_changes", "discarded_waiting"], mode: .insertOnly),
        TableSpec(.allocation, ["kind", "branch", "amount", "date", "period", "application", "source_account", "slip",
                                "preparer", "reviewer", "approver", "state"], mode: .upsert),
        TableSpec(.confirmation, ["org", "through", "date", "intercompany", "bank_total", "preparer", "reviewer", "approver", "signatures"],
                  mode: .insertOnly),
        TableSpec(.statement, ["org", "account", "currency", "number", "page", "reference", "opening", "opening_date", "closing",
                               "closing_date", "entries", "format", "file", "file_sha256", "preparer", "reviewer", "signatures"],
                  mode: .insertOnly),
        TableSpec(.contract, ["kind", "branch", "principal", "currency", "term_months", "rate_kind", "rate_ppm", "day_count",
                              "start_date", "maturity_date", "chain_start", "chain_paid", "interest_from", "state", "closed_date",
                              "renewed_as", "preparer", "reviewer", "approver"], mode: .upsert),
        TableSpec(.officeRelease, ["org", "number", "version", "formats"], mode: .insertOnly),
    ].map { ($0.table, $0) })

    /// The SQL statement for this spec (cached per connection by GRDB).
    var sql: String {
        let names = [keyColumn] + columns
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        var sql = "INSERT INTO \(table.rawValue) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
        if mode == .upsert {
            sql += " ON CONFLICT(\(keyColumn)) DO UPDATE SET " + columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        }
        return sql
    }

    /// The statement arguments for `change`, reading every field before anything is written.
    func arguments(for change: Change) throws -> StatementArguments {
        var values: [(any DatabaseValueConvertible)?] = [change.key]
        for column in columns {
            switch change.fields[column] {
            case nil, .null?: values.append(nil)
            case .integer(let number)?: values.append(number)
            case .text(let text)?: values.append(text)
            case .bytes(let bytes)?: values.append(Data(bytes))
            case let value?: values.append(FieldJSON.encode(value))
            }
        }
        return StatementArguments(values)
    }
}

/// Canonical JSON text of a field value, for list and record fields stored in a TEXT column (SQLite's JSON
/// functions can read it). Keys sorted, integers as numbers, bytes as hex strings.
enum FieldJSON {
    static func encode(_ value: FieldValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .text(let text): return quote(text)
        case .bytes(let bytes): return quote(bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
        case .list(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case .record(let map):
            return "{" + map.keys.sorted().map { quote($0) + ":" + encode(map[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
