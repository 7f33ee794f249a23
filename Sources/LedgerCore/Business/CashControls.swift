/// Who a payment goes to: the ¥50,000 rule for payments to individuals depends on it (DOMAIN.md §3.1, D3-4).
public enum PayeeKind: String, Hashable, Sendable, CaseIterable {
    case organisation
    case individual
}

/// The cash controls of a fund centre (issue 3/6, item 1), as pure rules: the node checks them when a clerk enters a
/// payment, and the hub again when it receives the payment and when its cashier releases it. Keeping them here, in
/// one place, means 4/6 (personal signatures) changes only who is proven to act, not what is checked.
public enum CashControls {
    /// Payments to an individual above this need a payment basis (¥50,000.00; DOMAIN.md §3.1, D3-4).
    public static let individualBasisThreshold = AmountMinorUnits(5_000_000)

    /// Bank-account purposes that may pay out to a third party. An `income` account only sweeps up to the centre
    /// (收支两条线), and a `collection` account is the centre's own, moved only by allocations.
    public static let payingPurposes: Set<String> = ["expense", "basic", "general", "special"]

    /// The paying account of a payment: a bank account whose purpose may pay.
    /// - Parameter purpose: the registry's `purpose` of the account (`nil`: not recorded, release 1 data — allowed).
    public static func checkPayingAccount(_ account: String, purpose: String?) throws(LedgerRuleViolation) {
        guard let purpose, !payingPurposes.contains(purpose) else { return }
        throw LedgerRuleViolation(.accountMayNotPay(account: account, purpose: purpose))
    }

    /// The expense side of a payment: a subject of the paying unit whose code is an expense or cost subject.
    public static func checkExpenseSubject(_ account: AccountRecord, payingOrg: OrgCode) throws(LedgerRuleViolation) {
        guard account.kind == .subject, account.org == payingOrg, SubjectCode.isExpense(account.code) else {
            throw LedgerRuleViolation(.notAnExpenseSubject(account: account.id, org: payingOrg.rawValue))
        }
    }

    /// A payment to an individual above `individualBasisThreshold` names its basis.
    public static func checkBasis(payee: PayeeKind, amount: AmountMinorUnits, basis: String?) throws(LedgerRuleViolation) {
        guard payee == .individual, amount > individualBasisThreshold else { return }
        guard let basis, !basis.trimmingWhitespace.isEmpty else {
            throw LedgerRuleViolation(.paymentBasisRequired(amountMinorUnits: amount.value, thresholdMinorUnits: individualBasisThreshold.value))
        }
    }

    /// Money may leave `account` only within its available balance plus any overdraft line that covers it.
    public static func checkAvailable(_ account: String, amount: AmountMinorUnits, available: AmountMinorUnits,
                                      overdraftLine: AmountMinorUnits = .zero) throws(LedgerRuleViolation) {
        let (room, overflow) = available.value.addingReportingOverflow(max(0, overdraftLine.value))
        guard overflow || amount.value <= room else {
            throw LedgerRuleViolation(.insufficientFunds(account: account, amountMinorUnits: amount.value, availableMinorUnits: available.value,
                                                         overdraftMinorUnits: max(0, overdraftLine.value)))
        }
    }
}

/// What a subject code says about the subject, by the charts Chinese units keep.
public enum SubjectCode {
    /// True for an expense or cost subject: 5xxx (costs in the enterprise chart, expenses in the government one,
    /// 政府会计制度 5001 业务活动费用 …), 64xx (operating costs and taxes, 6411 interest expense), 66xx (period expenses:
    /// 6601 selling, 6602 administrative, 6603 financial), 67xx (impairment, non-operating expense) and 68xx (income tax).
    /// Revenue (60xx, 61xx, 63xx), assets, liabilities, equity and intercompany subjects are not.
    public static func isExpense(_ code: String) -> Bool {
        let digits = code.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4 else { return false }
        if digits.hasPrefix("5") { return true }
        return ["64", "66", "67", "68"].contains { digits.hasPrefix($0) }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
