/// Interest on daily balances (计息积数 / 匡息 / 结息, DOMAIN.md §3.7), in integer arithmetic only.
///
/// - The accrual product of a day is that day's closing balance in fen (one "fen-day").
/// - Each day's product is priced at the rate in force that day: interest = Σ product × rate / (10⁶ × day count).
///   The sum is kept as an exact fraction (128-bit numerator) and rounded **once**, at settlement, to the fen,
///   half away from zero. Rounding per day would lose up to half a fen a day per account.
/// - Positive balances of a deposit earn `currentDeposit`; negative ones are charged `overdraft`. Loans are
///   priced at their loan rate, or at `overduePenalty` on days the loan is overdue.
public enum InterestCalculator {
    /// One day's closing balance of an account.
    public struct DailyBalance: Hashable, Sendable {
        public var date: BusinessDate
        public var balance: AmountMinorUnits

        public init(date: BusinessDate, balance: AmountMinorUnits) {
            self.date = date
            self.balance = balance
        }
    }

    /// The result for one account and one kind of rate.
    public struct Accrual: Hashable, Sendable {
        /// Σ daily balances in fen-days (always ≥ 0: the magnitude of the balances priced).
        public var productFenDays: Int64
        /// The interest, rounded to the fen.
        public var interest: AmountMinorUnits
        /// Days counted.
        public var days: Int
        /// The day-count conventions of the rates applied (one, unless a rate with another convention took over).
        public var dayCounts: Set<DayCountBasis> = []
    }

    /// Interest on `balances` (one per day) at the rates `rateKind(day)` names.
    /// - Parameter pricing: for each day, the rate kind that applies to that day's balance, or `nil` to skip it
    ///   (a zero balance, or a positive balance when computing overdraft interest).
    /// - Throws: `malformed` if a priced day has no rate in force.
    public static func accrue(_ balances: [DailyBalance], rates: RateTable,
                              pricing: (DailyBalance) -> RateKind?) throws(LedgerRuleViolation) -> Accrual {
        var product: Int64 = 0
        var days = 0
        // Σ |balance| × rate × (LCM / dayCount), over a common denominator 10⁶ × 360 × 365 / 5 (= LCM of 360, 365).
        let commonDays: Int64 = 26_280  // lcm(360, 365)
        var numerator = WideInt.zero
        var dayCounts: Set<DayCountBasis> = []
        for day in balances {
            guard let kind = pricing(day) else { continue }
            guard let entry = rates.rate(kind, on: day.date) else {
                throw .malformed("no \(kind.rawValue) rate is in force on \(day.date)")
            }
            let magnitude = day.balance.value.magnitude
            guard magnitude <= UInt64(Int64.max) else { throw LedgerRuleViolation(.amountOverflow) }
            let (sum, overflow) = product.addingReportingOverflow(Int64(magnitude))
            if overflow { throw LedgerRuleViolation(.amountOverflow) }
            product = sum
            days += 1
            dayCounts.insert(entry.dayCount)
            // A registry rate outside 0…10,000 % is refused rather than allowed to overflow the product.
            guard (0...AnnualRate.largest.partsPerMillion).contains(entry.rate.partsPerMillion) else { throw LedgerRuleViolation(.amountOverflow) }
            let factor = UInt64(entry.rate.partsPerMillion) * UInt64(commonDays / Int64(entry.dayCount.rawValue))
            numerator = numerator.adding(WideInt.multiply(magnitude, factor))
        }
        let denominator = UInt64(1_000_000) * UInt64(commonDays)
        guard numerator.high < denominator else { throw LedgerRuleViolation(.amountOverflow) }
        let interest = numerator.dividedRoundingHalfUp(by: denominator)
        guard interest <= UInt64(Int64.max) else { throw LedgerRuleViolation(.amountOverflow) }
        return Accrual(productFenDays: product, interest: AmountMinorUnits(Int64(interest)), days: days, dayCounts: dayCounts)
    }

