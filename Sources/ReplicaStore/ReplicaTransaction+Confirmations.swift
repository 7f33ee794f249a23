import GRDB
import Foundation
import LedgerCore

/// The figures a unit confirms level by level (多级对账确认, 3/6 item 5), computed the same way at the unit and at the hub
/// from the same vouchers: its intercompany balance with HQ (`ORG:3001.01`) and the total of its bank accounts.
extension ReplicaTransaction {
    /// The unit's intercompany balance with HQ and the sum of its bank accounts' book balances through `date`.
    public func confirmationFigures(of org: OrgCode, through date: BusinessDate) throws -> (intercompany: AmountMinorUnits, bankTotal: AmountMinorUnits) {
        let intercompany = try bookBalance(LedgerAccounts.subject(org, LedgerAccounts.intercompanyHQ), through: date)
        var bankTotal = AmountMinorUnits.zero
        for account in try accounts(of: org) where account.kind == .bank {
            bankTotal = try bankTotal.adding(try bookBalance(account.id, through: date))
        }
        return (intercompany, bankTotal)
    }

    /// The latest date through which `org` has a confirmation this replica holds (`nil`: none).
    public func confirmedThrough(_ org: OrgCode) throws -> BusinessDate? {
        try String.fetchOne(db, sql: "SELECT MAX(through) FROM confirmation WHERE org = ?", arguments: [org.rawValue]).flatMap(BusinessDate.init)
    }
}

extension ReplicaTransaction {
    /// A stored slip's `issuer_entries` or `receiver_entries` (kept as JSON text in the row) as voucher lines, or `nil`
    /// when the slip or the field is missing or does not read as positive lines.
    public func slipEntries(_ slip: String, _ field: String) throws -> [VoucherLine]? {
        guard ["issuer_entries", "receiver_entries"].contains(field),
              let text = try String.fetchOne(db, sql: "SELECT \(field) FROM slip WHERE id = ?", arguments: [slip]) else { return nil }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch { return nil }   // not lines: said by nil
        guard let items = parsed as? [[String: Any]] else { return nil }
        var lines: [VoucherLine] = []
        for item in items {
            guard let account = item["account"] as? String, let side = (item["side"] as? String).flatMap(EntrySide.init(rawValue:)),
                  let amount = (item["amount"] as? NSNumber)?.int64Value, amount > 0 else { return nil }
            lines.append(VoucherLine(account: account, side: side, amount: AmountMinorUnits(amount)))
        }
        return lines
    }
}

extension ReplicaTransaction {
    /// This office's `slip_returned` for `slip` that the hub has not refused, if any (a return waiting for the re-issue).
    public func pendingReturn(of slip: String) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT s.id FROM slip s WHERE s.kind = 'slip_returned' AND s.related = ? AND s.status != 'rejected'
            AND NOT EXISTS (SELECT 1 FROM rejection r WHERE r.tbl = 'slip' AND r.key = s.id) LIMIT 1
            """, arguments: [slip])
    }
}
