import Foundation
import ReplicaStore

/// A wall clock tests set by hand, so runs are deterministic.
public final class ManualClock: WallClock, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64

    public init(milliseconds: Int64 = 1_793_577_600_000) { now = milliseconds }  // 2026-11-02T00:00:00Z

    public func nowMilliseconds() -> Int64 { lock.withLock { now } }

    public func advance(milliseconds: Int64) { lock.withLock { now += milliseconds } }
}

/// A small deterministic generator (SplitMix64) for shuffles and workloads that must replay from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