    /// Interest on a constant principal held for `days` days at one rate: the building block of the worked
    /// examples (¥100,000,000 at 0.72 % for a year on a 365-day basis earns ¥720,000).
    public static func simple(principal: AmountMinorUnits, rate: AnnualRate, days: Int,
                              dayCount: DayCountBasis) throws(LedgerRuleViolation) -> AmountMinorUnits {
        try onPrincipal(principal, segments: [(rate, dayCount, days)])
    }

    /// Interest on a constant principal over consecutive stretches of days, each at its own rate and day-count
    /// convention (a loan at its contract rate, then at the penalty rate once overdue), summed exactly and rounded
    /// **once** to the fen, half away from zero.
    /// - Throws: `amountOverflow` when the interest would not fit (no arithmetic on outside data traps).
    public static func onPrincipal(_ principal: AmountMinorUnits,
                                   segments: [(rate: AnnualRate, dayCount: DayCountBasis, days: Int)]) throws(LedgerRuleViolation) -> AmountMinorUnits {
        let commonDays: UInt64 = 26_280  // lcm(360, 365)
        var numerator = WideInt.zero
        for segment in segments where segment.days > 0 {
            guard (0...AnnualRate.largest.partsPerMillion).contains(segment.rate.partsPerMillion), (0...1_000_000).contains(segment.days) else { throw LedgerRuleViolation(.amountOverflow) }
            // principal × ppm < 2⁸³; × days × (26,280 / day count) < 2¹¹⁰: fits 128 bits.
            let perDay = WideInt.multiply(principal.value.magnitude, UInt64(segment.rate.partsPerMillion))
            guard let scaled = perDay.multiplied(by: UInt64(segment.days) * (commonDays / UInt64(segment.dayCount.rawValue))) else {
                throw LedgerRuleViolation(.amountOverflow)
            }
            numerator = numerator.adding(scaled)
        }
        let denominator = UInt64(1_000_000) * commonDays
        guard numerator.high < denominator else { throw LedgerRuleViolation(.amountOverflow) }
        let magnitude = numerator.dividedRoundingHalfUp(by: denominator)
        guard magnitude <= UInt64(Int64.max) else { throw LedgerRuleViolation(.amountOverflow) }
        return AmountMinorUnits(principal.value < 0 ? -Int64(magnitude) : Int64(magnitude))
    }
}

/// An unsigned 128-bit integer, just enough for exact interest sums (Σ fen × ppm × days ≫ 2⁶⁴).
struct WideInt: Hashable {
    var high: UInt64
    var low: UInt64

    static let zero = WideInt(high: 0, low: 0)

    static func multiply(_ a: UInt64, _ b: UInt64) -> WideInt {
        let (high, low) = a.multipliedFullWidth(by: b)
        return WideInt(high: high, low: low)
    }

    /// `self × factor`, or `nil` when it does not fit 128 bits.
    func multiplied(by factor: UInt64) -> WideInt? {
        let (lowHigh, lowLow) = low.multipliedFullWidth(by: factor)
        let (highHigh, highLow) = high.multipliedFullWidth(by: factor)
        let (top, carry) = highLow.addingReportingOverflow(lowHigh)
        guard highHigh == 0, !carry else { return nil }
        return WideInt(high: top, low: lowLow)
    }

    func adding(_ other: WideInt) -> WideInt {
        let (low, carry) = low.addingReportingOverflow(other.low)
        return WideInt(high: high &+ other.high &+ (carry ? 1 : 0), low: low)
    }

    /// `self / divisor` rounded half up (the value is a magnitude, so "half up" is "half away from zero").
    func dividedRoundingHalfUp(by divisor: UInt64) -> UInt64 {
        precondition(high < divisor, "interest quotient does not fit 64 bits")
        let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: low))
        return remainder >= divisor - remainder ? quotient + 1 : quotient
    }
}
