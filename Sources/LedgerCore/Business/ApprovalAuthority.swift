/// The approval authority table (资金审批权限表, DOMAIN.md §2.7): five amount tiers × expense categories, each
/// for a single transaction and for the cumulative amount, naming the post that must approve.
public enum ApprovalTier: Int, Hashable, Sendable, CaseIterable, Comparable {
    /// ≤ ¥100,000 (10万)
    case upTo100k = 1
    /// ¥100,000 – ¥500,000
    case upTo500k = 2
    /// ¥500,000 – ¥1,000,000
    case upTo1m = 3
    /// ¥1,000,000 – ¥10,000,000
    case upTo10m = 4
    /// > ¥10,000,000 (1000万)
    case above10m = 5

    /// Upper bounds in fen (inclusive) of tiers 1–4.
    static let upperBoundsMinorUnits: [Int64] = [10_000_000, 50_000_000, 100_000_000, 1_000_000_000]

    /// The tier an amount (in fen) falls in.
    public init(amount: AmountMinorUnits) {
        let index = Self.upperBoundsMinorUnits.firstIndex { amount.value <= $0 } ?? 4
        self = ApprovalTier(rawValue: index + 1)!
    }

    public static func < (lhs: ApprovalTier, rhs: ApprovalTier) -> Bool { lhs.rawValue < rhs.rawValue }

    public var label: String {
        switch self {
        case .upTo100k: "≤10万"
        case .upTo500k: "10–50万"
        case .upTo1m: "50–100万"
        case .upTo10m: "100–1000万"
        case .above10m: ">1000万"
        }
    }
}

/// Whether a cell of the table limits one transaction or the running total in the period.
public enum ApprovalBasis: String, Hashable, Sendable, CaseIterable {
    case single, cumulative
}

/// One cell of the approval table: for `category`, amounts in `tier` on `basis` need `approverRole`.
public struct ApprovalRule: Hashable, Sendable {
    public var category: String
    public var tier: ApprovalTier
    public var basis: ApprovalBasis
    public var approverRole: StaffRole

    public init(category: String, tier: ApprovalTier, basis: ApprovalBasis, approverRole: StaffRole) {
        self.category = category
        self.tier = tier
        self.basis = basis
        self.approverRole = approverRole
    }

    public var id: String { "\(category):\(tier.rawValue):\(basis.rawValue)" }
}

/// Evaluates the table for one request.
public enum ApprovalAuthority {
    /// The post needed to approve `amount` of `category` when `cumulativeBefore` has already been approved in the
    /// period: the higher of the single-transaction cell and the cumulative cell.
    /// - Throws: `LedgerRuleViolation.malformed` when the table has no cell for the category and tier (a GAP the
    ///   administrator must fill), so nothing is approved by default.
    public static func requiredRole(category: String, amount: AmountMinorUnits, cumulativeBefore: AmountMinorUnits,
                                    rules: [ApprovalRule]) throws(LedgerRuleViolation) -> StaffRole {
        let total = try cumulativeBefore.adding(amount)
        func cell(_ tier: ApprovalTier, _ basis: ApprovalBasis) throws(LedgerRuleViolation) -> StaffRole {
            guard let rule = rules.first(where: { $0.category == category && $0.tier == tier && $0.basis == basis }) else {
                throw .malformed("the approval table has no \(basis.rawValue) cell for category '\(category)', tier \(tier.label)")
            }
            return rule.approverRole
        }
        let single = try cell(ApprovalTier(amount: amount), .single)
        let cumulative = try cell(ApprovalTier(amount: total), .cumulative)
        return max(single, cumulative)
    }

    /// Checks that `approver` may approve what `required` names.
    public static func check(approver: StaffMember, required: StaffRole) throws(LedgerRuleViolation) {
        guard approver.approvalRank >= required.approvalRank else {
            throw LedgerRuleViolation(.approverBelowTier(approver: approver.id, requiredRole: required.rawValue))
        }
    }
}
