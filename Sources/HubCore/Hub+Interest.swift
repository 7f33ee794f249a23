import Foundation
import LedgerCore
import ReplicaStore

/// One interest posting of a settlement run.
public struct InterestSettlement: Equatable, Sendable, Codable {
    public var branch: String
    public var account: String
    public var kind: String
    public var productFenDays: Int64
    public var days: Int
    public var interestMinorUnits: Int64
    /// True when the fund centre pays it (deposit interest); false when it is charged to the branch.
    public var payable: Bool
    public var voucher: String?
    public var slip: String?
    /// The day-count convention of the rates applied (`actual/360`, `actual/365`; both when the rate changed basis).
    public var dayCount: String = ""
    /// The internal loan contract charged (loans are priced per contract, at the rate fixed when drawn).
    public var contract: String?
    /// The period was settled before: `interestMinorUnits` and `voucher` are what was posted then, never a recomputation.
    public var alreadyPosted = false
}

extension Hub {
    /// Periodic interest settlement (结息) over `from…through` on every branch's internal accounts, from the
    /// hub's books: deposit interest on credit balances of 2242.02.B, overdraft interest on debit balances beyond
    /// the allocations the hub approved, and each internal loan's interest at its contract rate (the overdue rate
    /// from its maturity on), from where its last charge stopped (`Hub+Contracts`). Each amount
    /// is posted at the hub on `postingDate` and sent down as an interest slip the branch books. A period
    /// already settled for an account is skipped, so running it twice posts nothing twice.
    @discardableResult
    public func settleInterest(from: BusinessDate, through: BusinessDate, postingDate: BusinessDate,
                               signatures: DocumentSignatures) throws -> [InterestSettlement] {
        guard from <= through else { throw TreasuryError(.invalidValue, "the period starts after it ends") }
        return try write { transaction, books in
            try transaction.periodLock().check(postingDate)
            let rates = try transaction.rateTable()
            var settlements: [InterestSettlement] = []
            // One settlement: posted once; a re-run shows what was posted (3/6 item 3), never a recomputation whose
            // rounding or balances may differ today; an overlapping period is refused.
            func settle(_ accrual: InterestCalculator.Accrual, branch: OrgCode, account: String, kind: String,
                        payable: Bool) throws -> InterestSettlement? {
                guard accrual.interest.value > 0 else { return nil }
                var settlement = InterestSettlement(branch: branch.rawValue, account: account, kind: kind, productFenDays: accrual.productFenDays,
                                                    days: accrual.days, interestMinorUnits: accrual.interest.value, payable: payable)
                settlement.dayCount = accrual.dayCounts.sorted().map(\.name).joined(separator: ", ")
                let source = "interest:\(account):\(kind):\(from):\(through)"
                if let overlap = try Self.overlappingSettlement(account: account, kind: kind, from: from, through: through,
                                                                 exact: source, in: transaction) {
                    throw TreasuryError(.alreadyDone, "\(kind) interest on \(account) was already settled for \(overlap), which overlaps \(from)…\(through)")
                }
                if let posted = try transaction.vouchers(source: source).first {
                    settlement.interestMinorUnits = try posted.total(.debit).value
                    settlement.voucher = posted.id
                    settlement.alreadyPosted = true
                } else {
                    (settlement.voucher, settlement.slip) = try postInterest(settlement, source: source, date: postingDate,
                                                                             signatures: signatures, books: books, transaction: transaction)
                }
                return settlement
            }
            for branch in try transaction.branchesWithInternalAccounts(hub: org) {
                // Loans are priced by their contracts (below), at the rate fixed when drawn, not by the balance of 1013.B.
                let account = LedgerAccounts.hubIntercompany(hub: org, branch: branch)
                let balances = try transaction.dailyBalances(account, from: from, through: through)
                // Allocations the hub itself approved draw the branch's deposit down; that is funding, not an overdraft:
                // overdraft interest is charged only on the debit balance beyond them (3/6 item 2).
                let allocated = try transaction.allocatedCumulative(account, from: from, through: through)
                for (kind, payable) in [("deposit", true), ("overdraft", false)] {
                    let priced = kind != "overdraft" ? balances : try balances.map { day in
                        let (beyond, overflow) = day.balance.value.subtractingReportingOverflow(allocated[day.date] ?? 0)
                        guard !overflow else { throw LedgerRuleViolation(.amountOverflow) }
                        return InterestCalculator.DailyBalance(date: day.date, balance: AmountMinorUnits(max(0, beyond)))
                    }
                    let accrual = try InterestCalculator.accrue(priced, rates: rates) { day in Self.rateKind(for: day, kind: kind) }
                    if let settlement = try settle(accrual, branch: branch, account: account, kind: kind, payable: payable) {
                        settlements.append(settlement)
                    }
                }
                // Overdrafts of the branch's basic and general bank accounts (D3): the overdraft rate within the term,
                // the overdue rate for the days past it; charged to the branch through its current deposit.
                let term = try transaction.overdraftLine(branch, on: through).termDays
                let byAccount = Dictionary(grouping: try transaction.overdraftOccurrences(branch, from: from, through: through, termDays: term),
                                           by: \.account)
                for occurrence in byAccount.sorted(by: { $0.key < $1.key }) {
                    let bank = occurrence.key
                    var pastTerm: Set<BusinessDate> = []
                    for run in occurrence.value {
                        guard let start = BusinessDate(run.start) else { continue }
                        let already = run.days - (run.end.flatMap(BusinessDate.init).map { start.days(until: $0) + 1 }
                                                  ?? start.days(until: through) + 1)
                        for (index, day) in start.through(run.end.flatMap(BusinessDate.init) ?? through).enumerated() where already + index + 1 > term {
                            pastTerm.insert(day)
                        }
                    }
                    let accrual = try InterestCalculator.accrue(try transaction.dailyBalances(bank, from: from, through: through), rates: rates) { day in
                        day.balance.value < 0 ? (pastTerm.contains(day.date) ? .overduePenalty : .overdraft) : nil
                    }
                    if let settlement = try settle(accrual, branch: branch, account: bank, kind: "bank_overdraft", payable: false) {
                        settlements.append(settlement)
                    }
                }
            }
            // Internal loans: each charged from where its last charge stopped, through the period's end.
            for loan in try settleLoanInterest(through: through, postingDate: postingDate, signatures: signatures, books: books,
                                               transaction: transaction) {
                let account = "\(org.rawValue):\(ContractKind(rawValue: loan.kind)?.hubSubject ?? loan.kind).\(loan.branch)"
                var settlement = InterestSettlement(branch: loan.branch, account: account, kind: loan.penaltyMinorUnits > 0 ? "loan+overdue" : "loan",
                                                    productFenDays: 0, days: loan.days,
                                                    interestMinorUnits: loan.interestMinorUnits + loan.penaltyMinorUnits, payable: false,
                                                    voucher: loan.vouchers.first, slip: loan.slips.first)
                settlement.dayCount = loan.dayCount
                settlement.contract = loan.contract
                settlements.append(settlement)
            }
            return settlements
        }
    }

