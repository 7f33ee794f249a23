import LedgerCore

/// The decision on one received change.
public enum ChangeVerdict: Equatable, Sendable {
    case apply
    /// Rejected for breaking a rule: `code` is a stable name (`LedgerRuleViolation.name`, or the receiver's own such
    /// as `conflicting-record`), `reason` the sentence for people. Both are stored and sent back to the origin.
    case reject(code: String, reason: String)
}

/// Role-specific rules the replica consults while it writes and receives: who may write what (the hub's
/// authority, implemented in `HubCore`), where a local change must go, and whose changes arrive complete.
public protocol ReplicaPolicy {
    /// Decides whether a received change may be applied. Runs inside the receiving transaction.
    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict

    /// Called after a received change was recorded (applied or rejected); may write follow-up changes, such as
    /// the hub's rejection notice to the origin.
    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws

    /// The peers a change written here must be sent to (its scope).
    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode]

    /// True when this replica receives every change `origin` writes, so `origin`'s counters must be gap-free here
    /// and dependencies on it are checked (DESIGN.md §3).
    func receivesEveryChange(of origin: OrgCode) -> Bool
}
