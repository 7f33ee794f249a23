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
        for node in try store.read({ try $0.nodeKeys() }).map(\.org).filter({ $0 != org }).map(\.rawValue).sorted() {
            if let last = syncedAfter[node], last > cutoff.description { continue }
            reasons.append("\(node) has not synced since the cut-off \(cutoff) (last batch \(syncedAfter[node] ?? "never"))")
        }
        for gap in try storage.pendingGaps() { reasons.append("changes of \(gap.peer) wait behind a gap at position \(gap.applied + 1)") }
        for version in try storage.registryVersions() where version.applied < version.current {
            reasons.append("\(version.peer) has not applied registry version \(version.current) (it has \(version.applied))")
        }
        let findings = try storage.findings()
        for slip in try storage.slipSides(through: cutoff.description) where slip.clearedOn == nil || slip.clearedOn! > cutoff {
            let explained = findings.contains { $0.subject == slip.id && $0.status == "explained" }
            if !explained { reasons.append("slip \(slip.id) (\(slip.amount)) is still in transit and not explained") }
        }
        guard reasons.isEmpty else { throw CloseRefusal(reasons: reasons) }
        try lockPeriod(through: cutoff)
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
