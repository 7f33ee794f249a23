import Foundation
import LedgerCore
import ReplicaStore

/// Why the hub refused to close a period: every reason, so the officer knows what to chase.
public struct CloseRefusal: Error, CustomStringConvertible, Sendable {
    public let reasons: [String]
    public var description: String { "the period cannot be closed yet:\n  " + reasons.joined(separator: "\n  ") }
}

extension Hub {
    /// Sends a difference notice (差异通知) to the node concerned for every open finding of a county or city
    /// that has none yet, so the office can see and explain its items offline. Returns the notices written.
    @discardableResult
    public func sendDifferenceNotices() throws -> [String] {
        let open = try storage.findings().filter { $0.status == "open" && $0.notice == nil && $0.org != org.rawValue }
        let nodes = Set(try store.read { try $0.nodeKeys() }.map(\.org.rawValue))
        var sent: [String] = []
        try write { transaction, _ in
            for finding in open where nodes.contains(finding.org) {
                let id = "\(org.rawValue)-N\(HubBooks.pad(try transaction.nextSequence("notice")))"
                try transaction.appendLocal(table: .differenceNotice, key: id, operation: .insert, businessDate: finding.date, fields: [
                    "org": .text(finding.org), "check_kind": .text(finding.check), "subject": .text(finding.subject),
                    "date": .text(finding.date), "level": .text(finding.level), "expected": finding.expected.map(FieldValue.integer) ?? .null,
                    "actual": finding.actual.map(FieldValue.integer) ?? .null, "message": .text(finding.message), "state": .text("open"),
                ])
                try transaction.attachNotice(id, toFinding: finding.id)
                sent.append(id)
            }
        }
        return sent
    }

