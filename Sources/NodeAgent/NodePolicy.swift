import LedgerCore
import ReplicaStore

/// A node's rules: it accepts changes from the hub only (the authority), sends everything it writes to the hub,
/// receives every change of no origin but its own, and books its side of the hub's documents (单据协同).
struct NodePolicy: ReplicaPolicy {
    let node: OrgCode
    let hub: OrgCode
    /// The release the node runs as (``Node/release``).
    var release: Int = FundSyncRelease.number

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        guard peer == hub, change.id.origin == hub else {
            return .reject(code: "not-from-hub", reason: "only the hub \(hub) may send changes to this node; \(change.id) came from \(peer)")
        }
        guard change.replicatedTable != nil else {
            return .reject(code: "unknown-table", reason: "this build does not know table \(change.table); update FundSync at this office")
        }
        // A node run as an older release (the simulation's compatibility writer) refuses what that release refused, so
        // a hub that sent it such a change, instead of holding it (PROTOCOL.md §11.4), is caught.
        let needed = ReleaseCapabilities.releaseNeeded(for: change)
        if needed > release {
            let code = ReleaseCapabilities.release1Tables.contains(change.replicatedTable!) ? "not-permitted" : "unknown-table"
            return .reject(code: code, reason: "release \(release) cannot represent \(change.table) \(change.key) (it needs release \(needed))")
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
