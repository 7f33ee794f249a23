import GRDB
import LedgerCore

/// Overdraft lines as the registry holds them (`OverdraftLine`), read the same way at a node (when a clerk enters a
/// payment) and at the hub (when its cashier releases it), so both refuse the same payments.
extension ReplicaTransaction {
    /// The line of `org` in force on `date`. It is suspended when the fund centre suspended it, or when one of the
    /// unit's overdrawable accounts has been overdrawn for longer than the term by `date` ("suspended at once", D3,
    /// before the hub has even written the suspension). A value that does not read as an amount counts as no line:
    /// a control that cannot read its limit refuses.
    public func overdraftLine(_ org: OrgCode, on date: BusinessDate) throws -> OverdraftLine {
        let termText = try parameter("overdraft_term_days.\(org)", asOf: date) ?? parameter("overdraft_term_days", asOf: date)
        let term = termText.flatMap(Int.init).map { min(max($0, 1), 3_650) } ?? OverdraftLine.defaultTermDays
        var none = OverdraftLine.none
        none.termDays = term
        guard let text = try parameter("overdraft_line.\(org)", asOf: date) else { return none }
        let limit: AmountMinorUnits
        do { limit = try AmountMinorUnits.parsing(text, scale: 2) } catch { return none }
        guard limit.value > 0 else { return none }
        var line = OverdraftLine(limit: limit, termDays: term, suspended: try parameter("overdraft_suspended.\(org)", asOf: date) == "yes")
        if !line.suspended { line.suspended = try !overdraftsPastTerm(org, on: date, termDays: term).isEmpty }
        return line
    }

    /// The bank accounts of `org` a line may cover: class `basic` or `general`, not closed.
    public func overdrawableAccounts(of org: OrgCode) throws -> [String] {
        try accounts(of: org).filter { $0.kind == .bank && $0.status != .closed }.map(\.id).filter { id in
            OverdraftLine.overdrawableClasses.contains(try accountAttributes(id).accountClass ?? "")
        }
    }

    /// How far `account` may go below its available balance on `date`: what its unit's line still allows after the
    /// unit's other accounts' overdrafts, or zero for an account no line may cover.
    public func overdraftRoom(for account: String, on date: BusinessDate, excludingPayment excluding: String? = nil) throws -> AmountMinorUnits {
        guard let record = try self.account(account), record.kind == .bank else { return .zero }
        let eligible = try overdrawableAccounts(of: record.org)
        guard eligible.contains(account) else { return .zero }
        let line = try overdraftLine(record.org, on: date)
        guard line.limit.value > 0, !line.suspended else { return .zero }
        var used: Int64 = 0
        for other in eligible where other != account {
            let available = try availableBalance(other, through: date, excludingPayment: excluding).value
            guard available < 0 else { continue }
            // Saturating: an absurd overdraft elsewhere leaves no room, it does not trap.
            let (sum, overflow) = used.addingReportingOverflow(available == .min ? .max : -available)
            used = overflow ? .max : sum
        }
        return line.room(usedElsewhere: AmountMinorUnits(used))
    }

    /// `org`'s overdrawable accounts that closed below zero on each of the last `termDays + 1` days through `date`.
    public func overdraftsPastTerm(_ org: OrgCode, on date: BusinessDate, termDays: Int) throws -> [String] {
        let from = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch - termDays)
        return try overdrawableAccounts(of: org).filter { account in
            try dailyBalances(account, from: from, through: date).allSatisfy { $0.balance.value < 0 }
        }
    }

    /// The overdrafts of `org`'s overdrawable accounts over `from…through`, each with the days it had already run
    /// before `from` (looked back as far as the term), so its age and whether it is past its term are right.
    public func overdraftOccurrences(_ org: OrgCode, from: BusinessDate, through: BusinessDate, termDays: Int) throws -> [OverdraftOccurrence] {
        try overdrawableAccounts(of: org).flatMap { account in
            let lookBack = BusinessDate.fromDaysSinceEpoch(from.daysSinceEpoch - termDays - 1)
            let before = try dailyBalances(account, from: lookBack, through: BusinessDate.fromDaysSinceEpoch(from.daysSinceEpoch - 1))
            let daysBefore = before.reversed().prefix { $0.balance.value < 0 }.count
            return OverdraftOccurrence.runs(account: account, try dailyBalances(account, from: from, through: through),
                                            daysBefore: daysBefore, termDays: termDays)
        }
    }
}
