/// What an internal contract between the fund centre and a branch is (DOMAIN.md §2.3, §3.7).
public enum ContractKind: String, Hashable, Sendable, CaseIterable {
    /// 普通定期存款 (2242.03): the branch's own idle funds, placed for a term.
    case fixedDeposit = "fixed_deposit"
    /// 特别定期存款 (2242.04): bank borrowings the branch passes on to the group, placed for a term.
    case specialFixedDeposit = "special_fixed_deposit"
    /// 内部短期贷款 (1013): a loan of one year or less.
    case shortLoan = "short_loan"
    /// 内部长期贷款 (1533): a loan of more than a year.
    case longLoan = "long_loan"

    public var isDeposit: Bool { self == .fixedDeposit || self == .specialFixedDeposit }

    /// The subject code at the hub, of which `hub:code.B` is the branch's sub-account.
    public var hubSubject: String {
        switch self {
        case .fixedDeposit: LedgerAccounts.internalFixedDeposit
        case .specialFixedDeposit: LedgerAccounts.internalSpecialFixedDeposit
        case .shortLoan: LedgerAccounts.shortLoan
        case .longLoan: LedgerAccounts.longLoan
        }
    }

    /// The branch's own subject for the same money: its deposit at the centre (an asset) or its borrowing (a liability).
    public var branchSubject: String {
        switch self {
        case .fixedDeposit, .specialFixedDeposit: LedgerAccounts.fixedDepositsAtCentre
        case .shortLoan: LedgerAccounts.shortBorrowingFromCentre
        case .longLoan: LedgerAccounts.longBorrowingFromCentre
        }
    }

    /// 定期存款 / 特别定期存款 / 短期贷款 / 长期贷款, as reports name them.
    public var chineseName: String {
        switch self {
        case .fixedDeposit: "普通定期存款"
        case .specialFixedDeposit: "特别定期存款"
        case .shortLoan: "内部短期贷款"
        case .longLoan: "内部长期贷款"
        }
    }
}

/// Where a contract is in its life. `overdue` is not a state: it is derived (a loan still `active` on or after its
/// maturity date), so it never needs a write to become true.
public enum ContractState: String, Hashable, Sendable, CaseIterable {
    /// Placed or drawn; the principal is out.
    case active
    /// A deposit paid back at maturity with its interest.
    case matured
    /// A deposit rolled over at maturity into `renewedAs` (principal only; the interest was paid out).
    case renewed
    /// A loan repaid with its interest.
    case repaid
}

/// A term in whole months: 3 months, 6 months, 1 year, 18 months.
public struct ContractTerm: Hashable, Sendable, CustomStringConvertible {
    public let months: Int

    public init?(months: Int) {
        guard (1...360).contains(months) else { return nil }
        self.months = months
    }

    /// Parses `3m`, `6m`, `12m`, `1y`, `2y` (case-insensitive).
    public init?(_ text: String) {
        let body = text.lowercased()
        guard let unit = body.last, let count = Int(body.dropLast()), count > 0, count <= 360 else { return nil }
        switch unit {
        case "m": self.init(months: count)
        case "y": self.init(months: count * 12)
        default: return nil
        }
    }

    public var description: String { months % 12 == 0 ? "\(months / 12)y" : "\(months)m" }

    /// The maturity date of a contract starting on `start`: the same day `months` later, or the last day of that month
    /// when it is shorter (31 January + 1 month is 28 or 29 February).
    public func maturity(from start: BusinessDate) -> BusinessDate {
        let index = start.year * 12 + (start.month - 1) + months
        let year = index / 12, month = index % 12 + 1
        return BusinessDate(year: year, month: month, day: min(start.day, BusinessDate.daysIn(month: month, year: year)))
    }
}

