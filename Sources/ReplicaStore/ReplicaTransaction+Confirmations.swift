import GRDB
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
