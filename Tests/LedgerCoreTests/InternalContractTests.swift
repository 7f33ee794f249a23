import LedgerCore
import Testing

/// Fixed deposits and internal loans as contracts (3/6 item 3): terms, the rate fixed at the start, the renewal chain,
/// overdue days at the penalty rate. Figures computed by hand; half a fen rounds away from zero, once per settlement.
@Suite struct InternalContractTests {
    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }
    static let nobody = DocumentSignatures(preparer: "a", reviewer: "b")

    @Test func termsEndOnTheSameDayOrTheLastDayOfAShorterMonth() {
        #expect(ContractTerm("3m")?.maturity(from: Self.date("2026-01-01")) == Self.date("2026-04-01"))
        #expect(ContractTerm("1m")?.maturity(from: Self.date("2026-01-31")) == Self.date("2026-02-28"))
        #expect(ContractTerm("1m")?.maturity(from: Self.date("2028-01-31")) == Self.date("2028-02-29"))
        #expect(ContractTerm("1y")?.maturity(from: Self.date("2026-11-30")) == Self.date("2027-11-30"))
        #expect(ContractTerm("2y")?.months == 24 && ContractTerm("18m")?.description == "18m" && ContractTerm("12m")?.description == "1y")
        for bad in ["", "m", "0m", "-3m", "3d", "31y", "999999999999999999999m", "3 m"] { #expect(ContractTerm(bad) == nil, "\(bad)") }
    }

    /// ¥25,000,000 in a 3-month deposit at 1.71 % (actual/365), renewed three times at the same rate over 2026:
    /// 90 + 91 + 92 + 92 = 365 days. Rounded per term the four payments would sum to ¥427,499.99; the chain pays
    /// 105,410.96 + 106,582.19 + 107,753.43 + 107,753.42 = ¥427,500.00, one year's interest exactly.
    @Test func renewalsAtTheSameRatePayExactlyWhatOneDepositOverTheSameDaysPays() throws {
        let rate = AnnualRate(percent: "1.71")!
        var contract = InternalContract(id: "C1", kind: .fixedDeposit, branch: OrgCode("340122")!, principal: AmountMinorUnits(2_500_000_000),
                                        term: ContractTerm("3m")!, rateKind: .fixed3Months, rate: rate, dayCount: .actual365,
                                        start: Self.date("2026-01-01"), signatures: Self.nobody)
        var payments: [Int64] = []
        for _ in 0..<4 {
            let interest = try contract.depositInterestAtMaturity()
            payments.append(interest.value)
            contract = InternalContract(id: "next", kind: .fixedDeposit, branch: contract.branch, principal: contract.principal, term: contract.term,
                                        rateKind: .fixed3Months, rate: rate, dayCount: .actual365, start: contract.maturity,
                                        chainStart: contract.chainStart, chainPaid: try contract.chainPaid.adding(interest), signatures: Self.nobody)
        }
        #expect(payments == [10_541_096, 10_658_219, 10_775_343, 10_775_342])
        #expect(payments.reduce(0, +) == 42_750_000)
    }

    @Test func accruedInterestGrowsDailyAndStopsAtMaturity() throws {
        let contract = InternalContract(id: "C2", kind: .fixedDeposit, branch: OrgCode("340122")!, principal: AmountMinorUnits(60_000_000),
                                        term: ContractTerm("3m")!, rateKind: .fixed3Months, rate: AnnualRate(percent: "1.71")!,
                                        dayCount: .actual365, start: Self.date("2026-11-03"), signatures: Self.nobody)
        // One day: 600,000.00 × 1.71 % / 365 = 28.1095… → 28.11.
        #expect(try contract.depositAccrued(through: Self.date("2026-11-03")) == AmountMinorUnits(2_811))
        // 92 days to 3 Feb 2027: 2,586.0822… → 2,586.08, the same after maturity.
        #expect(try contract.depositAccrued(through: Self.date("2027-02-02")) == AmountMinorUnits(258_608))
        #expect(try contract.depositAccrued(through: Self.date("2027-06-30")) == AmountMinorUnits(258_608))
        #expect(try contract.depositInterestAtMaturity() == AmountMinorUnits(258_608))
    }

    /// ¥300,000 for 6 months at 4.35 % (actual/360) from 1 Dec 2026, due 3 May 2027, repaid 2 Jun 2027: 153 days at
    /// 4.35 % (5,546.25) and 30 overdue days at 6.525 % (1,631.25).
    @Test func aLoanPaysItsRateToMaturityAndThePenaltyRateAfter() throws {
        var loan = InternalContract(id: "L1", kind: .shortLoan, branch: OrgCode("340122")!, principal: AmountMinorUnits(30_000_000),
                                    term: ContractTerm("6m")!, rateKind: .shortLoan, rate: AnnualRate(percent: "4.35")!, dayCount: .actual360,
                                    start: Self.date("2026-11-03"), signatures: Self.nobody)
        loan.interestFrom = Self.date("2026-12-01")
        #expect(loan.maturity == Self.date("2027-05-03"))
        let penalty = RateEntry(kind: .overduePenalty, effectiveFrom: Self.date("2026-01-01"), rate: AnnualRate(percent: "6.525")!, dayCount: .actual360)
        let (normal, late) = try loan.loanInterest(until: Self.date("2027-06-02"), penalty: penalty)
        #expect(normal == AmountMinorUnits(554_625) && late == AmountMinorUnits(163_125))
        #expect(!loan.isOverdue(on: Self.date("2027-05-02")) && loan.isOverdue(on: Self.date("2027-05-03")))
        #expect(throws: LedgerRuleViolation.self, "overdue days without a penalty rate are an error, not free") {
            try loan.loanInterest(until: Self.date("2027-06-02"), penalty: nil)
        }
        let none = try loan.loanInterest(until: Self.date("2026-12-01"), penalty: nil)
        #expect(none.normal == .zero && none.penalty == .zero)
    }

    @Test func hugePrincipalsAndRatesAreRefusedNotTrapped() {
        #expect(throws: LedgerRuleViolation.self) {
            try InterestCalculator.onPrincipal(AmountMinorUnits(Int64.max), segments: [(AnnualRate.largest, .actual360, 1_000_000)])
        }
        #expect(throws: LedgerRuleViolation.self) {
            try InterestCalculator.onPrincipal(AmountMinorUnits(100), segments: [(AnnualRate(partsPerMillion: Int64.max), .actual360, 1)])
        }
        #expect(throws: LedgerRuleViolation.self) {
            try InterestCalculator.simple(principal: AmountMinorUnits(100), rate: AnnualRate(percent: "1")!, days: Int.max, dayCount: .actual365)
        }
    }

    @Test func aStoredContractReadsBackAndADamagedOneIsAnError() throws {
        var contract = InternalContract(id: "C3", kind: .specialFixedDeposit, branch: OrgCode("340121")!, principal: AmountMinorUnits(1_000),
                                        term: ContractTerm("1y")!, rateKind: .fixed1Year, rate: AnnualRate(percent: "1.98")!, dayCount: .actual365,
                                        start: Self.date("2026-03-31"), signatures: DocumentSignatures(preparer: "p", reviewer: "r", approver: "m"))
        contract.state = .renewed
        contract.renewedAs = "C4"
        contract.closed = Self.date("2027-03-31")
        #expect(try InternalContract(id: "C3", fields: contract.fields) == contract)
        for (field, value) in [("principal", FieldValue.integer(0)), ("rate_ppm", .integer(-1)), ("kind", .text("gift")),
                               ("maturity_date", .text("2027-02-30")), ("term_months", .integer(0)), ("closed_date", .text("2027-13-01"))] {
            var fields = contract.fields
            fields[field] = value
            #expect(throws: LedgerRuleViolation.self, "\(field)") { try InternalContract(id: "C3", fields: fields) }
        }
    }
}