    /// Closes a month once the network is ready (DESIGN.md §5, issue 3): every node has synced after the cut-off
    /// (a batch received since) and applied the current registry, no changes wait behind a gap, and every item in
    /// transit dated in the month is cleared or explained. Then the lock flows down.
    /// - Throws: `CloseRefusal` listing every reason.
    public func closePeriod(_ month: String, reconciledThrough: BusinessDate? = nil) throws {
        guard let first = BusinessDate("\(month)-01") else { throw TreasuryError(.invalidValue, "period '\(month)' must be YYYY-MM") }
        let cutoff = first.endOfMonth
        var reasons: [String] = []
        let syncedAfter = try storage.lastBatchDates()
        for node in Set(try store.read({ try $0.nodeKeys() }).filter { $0.status == .active }.map(\.org)).filter({ $0 != org })
            .map(\.rawValue).sorted() {
            if let last = syncedAfter[node], last > cutoff.description { continue }
            reasons.append("\(node) has not synced since the cut-off \(cutoff) (last batch \(syncedAfter[node] ?? "never"))")
        }
        for gap in try storage.pendingGaps() { reasons.append("changes of \(gap.peer) wait behind a gap at position \(gap.applied + 1)") }
        for version in try storage.registryVersions() where version.applied < version.current {
            reasons.append("\(version.peer) has not applied registry version \(version.current) (it has \(version.applied))")
        }
        let findings = try storage.findings()
        let slips = try storage.slipSides(through: cutoff.description)
        // A shared cost or an expense paid on the centre's behalf carries no money in transit: it is settled once both
        // sides booked it (the branch accepted the proposal, or the hub booked the branch's slip).
        for slip in slips where !["sweep_up", "allocation"].contains(slip.kind) && (slip.issuerBooked == nil || slip.receiverBooked == nil) {
            reasons.append("\(slip.kind) slip \(slip.id) (\(slip.amount)) is not booked by \(slip.issuerBooked == nil ? slip.issuer : slip.receiver) yet")
        }
        for slip in slips where ["sweep_up", "allocation"].contains(slip.kind) && (slip.clearedOn == nil || slip.clearedOn! > cutoff) {
            // An explanation is a clerk's free text: it counts once a general-ledger accountant has reviewed it (3/6 item 5).
            let finding = findings.first { $0.subject == slip.id && ($0.status == "explained" || $0.status == "reviewed") }
            switch finding?.status {
            case "reviewed"?: continue
            case "explained"?:
                reasons.append("slip \(slip.id) (\(slip.amount)) is in transit, explained only by free text: a general-ledger accountant "
                               + "must review it (hub review-explanation --finding \(finding!.id))")
            default:
                reasons.append("slip \(slip.id) (\(slip.amount)) is still in transit and not explained")
            }
        }
        // The books must reconcile: intercompany eliminates to 0.00 at every level, internal accounts agree, money is
        // conserved (the last reconciliation's open findings of the month).
        let month = String(first.description.prefix(7))
        for finding in findings where ["elimination", "internal_accounts", "conservation"].contains(finding.check)
            && finding.status == "open" && finding.date.hasPrefix(month) {
            reasons.append("[\(finding.check)] \(finding.message)")
        }
        // No bank account may stand overdrawn at the month's end unless its unit's line covers it (3/6 item 2).
        for account in try store.read({ reader in try reader.orgUnits().flatMap { try reader.accounts(of: $0.code) } })
            where account.kind == .bank && account.status != .closed {
            let balance = try store.read { try $0.bookBalance(account.id, through: cutoff) }
            guard balance < .zero else { continue }
            let room = try store.read { try $0.overdraftRoom(for: account.id, on: cutoff, excludingPayment: nil) }
            if balance.value == .min || -balance.value > room.value {
                reasons.append("bank account \(account.id) of \(account.org) is overdrawn by \(AmountMinorUnits(balance.value == .min ? .max : -balance.value)) at \(cutoff)"
                               + (room.value > 0 ? ", beyond its line's \(room)" : " with no overdraft line covering it"))
            }
        }
        // Level by level (多级对账, 3/6 item 5): every unit with a node has confirmed its books through the month's end;
        // the hub accepted each only after the units below it (ConfirmationCheck), so the province closes last.
        for node in Set(try store.read({ try $0.nodeKeys() }).filter { $0.status == .active }.map(\.org)).filter({ $0 != org })
            .map(\.rawValue).sorted() {
            guard let code = OrgCode(node) else { continue }
            let confirmed = try store.read { try $0.confirmedThrough(code) }
            if confirmed.map({ $0 < cutoff }) ?? true {
                reasons.append("\(node) has not confirmed its books through \(cutoff) (fundsync confirm; last: \(confirmed?.description ?? "never"))")
            }
        }
        // The outcome is kept (the failed-close metric and alert, 8), whichever it is.
        try store.recordCloseAttempt(period: month, atMilliseconds: clock.nowMilliseconds(), passed: reasons.isEmpty, reasonCount: reasons.count)
        guard reasons.isEmpty else { throw CloseRefusal(reasons: reasons) }
        try lockPeriod(through: cutoff)
    }

    /// A general-ledger accountant (总账会计) at the hub reviews a finding's explanation: only a reviewed explanation lets
    /// a close pass an item in transit (3/6 item 5).
    public func reviewExplanation(finding id: String, by staff: String) throws {
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.generalLedgerAccountant], to: "review explanations", in: transaction)
            guard try transaction.markFindingReviewed(id, by: staff) else {
                throw TreasuryError(.wrongState, "finding \(id) has no explanation to review")
            }
        }
    }

    /// Closes the books through `date` without the close's checks: an override (3/6 item 5). It needs a reason and the
    /// fund-centre manager or the deputy general manager; the lock record carries both to every office, and reports of the
    /// period say so.
    public func overrideLock(through date: BusinessDate, reason: String, by staff: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RegistryError(.invalidValue, "an override lock needs a reason (--reason)")
        }
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundCentreManager, .deputyGeneralManager], to: "lock the books by override", in: transaction)
            try writeLock(through: date, overrideReason: reason, overrideBy: staff, in: transaction)
        }
    }
}

extension HubCounterparts {
    /// An explanation from a node marks its finding explained and keeps the text (hub-only storage). The notice itself
    /// shows as explained because the explanation exists.
    func recordExplanation(after change: Change) throws {
        guard change.replicatedTable == .explanation, let notice = change.fields["notice"]?.textValue,
              let text = change.fields["text"]?.textValue else { return }
        try transaction.markFindingExplained(notice: notice, explanation: text)
    }
}
