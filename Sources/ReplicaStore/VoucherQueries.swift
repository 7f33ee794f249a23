import GRDB
import LedgerCore

/// Reads vouchers back from their tables.
enum VoucherQueries {
    static func voucher(_ id: String, in db: Database, postedOnly: Bool) throws -> Voucher? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, org, date, currency, memo, preparer, reverses, status, reviewer, approver, source FROM voucher WHERE id = ?
            """, arguments: [id]) else { return nil }
        if postedOnly && (row["status"] as String) != "posted" { return nil }
        let lines = try Row.fetchAll(db, sql: "SELECT account, side, amount FROM voucher_line WHERE voucher_id = ? ORDER BY line_no",
                                     arguments: [id]).map { line in
            VoucherLine(account: line["account"], side: EntrySide(rawValue: line["side"]) ?? .debit, amount: AmountMinorUnits(line["amount"]))
        }
        guard let org = OrgCode(row["org"]), let date = BusinessDate(row["date"]), let currency = CurrencyCode(row["currency"]) else {
            return nil
        }
        return Voucher(id: row["id"], org: org, date: date, currency: currency, memo: row["memo"], preparer: row["preparer"],
                       reverses: row["reverses"], lines: lines, reviewer: row["reviewer"], approver: row["approver"], source: row["source"])
    }
}
