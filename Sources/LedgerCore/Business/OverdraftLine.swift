/// A unit's overdraft line (DOMAIN.md §3.7, D3; DECISIONS.md "Overdraft lines").
///
/// - The group's comprehensive credit line at its bank caps the lines of **all** units together: their sum may not
///   exceed a share of it (30 % in the source's example). Each unit has its own line and term within that cap.
/// - Only a unit's basic and general bank accounts may be overdrawn, and within the line no payment needs its own
///   approval. Special-purpose and temporary accounts never overdraw, and the group's own (the hub's) accounts never do.
/// - Each overdraft has a term (15 days in the example). An account overdrawn for longer is past its term: penalty
///   interest runs and the unit's line is suspended at once, for every account of the unit.
///
/// The registry holds these as dated parameters, pushed down to every office like the rest of it:
/// `group_credit_line`, `overdraft_line_share`, `overdraft_line.<org>`, `overdraft_term_days.<org>` (else
/// `overdraft_term_days`, else 15) and `overdraft_suspended.<org>` (`yes` / `no`).
public struct OverdraftLine: Hashable, Sendable {
    /// The most the unit's accounts may be overdrawn together.
    public var limit: AmountMinorUnits
    /// Days an overdraft may last before it is past its term.
    public var termDays: Int
    /// Suspended by the fund centre (a registry change), or because an overdraft is past its term.
    public var suspended: Bool

    public init(limit: AmountMinorUnits, termDays: Int, suspended: Bool) {
        self.limit = limit
        self.termDays = termDays
        self.suspended = suspended
    }

    /// No line: nothing may be overdrawn.
    public static let none = OverdraftLine(limit: .zero, termDays: defaultTermDays, suspended: false)
    /// The source's example term.
    public static let defaultTermDays = 15
    /// The source's example share of the group's credit line that all units' lines together may use.
    public static let defaultShare = AnnualRate(partsPerMillion: 300_000)

    /// Account classes (`class` of the registry) a line may cover.
    public static let overdrawableClasses: Set<String> = ["basic", "general"]

    /// What the line still allows, given what the unit's other accounts already overdraw.
    public func room(usedElsewhere: AmountMinorUnits) -> AmountMinorUnits {
        guard !suspended else { return .zero }
        let (left, overflow) = limit.value.subtractingReportingOverflow(max(0, usedElsewhere.value))
        return AmountMinorUnits(overflow ? 0 : max(0, left))
    }

    /// The cap on all lines together: `share` of the group's credit line, in whole fen (rounded down: a cap is never
    /// exceeded by rounding).
    public static func cap(creditLine: AmountMinorUnits, share: AnnualRate) -> AmountMinorUnits {
        let (high, low) = creditLine.value.magnitude.multipliedFullWidth(by: UInt64(max(0, share.partsPerMillion)))
        guard high < 1_000_000 else { return AmountMinorUnits(Int64.max) }
        let quotient = UInt64(1_000_000).dividingFullWidth((high: high, low: low)).quotient
        return AmountMinorUnits(quotient > UInt64(Int64.max) ? Int64.max : Int64(quotient))
    }
}

/// One overdraft: a run of days on which an account closed below zero (each is "its own loan record", D3).
public struct OverdraftOccurrence: Hashable, Sendable, Codable {
    public var account: String
    /// The first day it closed below zero.
    public var start: String
    /// The last day it closed below zero, or `nil` while it lasts.
    public var end: String?
    /// Days overdrawn so far.
    public var days: Int
    /// The largest overdrawn amount, positive, in fen.
    public var peakMinorUnits: Int64
    /// True once it has lasted longer than the term.
    public var pastTerm: Bool

    /// The runs of negative closing balances in `balances` (consecutive days, oldest first). `daysBefore` is how
    /// many days the account had already been overdrawn before the first balance (0 if it was not).
    public static func runs(account: String, _ balances: [InterestCalculator.DailyBalance], daysBefore: Int = 0,
                            termDays: Int) -> [OverdraftOccurrence] {
        var result: [OverdraftOccurrence] = []
        var current: OverdraftOccurrence?
        for day in balances {
            if day.balance.value < 0 {
                let owed = day.balance.value == .min ? Int64.max : -day.balance.value
                if current == nil {
                    let already = result.isEmpty && day == balances.first ? daysBefore : 0
                    current = OverdraftOccurrence(account: account, start: day.date.description, end: nil, days: already, peakMinorUnits: 0, pastTerm: false)
                }
                current!.days += 1
                current!.peakMinorUnits = max(current!.peakMinorUnits, owed)
                current!.pastTerm = current!.days > termDays
            } else if var finished = current {
                finished.end = BusinessDate.fromDaysSinceEpoch(day.date.daysSinceEpoch - 1).description
                result.append(finished)
                current = nil
            }
        }
        if let current { result.append(current) }
        return result
    }
}
