import LedgerCore
import ReplicaStore

/// A node's rules: it accepts changes from the hub only (the authority), sends everything it writes to the hub,
/// receives every change of no origin but its own, and books its side of the hub's documents (单据协同).
struct NodePolicy: ReplicaPolicy {
    let node: OrgCode
    let hub: OrgCode

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        guard peer == hub, change.id.origin == hub else {
            return .reject(code: "not-from-hub", reason: "only the hub \(hub) may send changes to this node; \(change.id) came from \(peer)")
        }
        guard change.replicatedTable != nil else {
            return .reject(code: "unknown-table", reason: "this build does not know table \(change.table); update FundSync at this office")
        }
        return .apply
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {
        guard verdict == .apply else { return }
        try NodeCounterparts(node: node, transaction: transaction).book(after: change)
    }

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] { [hub] }

    func receivesEveryChange(of origin: OrgCode) -> Bool { origin == node }
}
