/// The reports of DOMAIN.md §5 the hub produces, for a unit or a level and a date or period.
public enum ReportKind: String, CaseIterable, Sendable {
    /// 在途资金变动表: per branch, in transit at the start, new slips, cleared by bank receipts, at the end.
    case inTransit = "in-transit"
    /// 到款明细表: money received at bank accounts (sweeps arriving, allocations arriving).
    case receipts
    /// 付款明细表: money paid out of bank accounts (sweeps leaving, allocations paid).
    case payments
    /// 账户余额变动表: per account, the previous and current reported balance and the change.
    case balanceChanges = "balance-changes"
    /// 差异报告: the reconciliation findings.
    case differences
    /// 对账差异调节表: per branch, HQ's side and the branch's side of the intercompany balance and the difference.
    case intercompany
    /// 资金划拨情况汇总表: allocation orders of the period.
    case allocations
    /// 资金流转报告: per unit, swept up, allocated down, in transit, bank balances.
    case fundFlow = "fund-flow"
    /// 账户年检情况表: every open bank account with its last annual inspection, the next due date and days overdue.
    case inspections
    /// 预算单位收支汇总表: per budget unit (under its county), the period's expenses and its bank balances at the end.
    case budgetUnits = "budget-units"

    public var title: String {
        switch self {
        case .inTransit: "In-transit change table (在途资金变动表)"
        case .receipts: "Receipts detail (到款明细表)"
        case .payments: "Payment detail (付款明细表)"
        case .balanceChanges: "Account balance change table (账户余额变动表)"
        case .differences: "Difference report (差异报告)"
        case .intercompany: "Intercompany difference adjustment statement (对账差异调节表)"
        case .allocations: "Allocation summary (资金划拨情况汇总表)"
        case .fundFlow: "Fund-flow report (资金流转报告)"
        case .inspections: "Annual inspection of accounts (账户年检情况表)"
        case .budgetUnits: "Budget units: expenses and bank balances (预算单位收支汇总表)"
        }
    }
}