/// A fixed deposit a branch placed with the fund centre, or an internal loan the centre made to a branch, with the
/// rate fixed when it started (DOMAIN.md §3.7: "fixed deposits earn at fixed rates"; a loan's rate is its contract's).
///
/// Interest counts the days from the start date up to, not including, the end date (a deposit placed on 1 January
/// and paid back on 1 April earns 90 days), at the contract's rate and day-count convention, rounded once to the fen.
///
/// A renewal (rollover) at the same rate and convention continues the **chain**: each maturity pays the interest of
/// the whole chain so far, rounded once, less what earlier maturities paid. So four 3-month renewals pay together
/// exactly what one deposit over the same days pays (¥25,000,000 at 1.71 % for 365 days: ¥427,500.00), instead of
/// four separately rounded amounts that can differ by a fen. The interest itself is paid out, never added to the
/// principal (DECISIONS.md: renewals are principal only).
public struct InternalContract: Hashable, Sendable {
    public var id: String
    public var kind: ContractKind
    public var branch: OrgCode
    public var principal: AmountMinorUnits
    public var currency: CurrencyCode
    public var term: ContractTerm
    /// The rate kind looked up at the start (`fixed_3m`, `short_loan` …) and the rate it had then, fixed for the term.
    public var rateKind: RateKind
    public var rate: AnnualRate
    public var dayCount: DayCountBasis
    public var start: BusinessDate
    public var maturity: BusinessDate
    /// The first day of the renewal chain this deposit belongs to (its own start unless it is a renewal).
    public var chainStart: BusinessDate
    /// Interest earlier maturities of the chain paid.
    public var chainPaid: AmountMinorUnits
    /// A loan's interest is charged up to, not including, this day (start, then each settlement moves it on).
    public var interestFrom: BusinessDate
    public var state: ContractState
    /// The day it matured, was renewed or repaid.
    public var closed: BusinessDate?
    /// The contract a renewal created.
    public var renewedAs: String?
    public var signatures: DocumentSignatures

    public init(id: String, kind: ContractKind, branch: OrgCode, principal: AmountMinorUnits, currency: CurrencyCode = .cny,
                term: ContractTerm, rateKind: RateKind, rate: AnnualRate, dayCount: DayCountBasis, start: BusinessDate,
                chainStart: BusinessDate? = nil, chainPaid: AmountMinorUnits = .zero, signatures: DocumentSignatures) {
        self.id = id
        self.kind = kind
        self.branch = branch
        self.principal = principal
        self.currency = currency
        self.term = term
        self.rateKind = rateKind
        self.rate = rate
        self.dayCount = dayCount
        self.start = start
        self.maturity = term.maturity(from: start)
        self.chainStart = chainStart ?? start
        self.chainPaid = chainPaid
        self.interestFrom = start
        self.state = .active
        self.signatures = signatures
    }

    /// True for a loan still out on or after its maturity date: it accrues at the penalty rate from maturity on.
    public func isOverdue(on date: BusinessDate) -> Bool { !kind.isDeposit && state == .active && date >= maturity }

    /// A deposit's interest at maturity: the whole chain's interest to `maturity`, rounded once, less what the chain
    /// paid before.
    public func depositInterestAtMaturity() throws(LedgerRuleViolation) -> AmountMinorUnits {
        let total = try InterestCalculator.onPrincipal(principal, segments: [(rate, dayCount, chainStart.days(until: maturity))])
        return try total.subtracting(chainPaid)
    }

    /// A deposit's interest accrued (not yet paid) by the end of `date`: for the auditor's accrual column.
    public func depositAccrued(through date: BusinessDate) throws(LedgerRuleViolation) -> AmountMinorUnits {
        guard kind.isDeposit, state == .active else { return .zero }
        let end = min(maturity.daysSinceEpoch, date.daysSinceEpoch + 1)
        let days = max(0, end - chainStart.daysSinceEpoch)
        let total = try InterestCalculator.onPrincipal(principal, segments: [(rate, dayCount, days)])
        return try total.subtracting(chainPaid)
    }

