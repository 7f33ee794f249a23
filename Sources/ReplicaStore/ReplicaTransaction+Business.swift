import Foundation
import GRDB
import LedgerCore

/// A `LedgerLookup` that sees every account with the status in force on one business date: what the hub and the
/// nodes check documents against (a payment dated after a freeze is refused even if it arrives before).
public struct AsOfLedgerLookup: LedgerLookup {
    let transaction: ReplicaTransaction
    let date: BusinessDate

    public func account(_ id: String) throws -> AccountRecord? { try transaction.account(id, asOf: date) }
    public func postedVoucher(_ id: String) throws -> Voucher? { try transaction.postedVoucher(id) }
    public func isReversed(_ id: String) throws -> Bool { try transaction.isReversed(id) }
    /// A budget unit directly under `origin` (3/6 item 9): its county's node keeps its books.
    public func keepsBooks(of org: OrgCode, origin: OrgCode) throws -> Bool {
        guard let unit = try transaction.orgUnit(org) else { return false }
        return unit.level == .budgetUnit && unit.parent == origin
    }
}

/// Lookups the business rules need, as of a business date where the registry is effective-dated.
extension ReplicaTransaction {
    /// The ledger as of `date`, for `VoucherValidator`.
    public func lookup(asOf date: BusinessDate) -> AsOfLedgerLookup { AsOfLedgerLookup(transaction: self, date: date) }

    /// The account with the status in force on `date` (its effective-dated history), or `nil` if unknown.
    public func account(_ id: String, asOf date: BusinessDate) throws -> AccountRecord? {
        guard var account = try account(id) else { return nil }
        let day = date.description
        if let entry = try statusHistory(id).last(where: { $0.from <= day }) { account.status = entry.status }
        return account
    }

