/// The posts (岗位) that sign documents, from DOMAIN.md §1 and §4. The order of `rank` is the order of
/// authority used by the approval table: a higher rank may approve whatever a lower one may.
public enum StaffRole: String, Hashable, Sendable, CaseIterable, Comparable {
    /// 出纳: a company cashier (enters bank journal lines, slips and level-1 payments).
    case cashier
    /// 财务经理: a company's finance manager (reviews, local approvals in the lowest tiers).
    case financeManager = "finance_manager"
    /// 公司负责人: the head of a county office or subsidiary (local approvals in the middle tiers).
    case unitHead = "unit_head"
    /// 资金管理员: a fund manager at the fund centre (prepares allocation orders).
    case fundManager = "fund_manager"
    /// 资金中心出纳: a fund-centre cashier (level-2 release of payments up to the cashier limit).
    case fundCentreCashier = "fund_centre_cashier"
    /// 资金中心主管: the fund-centre supervisor (level-3 release above the cashier limit).
    case fundCentreSupervisor = "fund_centre_supervisor"
    /// 资金管理中心经理: the fund-centre manager (approves allocation orders, account requests).
    case fundCentreManager = "fund_centre_manager"
    /// 总账会计: the general-ledger accountant at the fund centre (reviews explanations before a close counts them).
    case generalLedgerAccountant = "general_ledger_accountant"
    /// 分管副总经理: the deputy general manager in charge.
    case deputyGeneralManager = "deputy_general_manager"
    /// 集团董事会: the group board (the highest approval tier).
    case board

    /// Authority for fund approvals; roles that do not approve funds have rank 0.
    public var approvalRank: Int {
        switch self {
        case .cashier, .fundManager, .fundCentreCashier, .fundCentreSupervisor, .generalLedgerAccountant: 0
        case .financeManager: 1
        case .unitHead: 2
        case .fundCentreManager: 3
        case .deputyGeneralManager: 4
        case .board: 5
        }
    }

    /// True for posts held at the fund centre (the hub), false for posts at a county or subsidiary.
    public var isHubRole: Bool {
        switch self {
        case .cashier, .financeManager, .unitHead: false
        default: true
        }
    }

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool { lhs.approvalRank < rhs.approvalRank }
}

/// A person who may sign documents, registered by the hub with the posts they hold at one org unit.
public struct StaffMember: Hashable, Sendable {
    public var id: String
    public var org: OrgCode
    public var name: String
    public var roles: Set<StaffRole>

    public init(id: String, org: OrgCode, name: String, roles: Set<StaffRole>) {
        self.id = id
        self.org = org
        self.name = name
        self.roles = roles
    }

    /// The highest approval rank among the member's roles.
    public var approvalRank: Int { roles.map(\.approvalRank).max() ?? 0 }
}
