import Foundation
import LedgerCore
import ReplicaStore

/// What one reconciliation run found and did.
public struct ReconciliationReport: Codable, Sendable {
    public var from: String
    public var through: String
    public var incremental: Bool
    /// (org, date) cells whose ledger aggregates were rebuilt.
    public var cellsRebuilt: Int
    public var findings: [StoredFinding]
}

/// Multi-level reconciliation at the hub (DESIGN.md §5): every check per org unit and business day over a period,
/// rolled up county → city → province.
///
/// The ledger side is read from daily per-account aggregates that are rebuilt incrementally: a run rebuilds only
/// the (org, date) cells that batches changed since the last run (or all of them with `incremental: false`), then
/// evaluates the checks over aggregates — so a day's batch never forces a pass over every voucher.
public struct Reconciler {
    let hub: Hub

    public init(hub: Hub) { self.hub = hub }

    /// Runs every check for `from…through` and stores the findings (keeping explanations of findings that remain).
    public func run(from: BusinessDate, through: BusinessDate, incremental: Bool) throws -> ReconciliationReport {
        let cells = try hub.storage.rebuildAccountDays(full: !incremental)
        // Journal lines entered after a statement came in (at the hub or at the county that imported it) match now.
        try hub.storage.rematchStatementEntries(windowDays: Hub.statementMatchWindowDays)
        let context = try ReconciliationContext(hub: hub, from: from, through: through)
        var findings: [StoredFinding] = []
        findings += try context.trialBalance()
        findings += try context.dailyComparison()
        findings += try context.slipPairing()
        findings += try context.internalAccounts()
        findings += try context.elimination()
        findings += try context.completeness()
        findings += try context.conservation()
        findings += try context.statements()
        try hub.storage.storeFindings(findings, from: from.description, through: through.description)
        let stored = try hub.storage.findings().filter { $0.date >= from.description && $0.date <= through.description }
        return ReconciliationReport(from: from.description, through: through.description, incremental: incremental,
                                    cellsRebuilt: cells.count, findings: stored)
    }
}
