import Foundation
import LedgerCore
import ReplicaStore

extension ReconciliationContext {
    /// §5.1: each unit's postings of each day balance.
    func trialBalance() throws -> [StoredFinding] {
        try storage.unbalancedDays(from: from.description, through: through.description).compactMap { day in
            guard let org = OrgCode(day.org), let date = BusinessDate(day.date) else { return nil }
            return finding(.trialBalance, org: org, subject: "books", date: date, expected: day.debit, actual: day.credit,
                           "postings of \(org) on \(date) do not balance: debits \(Self.yuan(day.debit)) ≠ credits \(Self.yuan(day.credit))")
        }
    }

    /// §5.3: every bank account of every unit, every business day from its first activity: the reported
    /// balance against the books; a missing report is a difference.
    func dailyComparison() throws -> [StoredFinding] {
        let reported = try storage.reportedBalances(from: from.description, through: through.description)
        // The bank's own figure, where a statement or an intraday report brought one (7/7 item 6), is used before a
        // unit's report: it is what the unit's report should say, and it needs no clerk.
        let stated = try storage.bankStatedBalances(from: from.description, through: through.description)
        let firstActivity = try storage.firstActivityDates()
        let opened = try storage.accountOpeningDates()
        let calendar = try hub.store.read { try $0.businessCalendar() }
        let histories = try storage.balanceHistories(kind: .bank, through: through.description)
        // A unit whose batches fail to apply at the hub is not blamed for reports that may be stuck in them.
        let failing = Dictionary(try storage.linkFailures().map { ($0.peer, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [StoredFinding] = []
        var stuck: Set<String> = []
        for account in accounts where account.kind == .bank && account.org != hub.org && account.status != .closed {
            guard let orgStart = firstActivity[account.org.rawValue] else { continue }
            // An account opened during the period (an approved request) is expected from its opening day on.
            let start = max(orgStart, opened[account.id] ?? orgStart)
            let history = histories[account.id] ?? []
            var index = 0, ledger: Int64 = 0
            for day in days where calendar.isBusinessDay(day) && day.description >= start {
                while index < history.count, history[index].date <= day.description {
                    ledger = history[index].balance
                    index += 1
                }
                let fromBank = stated["\(account.id)|\(day)"]
                guard let bank = fromBank ?? reported["\(account.id)|\(day)"] else {
                    if failing[account.org.rawValue] != nil {
                        stuck.insert(account.org.rawValue)
                        continue
                    }
                    findings.append(finding(.notReported, org: account.org, subject: account.id, date: day, expected: ledger, actual: nil,
                                            "\(account.org) did not report the balance of \(account.id) for \(day)"))
                    continue
                }
                if bank != ledger {
                    findings.append(finding(.balanceDifference, org: account.org, subject: account.id, date: day, expected: ledger, actual: bank,
                                            "\(account.id) of \(account.org) on \(day): \(fromBank == nil ? "reported" : "the bank's statement says") "
                                                + "\(Self.yuan(bank)), books \(Self.yuan(ledger)), difference \(Self.yuan(bank - ledger))"))
                }
            }
        }
        for org in stuck.sorted() {
            guard let link = failing[org], let code = OrgCode(org) else { continue }
            let since = Self.utc(milliseconds: link.firstFailedAtMilliseconds)
            findings.append(finding(.streamBlocked, org: code, subject: "stream", date: through, expected: nil, actual: nil,
                                    "stream of \(org) blocked since \(since): \(link.attempts) attempt(s) to apply its batches failed at the "
                                    + "hub (last: \(link.lastError.prefix(200))); its missing balance reports may be in them: the hub must be "
                                    + "fixed, not the unit"))
        }
        return findings
    }

    /// `2026-11-20 08:15 UTC` for a time in milliseconds (findings are read by people).
    static func utc(milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1_000))
    }

    /// §5.2: both sides of every slip booked, with the slip's amount; funds in transit cleared within the
    /// configured days.
    func slipPairing() throws -> [StoredFinding] {
        let agingDays = Int(try hub.store.read { try $0.parameter("in_transit_aging_days", asOf: through) } ?? "3") ?? 3
        var findings: [StoredFinding] = []
        for slip in try storage.slipSides(through: through.description) {
            let branch = slip.issuer == hub.org ? slip.receiver : slip.issuer
            for (side, booked) in [(slip.issuer, slip.issuerBooked), (slip.receiver, slip.receiverBooked)] {
                guard let booked else {
                    findings.append(finding(.slipOneSided, org: branch, subject: slip.id, date: slip.date, expected: slip.amount.value, actual: nil,
                                            "\(slip.kind) slip \(slip.id) of \(slip.amount) is not booked by \(side)"))
                    continue
                }
                if booked != slip.amount {
                    findings.append(finding(.slipAmountMismatch, org: branch, subject: "\(slip.id)@\(side)", date: slip.date,
                                            expected: slip.amount.value, actual: booked.value,
                                            "\(side) booked \(booked) for \(slip.kind) slip \(slip.id) of \(slip.amount)"))
                }
            }
            let age = slip.date.days(until: slip.clearedOn ?? through)
            // Only money between banks is in transit; a shared cost or an expense paid on the centre's behalf is booked, not carried.
            if ["sweep_up", "allocation"].contains(slip.kind), slip.receiverBooked != nil, age > agingDays, slip.clearedOn == nil {
                findings.append(finding(.inTransitAged, org: branch, subject: slip.id, date: slip.date, expected: nil, actual: slip.amount.value,
                                        "\(slip.amount) of slip \(slip.id) has been in transit \(age) days (limit \(agingDays)): chase the bank receipt"))
            }
        }
        return findings
    }

    /// §5.4: 2242.02.B at the centre (= HQ's intercompany with B) equals minus B's own intercompany–HQ.
    func internalAccounts() throws -> [StoredFinding] {
        var findings: [StoredFinding] = []
        let balances = try storage.allBalances(through: through.description)
        for branch in branches {
            let centre = balances[LedgerAccounts.hubIntercompany(hub: hub.org, branch: branch)] ?? 0
            let own = balances[LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ)] ?? 0
            if centre != -own {
                findings.append(finding(.internalAccounts, org: branch, subject: "2242.02", date: through, expected: -own, actual: centre,
                                        "2242.02 of \(branch) at the centre is \(Self.yuan(centre)) but \(branch)'s intercompany–HQ is \(Self.yuan(own))"))
            }
        }
        return findings
    }

    /// §5.5: at each city and at the province, the branches' intercompany balances and the centre's mirror of
    /// them eliminate to zero.
    func elimination() throws -> [StoredFinding] {
        var findings: [StoredFinding] = []
        let balances = try storage.allBalances(through: through.description)
        let levels = orgs.values.filter { $0.level == .city || $0.level == .province }.map(\.code).sorted()
        for root in levels {
            let branchSet = Set(branches)
            let members = subtree(of: root).filter { branchSet.contains($0) }
            guard !members.isEmpty else { continue }
            var net: Int64 = 0
            for branch in members {
                net += balances[LedgerAccounts.hubIntercompany(hub: hub.org, branch: branch)] ?? 0
                net += balances[LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ)] ?? 0
            }
            if net != 0 {
                let level = orgs[root]?.level == .province ? "province" : "city"
                findings.append(finding(.elimination, org: root, level: level, subject: "intercompany", date: through, expected: 0, actual: net,
                                        "intercompany balances of \(root) (\(members.count) units) do not eliminate: \(Self.yuan(net)) left"))
            }
        }
        return findings
    }
}
