import Foundation
import GRDB
import LedgerCore

/// The row sets the hub's reports are built from (DOMAIN.md §5), each for a period and the units given.
public enum ReportQuery: Sendable {
    /// Slips per branch: kind, dates, amounts, and when the bank receipt cleared them.
    case slips(from: String, through: String)
    /// Bank journal lines (receipts or payments) of the given accounts' owners.
    case bankJournal(direction: String, from: String, through: String)
    /// Balance reports with the previous report of the same account.
    case balanceReports(from: String, through: String)
    /// Allocation orders.
    case allocations(from: String, through: String)
}

extension ReplicaStore {
    /// Rows of `query` as column → value (text or integer), in a stable order.
    public func reportRows(_ query: ReportQuery) throws -> [[String: FieldValue]] {
        let (sql, arguments): (String, StatementArguments)
        switch query {
        case .slips(let from, let through):
            sql = """
                SELECT * FROM (
                    SELECT s.id, s.kind, s.issuer, s.receiver, s.date, s.amount,
                        (SELECT MIN(v.date) FROM voucher v WHERE v.source = 'receipt:' || s.id AND v.status = 'posted') AS cleared_on
                    FROM slip s WHERE s.kind IN ('sweep_up', 'allocation') AND s.status != 'rejected' AND s.date <= ?) AS q
                WHERE q.date >= ? OR q.cleared_on IS NULL OR q.cleared_on >= ? ORDER BY q.date, q.id
                """
            arguments = [through, from, from]
        case .bankJournal(let direction, let from, let through):
            sql = """
                SELECT id, org, account, date, amount, advice, counterparty, slip FROM bank_journal
                WHERE direction = ? AND date >= ? AND date <= ? ORDER BY date, org, id
                """
            arguments = [direction, from, through]
        case .balanceReports(let from, let through):
            sql = """
                SELECT r.org, r.account, r.date, r.balance,
                    (SELECT p.balance FROM balance_report p WHERE p.account = r.account AND p.date < r.date ORDER BY p.date DESC LIMIT 1) AS previous
                FROM balance_report r WHERE r.date >= ? AND r.date <= ? ORDER BY r.org, r.account, r.date
                """
            arguments = [from, through]
        case .allocations(let from, let through):
            sql = "SELECT * FROM allocation WHERE date >= ? AND date <= ? ORDER BY date, id"
            arguments = [from, through]
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var values: [String: FieldValue] = [:]
                for column in row.columnNames {
                    let value: DatabaseValue = row[column]
                    switch value.storage {
                    case .int64(let number): values[column] = .integer(number)
                    case .string(let text): values[column] = .text(text)
                    case .null: values[column] = .null
                    case .double(let number): values[column] = .integer(Int64(number))
                    case .blob(let data): values[column] = .bytes([UInt8](data))
                    }
                }
                return values
            }
        }
    }
}
