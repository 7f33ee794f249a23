import Foundation
import ReplicaStore

/// A wall clock set by hand, so runs are deterministic: the tests' clock, and the simulation's shared time (each
/// simulated office sees it through its own skew, `SkewedClock`).
public final class ManualClock: WallClock, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64

    public init(milliseconds: Int64 = 1_793_577_600_000) { now = milliseconds }  // 2026-11-02T00:00:00Z

    public func nowMilliseconds() -> Int64 { lock.withLock { now } }

    public func advance(milliseconds: Int64) { lock.withLock { now += milliseconds } }
}
