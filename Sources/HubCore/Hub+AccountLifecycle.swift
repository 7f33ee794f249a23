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

/// An account's annual inspection (年检) as the task list shows it.
public struct AccountInspection: Equatable, Sendable, Codable {
    public var account: String
    public var org: String
    public var name: String
    /// The last inspection, if any.
    public var inspectedOn: String?
    /// When the next one is due: a year after the last, or a year after the account was opened (first used).
    public var dueOn: String
    /// Days past the due date on the day asked (0 when not overdue).
    public var overdueDays: Int
}

extension Hub {
    /// The first step of an account request (3/6 item 6, D4): a fund manager of the centre checks it (the documents, the
    /// bank, the signers). The fund-centre manager's approval (`decideAccountRequest`) then needs this check, by someone
    /// else.
    public func checkAccountRequest(_ id: String, by staff: String, note: String?) throws {
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundManager], to: "check account requests", in: transaction)
            guard let request = try transaction.document(.accountRequest, id) else {
                throw TreasuryError(.notFound, "account request \(id) has not reached the hub")
            }
            guard request["state"]?.textValue == "pending" else {
                throw TreasuryError(.wrongState, "account request \(id) is \(request["state"]?.textValue ?? "?"), not waiting for a decision")
            }
            try transaction.recordAccountRequestCheck(id, by: staff, note: note, atMilliseconds: clock.nowMilliseconds())
        }
    }

    /// Records a bank account's annual inspection (年检) on `date`, pushed down with the account. A fund manager or the
    /// fund-centre manager records it; it can never be dated before the last one, nor closed accounts be inspected.
    public func recordInspection(_ id: String, on date: BusinessDate, by staff: String) throws {
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundManager, .fundCentreManager], to: "record annual inspections", in: transaction)
            guard let account = try transaction.account(id), account.kind == .bank else { throw RegistryError(.notFound, "\(id) is not a bank account") }
            guard account.status != .closed else { throw RegistryError(.conflict, "account \(id) is closed") }
            var fields = account.fields.merging(try storedAttributes(id, in: transaction)) { current, _ in current }
            if let last = fields["inspected_on"]?.textValue.flatMap(BusinessDate.init), date < last {
                throw RegistryError(.notPermitted, "account \(id) was last inspected on \(last): an inspection is not dated before it")
            }
            fields["inspected_on"] = .text(date.description)
            // Everything else the row says stays as it is: when its status changed, and why and by whom.
            let stored = try transaction.document(.account, id) ?? [:]
            for name in ["status_from", "status_reason", "status_by"] where stored[name] != nil && stored[name] != .null { fields[name] = stored[name] }
            try transaction.appendLocal(table: .account, key: id, operation: .update, fields: fields)
        }
    }

    /// Every open bank account of the units with its annual inspection: due a year after the last one, or a year after
    /// the account was first used when it never had one; overdue on `date` when that day has passed.
    public func inspections(asOf date: BusinessDate) throws -> [AccountInspection] {
        let opened = try storage.accountOpeningDates()
        let firstUsed = try storage.firstActivityDates()
        let accounts = try storage.allAccounts().filter { $0.kind == .bank && $0.status != .closed && $0.org != org }
        return try store.read { reader in
            try accounts.map { account in
                let last = try reader.document(.account, account.id)?["inspected_on"]?.textValue.flatMap(BusinessDate.init)
                let since = last ?? (opened[account.id] ?? firstUsed[account.org.rawValue]).flatMap(BusinessDate.init) ?? date
                let due = ContractTerm(months: 12)!.maturity(from: since)
                return AccountInspection(account: account.id, org: account.org.rawValue, name: account.name, inspectedOn: last?.description,
                                         dueOn: due.description, overdueDays: max(0, due.days(until: date)))
            }
        }
    }
}
