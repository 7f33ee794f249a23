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
            let factor = UInt64(entry.rate.partsPerMillion) * UInt64(commonDays / Int64(entry.dayCount.rawValue))
            numerator = numerator.adding(WideInt.multiply(magnitude, factor))
        }
        let denominator = UInt64(1_000_000) * UInt64(commonDays)
        let interest = numerator.dividedRoundingHalfUp(by: denominator)
        guard interest <= UInt64(Int64.max) else { throw LedgerRuleViolation(.amountOverflow) }
        return Accrual(productFenDays: product, interest: AmountMinorUnits(Int64(interest)), days: days, dayCounts: dayCounts)
    }

    /// Interest on a constant principal held for `days` days at one rate: the building block of the worked
    /// examples (¥100,000,000 at 0.72 % for a year on a 365-day basis earns ¥720,000).
    public static func simple(principal: AmountMinorUnits, rate: AnnualRate, days: Int, dayCount: DayCountBasis) -> AmountMinorUnits {
        let numerator = WideInt.multiply(principal.value.magnitude * UInt64(days), UInt64(rate.partsPerMillion))
        let value = Int64(numerator.dividedRoundingHalfUp(by: UInt64(1_000_000) * UInt64(dayCount.rawValue)))
        return AmountMinorUnits(principal.value < 0 ? -value : value)
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
