import LedgerCore

/// Which origins a verified batch may carry on its link (PROTOCOL.md §7, step "origins"; §8.7).
///
/// The rule is checked after the signature and payload are verified and **before** any change is classified, so a
/// batch that breaks it is refused whole and uses up nothing: no counter, vector entry or stream position of any
/// office moves. Without it, a county could re-sign another county's next changes and the hub would record those
/// counters as used, so the genuine changes would later count as duplicates (issue 2/6, finding 1).
public enum BatchOriginRule: Sendable {
    /// Every change's origin must be the batch's sender. The hub receives this way: a node's batch carries only
    /// that node's changes. A city relaying for its counties forwards each county's own signed file byte for byte,
    /// so the rule holds for it too; the uploader is never the authority, the signature is.
    case senderOnly
    /// The sender may forward changes of other origins. A node receives this way from the hub, its only peer,
    /// which forwards other offices' changes inside its stream (a county's vouchers to its city's review replica).
    case anyOrigin

    /// Throws `originNotAuthorised` for the first change whose origin may not travel on this link.
    public func check(_ header: BatchHeader, _ changes: [DecodedChange]) throws(BatchDecodingError) {
        guard self == .senderOnly else { return }
        for (index, decoded) in changes.enumerated() where decoded.change.id.origin != header.sender {
            throw BatchDecodingError(.originNotAuthorised(origin: decoded.change.id.origin.rawValue, sender: header.sender.rawValue,
                                                          changeIndex: index))
        }
    }
}
