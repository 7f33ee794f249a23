/// What an office of a given release can read and represent, so that a hub writes for each of its nodes only what
/// that node's release understands (PROTOCOL.md §11.2–§11.4) and holds the rest for it, never dropping it.
///
/// A change a release cannot represent is one its receiver would refuse or set aside for good: a row of a table the
/// release does not know (release 1 rejects it as `unknown-table`), a transition to a state it does not know (its
/// applier rejects it), or a slip of a kind it stores without booking (a slip is booked only when it arrives, so one
/// stored by release 1 would never be booked after the upgrade). Optional fields an older release ignores and values
/// it stores without reading (§11.1) are not in this list: such a change is sent at once.
public struct ReleaseCapabilities: Sendable, Equatable {
    /// The release described.
    public let release: Int

    /// Batch format versions (header byte 8) the release reads. A hub never writes a node a format outside it.
    public var formatVersions: Set<UInt8> { [1, 2] }

    /// The capabilities of `release`. Releases below 1 are read as 1 (a node that never announced one is release 1).
    public init(release: Int) {
        self.release = max(1, release)
    }

    /// The replicated tables release 1 knows (PROTOCOL.md §6, release 1).
    public static let release1Tables: Set<ReplicatedTable> = [
        .orgUnit, .account, .nodeKey, .staff, .approvalRule, .sweepPlan, .rate, .parameter, .periodLock, .rejection, .voucher,
        .bankJournal, .balanceReport, .slip, .forecast, .application, .accountRequest, .payment, .allocation, .transition,
        .differenceNotice, .explanation, .audit,
    ]

    /// Slip kinds a release-1 node stores without booking, which release 2 books or decides at the node (§6.14):
    /// the contract slips, a shared cost's proposal and a transfer paid from the branch's account.
    public static let release2SlipKinds: Set<String> = [
        "deposit_placed", "deposit_returned", "loan_drawn", "loan_repaid", "cost_allocation", "transfer_out",
    ]

    /// Payment states a release-1 node does not know (§6.18): the bank's booking and the bank's return.
    public static let release2PaymentStates: Set<String> = ["paid", "returned"]

    /// The oldest release that can represent `change` as the hub wrote it; 1 for everything release 1 reads.
    /// A table this build does not know at all needs a release newer than this one.
    public static func releaseNeeded(for change: Change) -> Int {
        guard let table = change.replicatedTable else { return FundSyncRelease.number + 1 }
        guard release1Tables.contains(table) else { return 2 }
        switch table {
        case .slip:
            if let kind = change.fields["kind"]?.textValue, release2SlipKinds.contains(kind) { return 2 }
        case .transition:
            if change.fields["doc_table"]?.textValue == ReplicatedTable.payment.rawValue,
               let state = change.fields["to_state"]?.textValue, release2PaymentStates.contains(state) { return 2 }
        default:
            break
        }
        return 1
    }

    /// True when an office of this release can represent `change`.
    public func represents(_ change: Change) -> Bool {
        Self.releaseNeeded(for: change) <= release
    }
}
