import LedgerCore
import ReplicaStore

/// A node's rules: it accepts registry records and decisions from the hub only, sends everything it writes to
/// the hub, and receives every change of no origin but its own.
struct NodePolicy: ReplicaPolicy {
    let node: OrgCode
    let hub: OrgCode

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        guard peer == hub, change.id.origin == hub else {
            return .reject(reason: "only the hub \(hub) may send changes to this node; \(change.id) came from \(peer)")
        }
        guard let table = change.replicatedTable, table.isHubOwned else {
            return .reject(reason: "the hub may not write \(change.table) records of a node")
        }
        return .apply
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {}

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] { [hub] }

    func receivesEveryChange(of origin: OrgCode) -> Bool { origin == node }
}
