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
    /// The period was settled before: `interestMinorUnits` and `voucher` are what was posted then, never a recomputation.
    public var alreadyPosted = false
}

extension Hub {
    /// Periodic interest settlement (结息) over `from…through` on every branch's internal accounts, from the
    /// hub's books: deposit interest on credit balances of 2242.02.B, overdraft interest on debit balances,
    /// loan interest on 1013.B/1533.B (at the overdue penalty rate from `overdue_from.<account>` on). Each amount
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
            for branch in try transaction.branchesWithInternalAccounts(hub: org) {
                for (account, isLoan, longTerm) in [(LedgerAccounts.hubIntercompany(hub: org, branch: branch), false, false),
                                                    (LedgerAccounts.hubLoan(hub: org, branch: branch, longTerm: false), true, false),
                                                    (LedgerAccounts.hubLoan(hub: org, branch: branch, longTerm: true), true, true)] {
                    let balances = try transaction.dailyBalances(account, from: from, through: through)
                    let overdueFrom = try transaction.parameter("overdue_from.\(account)", asOf: through).flatMap(BusinessDate.init)
                    // Allocations the hub itself approved draw the branch's deposit down; that is funding, not an overdraft:
                    // overdraft interest is charged only on the debit balance beyond them (3/6 item 2).
                    let allocated = isLoan ? [:] : try transaction.allocatedCumulative(account, from: from, through: through)
                    for (kind, payable) in Self.pricings(isLoan: isLoan) {
                        let priced = kind != "overdraft" ? balances : try balances.map { day in
                            let (beyond, overflow) = day.balance.value.subtractingReportingOverflow(allocated[day.date] ?? 0)
                            guard !overflow else { throw LedgerRuleViolation(.amountOverflow) }
                            return InterestCalculator.DailyBalance(date: day.date, balance: AmountMinorUnits(max(0, beyond)))
                        }
                        let accrual = try InterestCalculator.accrue(priced, rates: rates) { day in
                            Self.rateKind(for: day, kind: kind, isLoan: isLoan, longTerm: longTerm, overdueFrom: overdueFrom)
                        }
                        guard accrual.interest.value > 0 else { continue }
                        var settlement = InterestSettlement(branch: branch.rawValue, account: account, kind: kind, productFenDays: accrual.productFenDays,
                                                            days: accrual.days, interestMinorUnits: accrual.interest.value, payable: payable)
                        settlement.dayCount = accrual.dayCounts.sorted().map(\.name).joined(separator: ", ")
                        let source = "interest:\(account):\(kind):\(from):\(through)"
                        if let overlap = try Self.overlappingSettlement(account: account, kind: kind, from: from, through: through,
                                                                         exact: source, in: transaction) {
                            throw TreasuryError(.alreadyDone, "\(kind) interest on \(account) was already settled for \(overlap), which overlaps \(from)…\(through)")
                        }
                        if let posted = try transaction.vouchers(source: source).first {
                            // Settled before: show what was posted (3/6 item 3), never a recomputation whose rounding or
                            // balances may differ today.
                            settlement.interestMinorUnits = try posted.total(.debit).value
                            settlement.voucher = posted.id
                            settlement.alreadyPosted = true
                        } else {
                            (settlement.voucher, settlement.slip) = try postInterest(settlement, source: source, date: postingDate,
                                                                                     signatures: signatures, books: books, transaction: transaction)
                        }
                        settlements.append(settlement)
                    }
                }
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

    /// For a deposit: credit balances earn deposit interest (payable), debit balances pay overdraft interest.
    /// For a loan: debit balances pay loan (or overdue) interest.
    static func pricings(isLoan: Bool) -> [(kind: String, payable: Bool)] {
        isLoan ? [("loan", false)] : [("deposit", true), ("overdraft", false)]
    }

    static func rateKind(for day: InterestCalculator.DailyBalance, kind: String, isLoan: Bool, longTerm: Bool,
                         overdueFrom: BusinessDate?) -> RateKind? {
        switch kind {
        case "deposit": return day.balance.value < 0 ? .currentDeposit : nil
        case "overdraft": return day.balance.value > 0 ? .overdraft : nil
        default:
            guard day.balance.value > 0 else { return nil }
            if let overdueFrom, day.date >= overdueFrom { return .overduePenalty }
            return longTerm ? .longLoan : .shortLoan
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
