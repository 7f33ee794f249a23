import LedgerCore
import Testing

/// Interest computed by hand (DOMAIN.md §3.7). Rounding rule: the exact interest of the whole period is rounded
/// once to the fen, half away from zero; no floating point anywhere.
@Suite struct InterestGoldenTests {
    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }
    static func yuan(_ value: Int64) -> AmountMinorUnits { AmountMinorUnits(value * 100) }

    @Test func hundredMillionAtCurrentRateEarnsSevenHundredTwentyThousand() throws {
        let rate = AnnualRate(percent: "0.72%")!
        #expect(rate.partsPerMillion == 7_200)
        #expect(try InterestCalculator.simple(principal: Self.yuan(100_000_000), rate: rate, days: 365, dayCount: .actual365) == Self.yuan(720_000))
    }

    @Test func theSplitEarnsOneMillionTwoHundredSixtyNineThousand() {
        let parts: [(Int64, String)] = [(50_000_000, "0.72"), (25_000_000, "1.71"), (15_000_000, "1.89"), (10_000_000, "1.98")]
        var total = AmountMinorUnits.zero
        for (principal, percent) in parts {
            total = try! total.adding(try! InterestCalculator.simple(principal: Self.yuan(principal), rate: AnnualRate(percent: percent)!,
                                                                days: 365, dayCount: .actual365))
        }
        // 36.00 + 42.75 + 28.35 + 19.80 = 126.90 (in ¥10k): ¥549,000 more than all current.
        #expect(total == Self.yuan(1_269_000))
        #expect(try! total.subtracting(Self.yuan(720_000)) == Self.yuan(549_000))
    }

    @Test func dailyBalancesAcrossARateChange() throws {
        // Deposits (credit balances, negative in debit−credit terms) over 10 days, 360-day basis:
        //   1–3 Nov ¥1,000,000; 4–6 Nov ¥1,500,000; 7–10 Nov ¥800,000.
        // 0.72 % until 5 Nov, 1.08 % from 6 Nov.
        //   at 0.72 %: 3×100,000,000 + 2×150,000,000 = 600,000,000 fen-days → 600,000,000 × 7,200 / 360,000,000 = 12,000 fen
        //   at 1.08 %: 1×150,000,000 + 4×80,000,000 = 470,000,000 fen-days → 470,000,000 × 10,800 / 360,000,000 = 14,100 fen
        //   total product 1,070,000,000 fen-days; interest ¥261.00.
        let rates = RateTable([RateEntry(kind: .currentDeposit, effectiveFrom: Self.date("2026-01-01"), rate: AnnualRate(percent: "0.72")!, dayCount: .actual360),
                               RateEntry(kind: .currentDeposit, effectiveFrom: Self.date("2026-11-06"), rate: AnnualRate(percent: "1.08")!, dayCount: .actual360)])
        let days = Self.date("2026-11-01").through(Self.date("2026-11-10"))
        let amounts: [Int64] = [1_000_000, 1_000_000, 1_000_000, 1_500_000, 1_500_000, 1_500_000, 800_000, 800_000, 800_000, 800_000]
        let balances = zip(days, amounts).map { InterestCalculator.DailyBalance(date: $0, balance: AmountMinorUnits(-$1 * 100)) }
        let accrual = try InterestCalculator.accrue(balances, rates: rates) { $0.balance.value < 0 ? .currentDeposit : nil }
        #expect(accrual.productFenDays == 1_070_000_000)
        #expect(accrual.days == 10)
        #expect(accrual.interest == AmountMinorUnits(26_100))
    }

    @Test func roundsOnceHalfAwayFromZero() throws {
        let rates = RateTable([RateEntry(kind: .overdraft, effectiveFrom: Self.date("2026-01-01"), rate: AnnualRate(percent: "0.72")!, dayCount: .actual360)])
        func interest(_ fen: Int64, days: Int) throws -> Int64 {
            let balances = Self.date("2026-11-01").through(Self.date("2026-11-30")).prefix(days)
                .map { InterestCalculator.DailyBalance(date: $0, balance: AmountMinorUnits(fen)) }
            return try InterestCalculator.accrue(balances, rates: rates) { _ in .overdraft }.interest.value
        }
        #expect(try interest(25_000, days: 1) == 1, "exactly half a fen rounds up")
        #expect(try interest(24_999, days: 1) == 0, "just under half a fen rounds down")
        // Per-day rounding would give 30 × 0 = 0; rounding the period once gives 30 × 0.49998 = 15 fen.
        #expect(try interest(24_999, days: 30) == 15)
    }

    @Test func aDayWithoutARateIsAnErrorNotZero() {
        let rates = RateTable([RateEntry(kind: .currentDeposit, effectiveFrom: Self.date("2026-12-01"), rate: AnnualRate(partsPerMillion: 7_200), dayCount: .actual360)])
        let balance = [InterestCalculator.DailyBalance(date: Self.date("2026-11-30"), balance: AmountMinorUnits(-100))]
        #expect(throws: LedgerRuleViolation.self) { try InterestCalculator.accrue(balance, rates: rates) { _ in .currentDeposit } }
    }

    @Test func ratesParseExactly() {
        #expect(AnnualRate(percent: "1.7125%")?.partsPerMillion == 17_125)
        #expect(AnnualRate(percent: "6.525")?.description == "6.5250%")
        #expect(AnnualRate(percent: "0.00001%") == nil, "more than four decimals is refused, not rounded")
        #expect(AnnualRate(percent: "-1%") == nil)
    }
}