    /// The business calendar in the registry (Monday to Friday when it holds no days).
    public func businessCalendar() throws -> BusinessCalendar {
        var calendar = BusinessCalendar()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT date, kind FROM calendar_day")) {
            guard let date = BusinessDate(row["date"] as String) else { continue }
            if (row["kind"] as String) == "workday" { calendar.workdays.insert(date) } else { calendar.holidays.insert(date) }
        }
        return calendar
    }

    /// Extra attributes of an account (purpose, class, retained balance for sweeps, the date its status holds from).
    public func accountAttributes(_ id: String) throws -> (purpose: String?, retainedBalance: Int64?, statusFrom: String?, accountClass: String?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT purpose, retained_balance, status_from, class FROM account WHERE id = ?",
                                         arguments: [id]) else { return (nil, nil, nil, nil) }
        return (row["purpose"], row["retained_balance"], row["status_from"], row["class"])
    }

    /// Accounts of `org` (in id order).
    public func accounts(of org: OrgCode) throws -> [AccountRecord] {
        try Row.fetchAll(db, sql: "SELECT id, org, kind, code, name, currency, status FROM account WHERE org = ? ORDER BY id",
                         arguments: [org.rawValue]).compactMap(AccountRecord.init(row:))
    }

    /// The registered staff member `id`, if any.
    public func staffMember(_ id: String) throws -> StaffMember? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, org, name, roles FROM staff WHERE id = ?"), arguments: [id]),
              let org = OrgCode(row["org"]) else { return nil }
        let roles = Set((row["roles"] as String).split(separator: ",").compactMap { StaffRole(rawValue: String($0)) })
        return StaffMember(id: row["id"], org: org, name: row["name"], roles: roles)
    }

    /// The approval table in force on `date`: for each cell, the rule with the latest `effective_from` ≤ date.
    public func approvalRules(asOf date: BusinessDate) throws -> [ApprovalRule] {
        try Row.fetchAll(db, sql: """
            SELECT category, tier, basis, approver_role FROM approval_rule r WHERE effective_from <= ?1
            AND effective_from = (SELECT MAX(effective_from) FROM approval_rule q WHERE q.category = r.category
                AND q.tier = r.tier AND q.basis = r.basis AND q.effective_from <= ?1)
            """, arguments: [date.description]).compactMap { row in
            guard let tier = ApprovalTier(rawValue: Int(row["tier"] as Int64)), let basis = ApprovalBasis(rawValue: row["basis"]),
                  let role = StaffRole(rawValue: row["approver_role"]) else { return nil }
            return ApprovalRule(category: row["category"], tier: tier, basis: basis, approverRole: role)
        }
    }

    /// The whole rate table.
    public func rateTable() throws -> RateTable {
        RateTable(try Row.fetchAll(db.cachedStatement(sql: "SELECT kind, effective_from, rate_ppm, day_count FROM rate")).compactMap { row in
            guard let kind = RateKind(rawValue: row["kind"]), let from = BusinessDate(row["effective_from"]),
                  let dayCount = DayCountBasis(rawValue: Int(row["day_count"] as Int64)) else { return nil }
            return RateEntry(kind: kind, effectiveFrom: from, rate: AnnualRate(partsPerMillion: row["rate_ppm"]), dayCount: dayCount)
        })
    }

    /// A parameter's value in force on `date` (`nil` when never set).
    public func parameter(_ name: String, asOf date: BusinessDate) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT value FROM parameter WHERE name = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1
            """, arguments: [name, date.description])
    }

    /// The period-close lock this replica has.
    public func periodLock() throws -> PeriodLock {
        if let cachedPeriodLock { return cachedPeriodLock }
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT locked_through FROM period_lock WHERE id = 'global'"))
        let lock = PeriodLock(lockedThrough: text.flatMap(BusinessDate.init))
        cachedPeriodLock = lock
        return lock
    }

    /// The book balance (debits − credits of posted vouchers) of `account` through `date`.
    public func bookBalance(_ account: String, through date: BusinessDate) throws -> AmountMinorUnits {
        AmountMinorUnits(try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END), 0)
            FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
            WHERE l.account = ? AND v.status = 'posted' AND v.date <= ?
            """, arguments: [account, date.description]) ?? 0)
    }

    /// The available balance of bank account `account` on `date` (3/6, cash control): its book balance through that
    /// date, less the payments from it that are entered or released but not yet booked (no posted voucher books them:
    /// the money is promised and has not left in the books), other than `excluding`.
    public func availableBalance(_ account: String, through date: BusinessDate, excludingPayment excluding: String? = nil) throws -> AmountMinorUnits {
        let booked = try bookBalance(account, through: date)
        let promised = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(p.amount), 0) FROM payment p
            WHERE p.account = ? AND p.state IN ('entered', 'released') AND p.id IS NOT ?
              AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.source = 'payment:' || p.id AND v.status = 'posted')
            """, arguments: [account, excluding]) ?? 0
        let (available, overflow) = booked.value.subtractingReportingOverflow(promised)
        guard !overflow else { throw LedgerRuleViolation(.amountOverflow) }
        return AmountMinorUnits(available)
    }

    /// Receipts minus payments in the bank journal of `account` through `date`: the cashier's bank book balance.
    public func bankJournalBalance(_ account: String, through date: BusinessDate) throws -> AmountMinorUnits {
        AmountMinorUnits(try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(CASE WHEN direction = 'receipt' THEN amount ELSE -amount END), 0)
            FROM bank_journal WHERE account = ? AND date <= ?
            """, arguments: [account, date.description]) ?? 0)
    }

    /// Sum of applications of `org` and `category` approved (or allocated) in the month of `date`, excluding `id`:
    /// the cumulative amount the approval table's cumulative cells are checked against.
    public func approvedApplicationTotal(org: OrgCode, category: String, month date: BusinessDate, excluding id: String) throws -> AmountMinorUnits {
        let prefix = String(date.description.prefix(7))
        return AmountMinorUnits(try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount), 0) FROM application WHERE org = ? AND category = ? AND substr(date, 1, 7) = ?
            AND state IN ('approved', 'allocated') AND id != ?
            """, arguments: [org.rawValue, category, prefix, id]) ?? 0)
    }

    /// A document row as a map of column values (text, integers, null), or `nil`.
    public func document(_ table: ReplicatedTable, _ id: String) throws -> [String: FieldValue]? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table.rawValue) WHERE id = ?", arguments: [id]) else { return nil }
        var values: [String: FieldValue] = [:]
        for column in row.columnNames {
            let value: DatabaseValue = row[column]
            switch value.storage {
            case .int64(let number): values[column] = .integer(number)
            case .string(let text): values[column] = .text(text)
            case .double(let number): values[column] = .integer(Int64(number))
            case .blob(let data): values[column] = .bytes([UInt8](data))
            case .null: values[column] = .null
            }
        }
        return values
    }

    /// Branches with an internal current deposit at the hub (`hub:2242.02.B` accounts).
    public func branchesWithInternalAccounts(hub: OrgCode) throws -> [OrgCode] {
        let prefix = "\(hub.rawValue):\(LedgerAccounts.internalCurrentDeposit)."
        return try String.fetchAll(db, sql: "SELECT id FROM account WHERE org = ? AND id LIKE ? ORDER BY id",
                                   arguments: [hub.rawValue, prefix + "%"]).compactMap { OrgCode(String($0.dropFirst(prefix.count))) }
    }

    /// The closing book balance of `account` on every day of `from…through` (posted vouchers by their date).
    public func dailyBalances(_ account: String, from: BusinessDate, through: BusinessDate) throws -> [InterestCalculator.DailyBalance] {
        var running = try bookBalance(account, through: BusinessDate(from.description) ?? from).value
        let movements = try Row.fetchAll(db, sql: """
            SELECT v.date AS date, SUM(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END) AS net
            FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
            WHERE l.account = ? AND v.status = 'posted' AND v.date > ? AND v.date <= ? GROUP BY v.date
            """, arguments: [account, from.description, through.description])
        var byDate: [String: Int64] = [:]
        for row in movements { byDate[row["date"]] = row["net"] }
        return from.through(through).map { day in
            if day != from { running += byDate[day.description] ?? 0 }
            return InterestCalculator.DailyBalance(date: day, balance: AmountMinorUnits(running))
        }
    }

    /// The cumulative amount debited to `account` by allocation orders the hub approved (vouchers booking an
    /// allocation slip), for each day of `from…through` (3/6 item 2: funds the centre granted are not an overdraft).
    public func allocatedCumulative(_ account: String, from: BusinessDate, through: BusinessDate) throws -> [BusinessDate: Int64] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.date AS date, SUM(l.amount) AS amount FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
            JOIN slip s ON v.source = 'slip:' || s.id
            WHERE l.account = ? AND l.side = 'debit' AND v.status = 'posted' AND s.kind = 'allocation' AND v.date <= ?
            GROUP BY v.date ORDER BY v.date
            """, arguments: [account, through.description])
        var running: Int64 = 0, index = 0
        var result: [BusinessDate: Int64] = [:]
        for day in from.through(through) {
            while index < rows.count, (rows[index]["date"] as String) <= day.description {
                let (sum, overflow) = running.addingReportingOverflow(rows[index]["amount"])
                guard !overflow else { throw LedgerRuleViolation(.amountOverflow) }
                running = sum
                index += 1
            }
            result[day] = running
        }
        return result
    }

    /// Posted vouchers that book `source` (`slip:<id>`, `payment:<id>`), in id order.
    public func vouchers(source: String) throws -> [Voucher] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM voucher WHERE source = ? AND status = 'posted' ORDER BY id"), arguments: [source])
            .compactMap { try VoucherQueries.voucher($0, in: db, postedOnly: true) }
    }

    /// Sources of posted vouchers starting with `prefix`.
    public func voucherSources(prefix: String) throws -> [String] {
        // An explicit escape character: SQLite has no default one and PostgreSQL's is the backslash, so only this
        // form means the same in both.
        let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try String.fetchAll(db, sql: "SELECT DISTINCT source FROM voucher WHERE source LIKE ? ESCAPE '\\' AND status = 'posted'",
                                   arguments: [escaped + "%"])
    }

    /// True when a posted voucher books `source` (an idempotency key such as an interest period).
    public func voucherExists(withSource source: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voucher WHERE source = ? AND status = 'posted'"), arguments: [source]) ?? false
    }

    /// True when a voucher of `org` (in any state) books `source`: its side of that document is already recorded.
    public func voucherExists(withSource source: String, org: OrgCode) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voucher WHERE source = ? AND org = ?"), arguments: [source, org.rawValue]) ?? false
    }

    /// Forecasts submitted for `period`, by branch.
    public func forecasts(period: String) throws -> [(id: String, org: OrgCode, total: AmountMinorUnits)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, org, total FROM forecast WHERE period = ? ORDER BY org"), arguments: [period]).compactMap { row in
            guard let org = OrgCode(row["org"]) else { return nil }
            return (row["id"], org, AmountMinorUnits(row["total"]))
        }
    }

    /// The allocation order prepared for a special application, if any.
    public func allocationOrder(forApplication id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM allocation WHERE application = ? ORDER BY id LIMIT 1"), arguments: [id])
    }

    /// True when an allocation order for `branch` and `period` exists.
    public func hasAllocation(branch: OrgCode, period: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM allocation WHERE branch = ? AND period = ?"), arguments: [branch.rawValue, period]) ?? false
    }

    /// Ids of slips of `kind` still in transit, optionally of one amount.
    public func openSlips(kind: String, amount: AmountMinorUnits? = nil) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT id FROM slip WHERE kind = ? AND status = 'in_transit' AND (?2 IS NULL OR amount = ?2) ORDER BY id
            """.replacingOccurrences(of: "?2", with: "?"), arguments: [kind, amount?.value, amount?.value])
    }

    /// Sets a document's local bookkeeping status (not replicated: each replica derives it, e.g. a slip cleared).
    public func setSlipStatus(_ id: String, _ status: String, date: BusinessDate?) throws {
        try db.execute(sql: "UPDATE slip SET status = ?, status_date = ? WHERE id = ?", arguments: [status, date?.description, id])
    }

    /// Next number of a per-replica document sequence (`meta` key `seq.<name>`), starting at 1.
    public func nextSequence(_ name: String) throws -> Int {
        let next: Int
        if let cached = sequences[name] {
            next = cached
        } else {
            next = Int(try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: ["seq.\(name)"]) ?? "1") ?? 1
        }
        sequences[name] = next + 1
        return next
    }

    /// The document's version vector (for a transition's `based_on`).
    public func documentVector(_ kind: StatefulDocument, _ id: String) throws -> VersionVector? {
        try TransitionApplier.load(kind, id, in: db)?.vector
    }

    /// Writes a transition of `kind` `id` from its current state to `to`, by this replica.
    @discardableResult
    /// - Parameter date: the business date the transition takes effect (a payment's release: the bank date), carried
    ///   as the optional field `date` (release 2); `nil` writes none.
    /// - Parameter extra: further fields of the transition (release 2: a batch payment's `paid` carries the `amount`
    ///   the bank paid when it paid only some of its people).
    public func appendTransition(_ kind: StatefulDocument, _ id: String, to: String, actor: String, reason: String?,
                                 byHub: Bool, date: BusinessDate? = nil, extra: [String: FieldValue] = [:]) throws -> Change {
        guard let document = try TransitionApplier.load(kind, id, in: db) else {
            throw LedgerRuleViolation.malformed("\(kind.rawValue) \(id) does not exist")
        }
        try kind.check(from: document.state, to: to, byHub: byHub)
        let counter = vector[org] + 1
        var fields: [String: FieldValue] = [
            "doc_table": .text(kind.rawValue), "doc_id": .text(id), "from_state": .text(document.state), "to_state": .text(to),
            "actor": .text(actor), "reason": reason.map(FieldValue.text) ?? .null, "by_hub": .integer(byHub ? 1 : 0),
            "based_on": TransitionApplier.vectorField(document.vector),
        ]
        if let date { fields["date"] = .text(date.description) }
        fields.merge(extra) { current, _ in current }
        return try appendLocal(table: .transition, key: "\(org.rawValue):\(counter)", operation: .insert,
                               businessDate: date?.description ?? "", fields: fields, dependsOn: document.vector)
    }
}
