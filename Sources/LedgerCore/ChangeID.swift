/// The globally unique identity of a change: the node that wrote it and that node's gap-free counter.
///
/// Counters are `Int64` (not `UInt64`) because they are stored in SQLite, which has no unsigned 64-bit type.
public struct ChangeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var origin: OrgCode
    public var counter: Int64

    public init(origin: OrgCode, counter: Int64) {
        self.origin = origin
        self.counter = counter
    }

    public static func < (lhs: ChangeID, rhs: ChangeID) -> Bool {
        lhs.origin == rhs.origin ? lhs.counter < rhs.counter : lhs.origin < rhs.origin
    }

    /// `origin:counter`, the form used in keys of rejection records and in messages.
    public var description: String { "\(origin.rawValue):\(counter)" }
}
