import LedgerCore
import ReplicaStore

/// The ledger as of a date, for booking a fact: an account that is frozen or closed is reported active, and noted
/// in `inactive`, so the booking goes through and a finding can name it (`HubBooks.post(factOf:)`). An unknown
/// account is still unknown. With `acceptsInactive` false it is the plain as-of lookup.
final class FactLookup: LedgerLookup {
    let base: AsOfLedgerLookup
    let acceptsInactive: Bool
    private(set) var inactive: [AccountRecord] = []

    init(base: AsOfLedgerLookup, acceptsInactive: Bool) {
        self.base = base
        self.acceptsInactive = acceptsInactive
    }

    func account(_ id: String) throws -> AccountRecord? {
        guard var account = try base.account(id) else { return nil }
        if acceptsInactive && account.status != .active {
            if !inactive.contains(where: { $0.id == account.id }) { inactive.append(account) }
            account.status = .active
        }
        return account
    }

    func postedVoucher(_ id: String) throws -> Voucher? { try base.postedVoucher(id) }
    func isReversed(_ id: String) throws -> Bool { try base.isReversed(id) }
}
