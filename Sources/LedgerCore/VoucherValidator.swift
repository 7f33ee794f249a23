/// What the validator needs to know about the books it checks against; implemented by the replica.
public protocol LedgerLookup {
    /// The account as of now in this replica's registry, or `nil` if unknown.
    /// - Throws: only when the registry cannot be read (storage); never to say "unknown".
    func account(_ id: String) throws -> AccountRecord?
    /// A posted (not rejected) voucher of this replica, or `nil`.
    func postedVoucher(_ id: String) throws -> Voucher?
    /// True when some posted voucher already reverses `id`.
    func isReversed(_ id: String) throws -> Bool
    /// True when `org` is a budget unit whose books `origin` keeps (DECISIONS: a node writes its own subtree).
    func keepsBooks(of org: OrgCode, origin: OrgCode) throws -> Bool
}

extension LedgerLookup {
    /// By default an office keeps only its own books.
    public func keepsBooks(of org: OrgCode, origin: OrgCode) throws -> Bool { false }
}

/// The ledger rules every voucher must satisfy. The node runs them before writing; the hub runs them again on
/// import against its own (authoritative, possibly newer) registry, and rejects a change that fails.
public enum VoucherValidator {
    /// Checks `voucher`, written by `origin`, against `lookup`.
    /// - Throws: the first `LedgerRuleViolation` found, so the reason is specific; an error of `lookup` (the
    ///   registry could not be read) as it is, because a storage failure is not a verdict on the voucher.
    public static func validate(_ voucher: Voucher, origin: OrgCode, lookup: some LedgerLookup) throws {
        guard try voucher.org == origin || lookup.keepsBooks(of: voucher.org, origin: origin) else {
            throw LedgerRuleViolation(.wrongOrigin(org: voucher.org.rawValue, origin: origin.rawValue))
        }
        guard (2...Limits.voucherLineCountMax).contains(voucher.lines.count) else {
            throw LedgerRuleViolation(.lineCount(count: voucher.lines.count, countMin: 2, countMax: Limits.voucherLineCountMax))
        }
        for (index, line) in voucher.lines.enumerated() {
            guard line.amount.value > 0 else { throw LedgerRuleViolation(.nonPositiveAmount(line: index + 1)) }
            guard line.amount.isWithinCap else {
                throw LedgerRuleViolation(.amountOverCap(line: index + 1, amountMinorUnits: line.amount.value,
                                                         amountMinorUnitsMax: Limits.amountMinorUnitsMax))
            }
            guard let account = try lookup.account(line.account) else { throw LedgerRuleViolation(.unknownAccount(line.account)) }
            guard account.org == voucher.org else {
                throw LedgerRuleViolation(.accountOfOtherOrg(account: account.id, accountOrg: account.org.rawValue,
                                                             voucherOrg: voucher.org.rawValue))
            }
            guard account.status == .active else {
                throw LedgerRuleViolation(.accountNotActive(account: account.id, status: account.status.rawValue))
            }
            guard account.currency == voucher.currency else {
                throw LedgerRuleViolation(.currencyMismatch(account: account.id, accountCurrency: account.currency.code,
                                                            voucherCurrency: voucher.currency.code))
            }
        }
        let debits = try voucher.total(.debit)
        let credits = try voucher.total(.credit)
        guard debits.isWithinCap else {
            throw LedgerRuleViolation(.amountOverCap(line: 0, amountMinorUnits: debits.value, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
        }
        guard debits == credits else {
            throw LedgerRuleViolation(.unbalanced(debitsMinorUnits: debits.value, creditsMinorUnits: credits.value))
        }
        if let target = voucher.reverses { try validateReversal(voucher, of: target, lookup: lookup) }
    }

    static func validateReversal(_ voucher: Voucher, of target: String, lookup: some LedgerLookup) throws {
        guard let original = try lookup.postedVoucher(target), original.org == voucher.org else {
            throw LedgerRuleViolation(.reversalTargetMissing(target))
        }
        guard try !lookup.isReversed(target) else { throw LedgerRuleViolation(.alreadyReversed(target)) }
        guard original.currency == voucher.currency,
              original.lines.map(\.reversed) == voucher.lines else {
            throw LedgerRuleViolation(.reversalMismatch(target))
        }
    }
}
