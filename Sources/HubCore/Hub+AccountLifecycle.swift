import LedgerCore
import ReplicaStore

/// Account lifecycle controls (3/6 item 6, DOMAIN.md D4): who may freeze an account, from when, and why; what an
/// account must be to be closed; one basic account per unit. The authority checks are here, in one place, so 4/6 only
/// changes who is proven to act.
extension Hub {
    /// Freezes a bank or internal account: nothing more may be paid from it or posted to it from `effectiveFrom` on.
    ///
    /// - Parameters:
    ///   - reason: why (a court order, a suspected fraud…): required, kept on the registry record and in the audit log.
    ///   - staff: who decides: registered hub staff holding the fund manager's or the fund-centre manager's post.
    ///   - decidedOn: the business date of the decision ("today" for the person deciding).
    ///   - effectiveFrom: the first business date it is frozen; by default the next business date after `decidedOn` (by the registry's calendar),
    ///     so that what was done today stands. It may be `decidedOn` itself, never earlier: a freeze is never retroactive.
    /// - Returns: the date it takes effect.
    @discardableResult
    public func freezeAccount(_ id: String, reason: String, by staff: String, decidedOn: BusinessDate,
                              effectiveFrom: BusinessDate? = nil) throws -> BusinessDate {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RegistryError(.invalidValue, "a freeze needs a reason (--reason): a court order, a suspected fraud, …")
        }
        let from = try effectiveFrom ?? store.read { try $0.businessCalendar() }.nextBusinessDate(after: decidedOn)
        guard from >= decidedOn else {
            throw RegistryError(.notPermitted, "a freeze is never retroactive: \(from) is before the decision date \(decidedOn)")
        }
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundManager, .fundCentreManager], to: "freeze accounts", in: transaction)
            guard var account = try transaction.account(id) else { throw RegistryError(.notFound, "account \(id) is not in the registry") }
            guard account.status == .active else { throw RegistryError(.conflict, "account \(id) is \(account.status.rawValue), not active") }
            account.status = .frozen
            var fields = account.fields.merging(try storedAttributes(id, in: transaction)) { current, _ in current }
            fields["status_from"] = .text(from.description)
            fields["status_reason"] = .text(reason)
            fields["status_by"] = .text(staff)
            try transaction.appendLocal(table: .account, key: id, operation: .update, fields: fields)
        }
        return from
    }

    /// `staff` is registered hub staff holding one of `posts`.
    func requireRegistryAuthority(_ staff: String, _ posts: Set<StaffRole>, to action: String, in transaction: ReplicaTransaction) throws {
        guard let member = try transaction.staffMember(staff), member.org == org else {
            throw RegistryError(.notPermitted, "\(staff) is not registered staff of the hub and may not \(action)")
        }
        guard !member.roles.isDisjoint(with: posts) else {
            throw RegistryError(.notPermitted, "\(staff) may not \(action): that needs the post of "
                                + posts.map(\.rawValue).sorted().joined(separator: " or "))
        }
    }

    /// An account may be closed only with nothing in it: its book balance is zero on every date it has.
    func checkClosable(_ id: String, in transaction: ReplicaTransaction) throws {
        let balance = try transaction.bookBalance(id, through: BusinessDate("9999-12-31")!)
        guard balance == .zero else {
            throw TreasuryError(.accountNotUsable, "account \(id) holds \(balance) in the books: it can be closed only at zero (move the money first)")
        }
    }

    /// A unit holds at most one basic account (基本存款账户, DOMAIN.md §3.1): opening a second is refused.
    func checkOneBasicAccount(_ branch: OrgCode, opening id: String, in transaction: ReplicaTransaction) throws {
        for account in try transaction.accounts(of: branch) where account.kind == .bank && account.id != id && account.status != .closed {
            if try transaction.accountAttributes(account.id).accountClass == "basic" {
                throw TreasuryError(.alreadyDone, "\(branch) already holds basic account \(account.id); a unit may hold only one")
            }
        }
    }
}