    /// A settled period of the same account and kind that overlaps `from…through` (other than exactly it).
    static func overlappingSettlement(account: String, kind: String, from: BusinessDate, through: BusinessDate, exact: String,
                                      in transaction: ReplicaTransaction) throws -> String? {
        for source in try transaction.voucherSources(prefix: "interest:\(account):\(kind):") where source != exact {
            let parts = source.split(separator: ":")
            guard parts.count >= 2, let start = BusinessDate(String(parts[parts.count - 2])), let end = BusinessDate(String(parts[parts.count - 1])) else { continue }
            if start <= through && from <= end { return "\(start)…\(end)" }
        }
        return nil
    }

    /// Credit balances of a current deposit earn deposit interest; debit balances pay overdraft interest.
    static func rateKind(for day: InterestCalculator.DailyBalance, kind: String) -> RateKind? {
        switch kind {
        case "deposit": day.balance.value < 0 ? .currentDeposit : nil
        default: day.balance.value > 0 ? .overdraft : nil
        }
    }

    func postInterest(_ settlement: InterestSettlement, source: String, date: BusinessDate, signatures: DocumentSignatures,
                      books: HubBooks, transaction: ReplicaTransaction) throws -> (String, String) {
        let branch = OrgCode(settlement.branch)!
        let amount = AmountMinorUnits(settlement.interestMinorUnits)
        let lines = JournalEntries.interestAtHub(hub: org, branch: branch, amount, payable: settlement.payable)
        let voucher = try books.post(lines, date: date, memo: "\(settlement.kind) interest on \(settlement.account)", source: source,
                                     signatures: signatures)
        let slip = "\(org.rawValue)-S\(date.year)-\(HubBooks.pad(try transaction.nextSequence("slip.\(date.year)")))"
        try transaction.appendLocal(table: .slip, key: slip, operation: .insert, businessDate: date.description, fields: [
            "kind": .text(settlement.payable ? "interest_received" : "interest_charged"), "issuer": .text(org.rawValue),
            "receiver": .text(branch.rawValue), "date": .text(date.description), "amount": .integer(amount.value),
            "currency": .text("CNY"), "bank_account": .null, "bank_advice": .null,
            "memo": .text("\(settlement.kind) interest, product \(settlement.productFenDays) fen-days over \(settlement.days) days"),
            "related": .text(source), "issuer_entries": Self.entries(lines),
            "receiver_entries": Self.entries(JournalEntries.interestAtBranch(branch: branch, amount, received: settlement.payable)),
        ].merging(signatures.fields) { current, _ in current })
        try transaction.setSlipStatus(slip, "issued", date: date)
        return (voucher.id, slip)
    }
}
