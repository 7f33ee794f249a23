/// The mutable documents and their state machines (DESIGN.md §2): each transition names who may make it.
public enum StatefulDocument: String, Hashable, Sendable, CaseIterable {
    /// 特殊资金申请书: submitted → approved/rejected (hub) or withdrawn (node); approved → allocated (hub).
    case application
    /// 银行账户登记表 (open/change/close request): pending → approved/refused (hub) or withdrawn (node).
    case accountRequest = "account_request"
    /// Level-1 payment entry: entered → released/refused (hub) or withdrawn (node); release 2 (7/7): released → paid
    /// (hub: the bank booked it, on its booking date) or returned (hub: the bank refused to pay it).
    case payment

    /// The transitions of this document: `(from, to, byHub)`.
    public var transitions: [(from: String, to: String, byHub: Bool)] {
        switch self {
        case .application:
            [("submitted", "approved", true), ("submitted", "rejected", true), ("submitted", "withdrawn", false),
             ("approved", "allocated", true)]
        case .accountRequest:
            [("pending", "approved", true), ("pending", "refused", true), ("pending", "withdrawn", false)]
        case .payment:
            [("entered", "released", true), ("entered", "refused", true), ("entered", "withdrawn", false), ("released", "returned", true),
             ("released", "paid", true)]
        }
    }

    /// Checks that `from → to` is a transition of this document that the hub (or a node) may make.
    public func check(from: String, to: String, byHub: Bool) throws(LedgerRuleViolation) {
        guard transitions.contains(where: { $0.from == from && $0.to == to && $0.byHub == byHub }) else {
            throw LedgerRuleViolation(.notPermitted(
                "\(byHub ? "the hub" : "a node") may not move a \(rawValue) from \(from) to \(to)"))
        }
    }
}

/// How a replica resolves a transition of a document against the state it has (DESIGN.md §2–3).
///
/// Every document keeps the version vector of the transitions applied to it. An incoming transition names the
/// vector it was based on. If that vector dominates the document's, the transition follows what it saw and
/// applies normally. Otherwise the two are **concurrent** (a county withdrew an application the hub had already
/// approved): the hub's transition wins, and the losing transition is kept and listed as a conflict.
public enum TransitionResolution: Equatable, Sendable {
    /// Sequential: apply it.
    case apply
    /// Concurrent, and the incoming transition wins over the current state (which is recorded as the loser).
    case winsConflict
    /// Concurrent, and the incoming transition loses: the state stays, the transition is recorded as the loser.
    case losesConflict

    /// - Parameters:
    ///   - documentVector: the vector of transitions already applied to the document.
    ///   - basedOn: the vector the incoming transition was written against.
    ///   - incomingByHub: whether the hub wrote the incoming transition.
    ///   - currentByHub: whether the hub wrote the transition that produced the current state.
    public static func resolve(documentVector: VersionVector, basedOn: VersionVector, incomingByHub: Bool,
                               currentByHub: Bool) -> TransitionResolution {
        if basedOn.dominates(documentVector) { return .apply }
        if incomingByHub && !currentByHub { return .winsConflict }
        return .losesConflict
    }
}
