import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// The office a console serves: the hub (the fund centre sees the province) or a county's node (its clerks, and its
/// budget units' users, see their own units). Everything a page shows comes from the office's own replica, so a
/// node's console works while the line to the hub is down.
public enum ConsoleOffice: Sendable {
    case hub(Hub)
    case node(Node)

    public var store: ReplicaStore {
        switch self {
        case .hub(let hub): hub.store
        case .node(let node): node.store
        }
    }

    public var org: OrgCode { store.org }

    var isHub: Bool { if case .hub = self { true } else { false } }

    func policy() throws -> any ReplicaPolicy {
        switch self {
        case .hub(let hub): hub.replicaPolicy
        case .node(let node): try node.replicaPolicy
        }
    }

    /// The units a person of `staff.org` may see here: the whole province at the hub; at a node, the node's unit and
    /// its budget units for the node's own staff, and only their own unit for a budget unit's user.
    func visibleUnits(for staff: StaffMember) throws -> [OrgUnit] {
        let units = try store.read { try $0.orgUnits() }
        switch self {
        case .hub: return units
        case .node(let node):
            if staff.org == node.org { return units.filter { $0.code == node.org || ($0.level == .budgetUnit && $0.parent == node.org) } }
            return units.filter { $0.code == staff.org }
        }
    }

    /// Whether `staff` works here: at the hub, the fund centre's staff; at a node, its own and its budget units'.
    func employs(_ staff: StaffMember) throws -> Bool {
        if staff.org == org { return true }
        guard case .node = self, let unit = try store.read({ try $0.orgUnit(staff.org) }) else { return false }
        return unit.level == .budgetUnit && unit.parent == org
    }

    /// Writes the console's audit entry (logins, refusals) in a transaction of its own.
    func audit(actor: String, action: String, detail: String) throws {
        try store.audit(actor: actor, action: action, detail: detail, policy: try policy())
    }
}
