/// An annual interest rate as an integer number of parts per million of principal per year: 0.72 % is 7,200.
///
/// Why not a `Double`: interest is money, and money never goes through floating point (STYLE.md R2). Published
/// rates have at most four decimals in percent (1.7125 %), which is exactly 17,125 ppm.
public struct AnnualRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var partsPerMillion: Int64

    public init(partsPerMillion: Int64) { self.partsPerMillion = partsPerMillion }

    /// The largest rate the calculator prices: 10,000 % a year. Anything above is a typing error, and refusing it
    /// keeps every interest product inside 128 bits.
    public static let largest = AnnualRate(partsPerMillion: 100_000_000)

    /// Parses a percentage such as `"0.72%"`, `"1.71"` or `"0.0725%"` (at most four decimals).
    public init?(percent text: String) {
        var body = text.trimmingSpaces()
        if body.hasSuffix("%") { body.removeLast() }
        guard let value = try? AmountMinorUnits.parsing(body, scale: 4), value.value >= 0 else { return nil }
        partsPerMillion = value.value
    }

    public static func < (lhs: AnnualRate, rhs: AnnualRate) -> Bool { lhs.partsPerMillion < rhs.partsPerMillion }

    /// `"0.7200%"`.
    public var description: String { AmountMinorUnits(partsPerMillion).formatted(scale: 4) + "%" }
}

/// Which balance a rate applies to (DOMAIN.md §2.3, §3.7).
public enum RateKind: String, Hashable, Sendable, CaseIterable {
    /// 活期计息存款: positive 2242.02 balances.
    case currentDeposit = "current_deposit"
    /// 透支: negative 2242.02 balances.
    case overdraft
    /// 内部短期贷款 (1013).
    case shortLoan = "short_loan"
    /// 内部长期贷款 (1533).
    case longLoan = "long_loan"
    /// 逾期/罚息: loans moved to overdue status.
    case overduePenalty = "overdue_penalty"
    /// 普通/特别定期存款 (2242.03 / 2242.04) by term: the rate in force at placement is fixed for the term.
    case fixed3Months = "fixed_3m"
    case fixed6Months = "fixed_6m"
    case fixed1Year = "fixed_1y"
    case fixed2Years = "fixed_2y"
    case fixed3Years = "fixed_3y"

    /// The fixed-deposit rate kind for a term of `months`, if such a term is offered.
    public static func fixedDeposit(months: Int) -> RateKind? {
        switch months {
        case 3: .fixed3Months
        case 6: .fixed6Months
        case 12: .fixed1Year
        case 24: .fixed2Years
        case 36: .fixed3Years
        default: nil
        }
    }
}

/// The days in a year for interest: 360 (the inferred standard convention) or 365.
public enum DayCountBasis: Int, Hashable, Sendable, Comparable {
    case actual360 = 360
    case actual365 = 365

    /// `actual/360` or `actual/365`, as settlement output and reports show it.
    public var name: String { "actual/\(rawValue)" }

    public static func < (lhs: DayCountBasis, rhs: DayCountBasis) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A dated rate: in force from `effectiveFrom` until the next entry of the same kind.
public struct RateEntry: Hashable, Sendable {
    public var kind: RateKind
    public var effectiveFrom: BusinessDate
    public var rate: AnnualRate
    public var dayCount: DayCountBasis

    public init(kind: RateKind, effectiveFrom: BusinessDate, rate: AnnualRate, dayCount: DayCountBasis) {
        self.kind = kind
        self.effectiveFrom = effectiveFrom
        self.rate = rate
        self.dayCount = dayCount
    }

    public var id: String { "\(kind.rawValue):\(effectiveFrom)" }
}

/// The hub's versioned rate table.
public struct RateTable: Hashable, Sendable {
    public var entries: [RateEntry]

    public init(_ entries: [RateEntry]) { self.entries = entries }

    /// The rate of `kind` in force on `date`, or `nil` if none was in force yet.
    public func rate(_ kind: RateKind, on date: BusinessDate) -> RateEntry? {
        entries.filter { $0.kind == kind && $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }
}
