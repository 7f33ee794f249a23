import Foundation
import LedgerCore
import ReplicaStore

extension ReconciliationContext {
    /// §5.6: gap-free counters per origin (changes waiting behind a missing one) and each node's registry version.
    func completeness() throws -> [StoredFinding] {
        var findings: [StoredFinding] = []
        for gap in try storage.pendingGaps() {
            guard let org = OrgCode(gap.peer) else { continue }
            findings.append(finding(.counterGap, org: org, subject: "stream", date: through, expected: gap.applied + 1, actual: gap.firstWaiting,
                                    "\(gap.waiting) change(s) from \(org) wait at the hub: position \(gap.applied + 1) is missing (next held: \(gap.firstWaiting))"))
        }
        for version in try storage.registryVersions() where version.applied < version.current {
            guard let org = OrgCode(version.peer) else { continue }
            findings.append(finding(.registryStale, org: org, subject: "registry", date: through, expected: version.current, actual: version.applied,
                                    "\(org) has applied registry version \(version.applied); the current one for it is \(version.current)"))
        }
        return findings
    }

    /// §5.7: across the network, money in banks and in transit = opening + external receipts − external payments.
    /// External flows are postings against anything other than bank, in-transit and intercompany accounts; the
    /// difference is exactly the intercompany movements that did not meet their other side.
    func conservation() throws -> [StoredFinding] {
        let before = from.daysSinceEpoch > 0 ? try dayBefore(from) : nil
        let atEnd = try storage.allBalances(through: through.description)
        let atStart = try before.map { try storage.allBalances(through: $0) } ?? [:]
        func total(_ accounts: [AccountRecord], through day: String?) throws -> Int64 {
            let balances = day == nil ? [:] : (day == through.description ? atEnd : atStart)
            return accounts.reduce(Int64(0)) { $0 + (balances[$1.id] ?? 0) }
        }
        let money = accounts.filter { $0.kind == .bank || Self.isInTransit($0) }
        let external = accounts.filter { !($0.kind == .bank || Self.isInTransit($0) || Self.isIntercompany($0)) }
        let opening = try total(money, through: before)
        let closing = try total(money, through: through.description)
        let externalFlow = -(try total(external, through: through.description) - total(external, through: before))
        guard closing != opening + externalFlow else { return [] }
        return [finding(.conservation, org: hub.org, level: "province", subject: "network", date: through, expected: opening + externalFlow,
                        actual: closing, "money in banks and in transit is \(Self.yuan(closing)); opening \(Self.yuan(opening)) + external net "
                            + "\(Self.yuan(externalFlow)) = \(Self.yuan(opening + externalFlow)): \(Self.yuan(closing - opening - externalFlow)) moved without its other side")]
    }

    func dayBefore(_ date: BusinessDate) throws -> String {
        // The largest date string before `date`: enough for "through the day before" comparisons on ISO dates.
        let previous = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch - 1)
        return previous.description
    }

    static func isInTransit(_ account: AccountRecord) -> Bool {
        account.code == LedgerAccounts.fundsInTransit || account.code.hasPrefix(LedgerAccounts.fundsInTransit + ".")
    }

    static func isIntercompany(_ account: AccountRecord) -> Bool {
        // The HQ current pair, and the deposits and loans between the centre and a branch on both sides (3/6 item 3).
        [LedgerAccounts.intercompanyHQ, LedgerAccounts.internalCurrentDeposit, LedgerAccounts.shortLoan, LedgerAccounts.longLoan,
         LedgerAccounts.internalFixedDeposit, LedgerAccounts.internalSpecialFixedDeposit, LedgerAccounts.fixedDepositsAtCentre,
         LedgerAccounts.shortBorrowingFromCentre, LedgerAccounts.longBorrowingFromCentre]
            .contains { account.code == $0 || account.code.hasPrefix($0 + ".") }
    }

    /// §5.1: bank statement entries with no booking in the bank journal.
    func statements() throws -> [StoredFinding] {
        try storage.unmatchedStatementEntries(through: through.description).compactMap { entry in
            guard let owner = accounts.first(where: { $0.id == entry.account })?.org, let date = BusinessDate(entry.date) else { return nil }
            return finding(.statementUnbooked, org: owner, subject: "\(entry.statement)#\(entry.line)", date: date, expected: nil,
                           actual: entry.amount, "the bank statement of \(entry.account) shows \(Self.yuan(entry.amount)) on \(entry.date) "
                               + "(\(entry.reference)) with no booking in the bank journal")
        }
    }
}