    /// A loan's interest from `interestFrom` up to, not including, `end`: at the contract rate before maturity and at
    /// `penalty` (the overdue rate in force at maturity) from maturity on.
    /// - Throws: `malformed` if the loan is overdue in that stretch and no penalty rate is given.
    public func loanInterest(until end: BusinessDate, penalty: RateEntry?) throws(LedgerRuleViolation) -> (normal: AmountMinorUnits, penalty: AmountMinorUnits) {
        let from = interestFrom.daysSinceEpoch, stop = end.daysSinceEpoch, due = maturity.daysSinceEpoch
        let normalDays = max(0, min(stop, due) - from)
        let overdueDays = max(0, stop - max(from, due))
        let normal = try InterestCalculator.onPrincipal(principal, segments: [(rate, dayCount, normalDays)])
        guard overdueDays > 0 else { return (normal, .zero) }
        guard let penalty else { throw .malformed("no overdue_penalty rate is in force on \(maturity)") }
        return (normal, try InterestCalculator.onPrincipal(principal, segments: [(penalty.rate, penalty.dayCount, overdueDays)]))
    }
}

extension InternalContract {
    /// The `contract` row as it travels (PROTOCOL.md §6.20a), without its key.
    public var fields: [String: FieldValue] {
        [
            "kind": .text(kind.rawValue), "branch": .text(branch.rawValue), "principal": .integer(principal.value),
            "currency": .text(currency.code), "term_months": .integer(Int64(term.months)), "rate_kind": .text(rateKind.rawValue),
            "rate_ppm": .integer(rate.partsPerMillion), "day_count": .integer(Int64(dayCount.rawValue)),
            "start_date": .text(start.description), "maturity_date": .text(maturity.description),
            "chain_start": .text(chainStart.description), "chain_paid": .integer(chainPaid.value),
            "interest_from": .text(interestFrom.description), "state": .text(state.rawValue),
            "closed_date": closed.map { .text($0.description) } ?? .null, "renewed_as": renewedAs.map(FieldValue.text) ?? .null,
        ].merging(signatures.fields) { current, _ in current }
    }

    /// Reads a stored or received `contract` row; every field is checked, so a damaged row is an error, never a guess.
    public init(id: String, fields: [String: FieldValue]) throws(LedgerRuleViolation) {
        let reader = FieldReader(fields, context: "contract \(id)")
        func date(_ name: String) throws(LedgerRuleViolation) -> BusinessDate {
            let text = try reader.text(name)
            guard let value = BusinessDate(text) else { throw .malformed("contract \(id) field '\(name)' is not a date: \(text)") }
            return value
        }
        guard let kind = ContractKind(rawValue: try reader.text("kind")),
              let currency = CurrencyCode(try reader.text("currency")),
              let term = ContractTerm(months: Int(clamping: try reader.integer("term_months"))),
              let rateKind = RateKind(rawValue: try reader.text("rate_kind")),
              let dayCount = DayCountBasis(rawValue: Int(clamping: try reader.integer("day_count"))),
              let state = ContractState(rawValue: try reader.text("state")) else {
            throw .malformed("contract \(id) has an unknown kind, currency, term, rate kind, day count or state")
        }
        let principal = try reader.integer("principal"), ppm = try reader.integer("rate_ppm")
        guard principal > 0, (0...AnnualRate.largest.partsPerMillion).contains(ppm) else {
            throw .malformed("contract \(id) has a principal or rate out of range")
        }
        self.init(id: id, kind: kind, branch: try reader.orgCode("branch"), principal: AmountMinorUnits(principal), currency: currency,
                  term: term, rateKind: rateKind, rate: AnnualRate(partsPerMillion: ppm), dayCount: dayCount, start: try date("start_date"),
                  chainStart: try date("chain_start"), chainPaid: AmountMinorUnits(try reader.integer("chain_paid")),
                  signatures: try DocumentSignatures(fields: reader))
        maturity = try date("maturity_date")
        interestFrom = try date("interest_from")
        self.state = state
        if let text = try reader.optionalText("closed_date") {
            guard let day = BusinessDate(text) else { throw .malformed("contract \(id) field 'closed_date' is not a date: \(text)") }
            closed = day
        }
        renewedAs = try reader.optionalText("renewed_as")
    }
}
