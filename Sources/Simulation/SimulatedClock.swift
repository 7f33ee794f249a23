import Foundation
import ReplicaStore

/// The simulation's time: one shared instant advanced by the simulator, seen by each office through its own
/// skew (offices' wall clocks disagree; nothing may depend on them agreeing).
final class SimulatedTime: @unchecked Sendable {
    // @unchecked: the simulator runs on one thread; the lock only guards against misuse.
    private let lock = NSLock()
    private var milliseconds: Int64

    init(startMilliseconds: Int64) { milliseconds = startMilliseconds }

    var now: Int64 { lock.withLock { milliseconds } }

    func advance(milliseconds delta: Int64) { lock.withLock { milliseconds += delta } }
}

/// One office's wall clock: the shared time plus a fixed skew.
struct SkewedClock: WallClock {
    let time: SimulatedTime
    let skewMilliseconds: Int64

    func nowMilliseconds() -> Int64 { time.now + skewMilliseconds }
}
