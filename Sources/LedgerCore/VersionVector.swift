/// A version vector: for each origin, the highest counter of that origin this replica has applied.
///
/// At a county node the hub's entry has holes by design (it receives only the hub changes in its scope), so the
/// vector says "highest seen", not "all seen"; completeness per origin is checked separately (`verify`).
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var counters: [OrgCode: Int64]

    public init(_ counters: [OrgCode: Int64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public subscript(origin: OrgCode) -> Int64 { counters[origin] ?? 0 }

    /// Raises the entry for `origin` to at least `counter`.
    public mutating func advance(_ origin: OrgCode, to counter: Int64) {
        if counter > self[origin] { counters[origin] = counter }
    }

    /// True when every entry of `other` is at or below this vector's.
    public func dominates(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { self[$0.key] >= $0.value }
    }

    /// Two vectors are concurrent when neither dominates the other: the only case where a conflict rule runs.
    public func isConcurrent(with other: VersionVector) -> Bool {
        !dominates(other) && !other.dominates(self)
    }

    /// Entries sorted by origin, the canonical order used on the wire.
    public var sortedEntries: [(origin: OrgCode, counter: Int64)] {
        counters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public var description: String {
        "[" + sortedEntries.map { "\($0.origin):\($0.counter)" }.joined(separator: ", ") + "]"
    }
}
