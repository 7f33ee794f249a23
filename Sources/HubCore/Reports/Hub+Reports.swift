import Foundation
import LedgerCore
import ReplicaStore
import ReportWriters

extension Hub {
    /// Builds a report for `from…through`, for the units in `org`'s subtree (all units when `nil`).
    public func report(_ kind: ReportKind, from: BusinessDate, through: BusinessDate, org: OrgCode?) throws -> Report {
        let builder = try ReportBuilder(hub: self, from: from, through: through, org: org)
        let table: ReportTable
        switch kind {
        case .inTransit: table = try builder.inTransit()
        case .receipts: table = try builder.bankJournal(direction: "receipt", title: kind.title)
        case .payments: table = try builder.bankJournal(direction: "payment", title: kind.title)
        case .balanceChanges: table = try builder.balanceChanges()
        case .differences: table = try builder.differences()
        case .intercompany: table = try builder.intercompany()
        case .allocations: table = try builder.allocations()
        case .fundFlow: table = try builder.fundFlow()
        case .inspections: table = try builder.inspections()
        case .budgetUnits: table = try builder.budgetUnits()
        }
        var titled = table
        titled.title = kind.title
        return Report(title: kind.title, tables: [titled])
    }
}

/// Builds the report tables from the hub's rows. Money cells are exact minor units with scale 2.
struct ReportBuilder {
    let hub: Hub
    let from: BusinessDate
    let through: BusinessDate
    let units: Set<String>
    let parameters: [ReportTable.Parameter]

    init(hub: Hub, from: BusinessDate, through: BusinessDate, org: OrgCode?) throws {
        self.hub = hub
        self.from = from
        self.through = through
        let context = try ReconciliationContext(hub: hub, from: from, through: through)
        units = Set((org.map { context.subtree(of: $0) } ?? Array(context.orgs.keys)).map(\.rawValue))
        var parameters: [ReportTable.Parameter] = [.init(name: "Unit", value: org.map { "\($0) (\(context.level(of: $0)))" } ?? "all (province)"),
                                                  .init(name: "Period", value: "\(from) – \(through)")]
        // A period closed by override, not by a close that passed its checks, says so in every report of it (3/6 item 5).
        if let lock = try hub.store.documents(.periodLock).first, let reason = lock["override_reason"],
           let lockedThrough = lock["locked_through"], lockedThrough >= from.description {
            parameters.append(.init(name: "Closed by override", value: "through \(lockedThrough) by \(lock["override_by"] ?? "?"): \(reason)"))
        }
        self.parameters = parameters
    }

    static func money(_ fen: Int64?) -> ReportTable.Cell { fen.map { .money(minorUnits: $0, scale: 2) } ?? .empty }
    static func text(_ value: FieldValue?) -> ReportTable.Cell { value?.textValue.map { .text($0) } ?? .empty }
    static func date(_ value: FieldValue?) -> ReportTable.Cell { value?.textValue.map { .date($0) } ?? .empty }

    func table(_ columns: [(String, ReportTable.Cell.Kind)], _ rows: [[ReportTable.Cell]], totals: [ReportTable.Cell]? = nil) -> ReportTable {
        ReportTable(title: "", parameters: parameters, columns: columns.map { .init(name: $0.0, kind: $0.1) }, rows: rows, totals: totals)
    }

    func moneyTotal(_ rows: [[ReportTable.Cell]], column: Int) -> Int64 {
        rows.reduce(0) { sum, row in if case .money(let value, _) = row[column] { sum + value } else { sum } }
    }
}
