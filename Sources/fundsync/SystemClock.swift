import Foundation
import ReplicaStore

/// The live wall clock. Only the executable uses it; libraries take a `WallClock` so simulations replay exactly.
struct SystemClock: WallClock {
    func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
