import Foundation
import ReplicaStore
import SyncTesting

/// One office's wall clock: the shared time plus a fixed skew.
struct SkewedClock: WallClock {
    let time: ManualClock
    let skewMilliseconds: Int64

    func nowMilliseconds() -> Int64 { time.nowMilliseconds() + skewMilliseconds }
}
