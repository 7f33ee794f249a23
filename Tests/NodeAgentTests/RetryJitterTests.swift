import NodeAgent
import SyncTesting
import Testing

/// Goal: retries are spread, so offices that failed on the same outage do not come back in lockstep, and every wait
/// stays within the configured backoff. Method: draw the jittered delays of 100 offices from seeded generators.
@Suite struct RetryJitterTests {
    @Test func everyWaitIsBetweenHalfAndAllOfTheBackoff() {
        let limits = SyncLimits()
        var random = SeededGenerator(seed: 9)
        for attempt in 1...6 {
            let full = limits.retryDelayMilliseconds(afterAttempt: attempt)
            for _ in 0..<200 {
                let wait = limits.retryDelayMilliseconds(afterAttempt: attempt, jitter: &random)
                #expect(wait >= full / 2 && wait <= full, "attempt \(attempt): \(wait) outside \(full / 2)...\(full)")
            }
        }
    }

    @Test func officesFailingTogetherRetryAtDifferentTimes() {
        let limits = SyncLimits()
        let waits = (1...100).map { office -> Int64 in
            var random = SeededGenerator(seed: UInt64(office))
            return limits.retryDelayMilliseconds(afterAttempt: 3, jitter: &random)
        }
        #expect(Set(waits).count > 50, "100 offices drew only \(Set(waits).count) distinct waits")
        var again = SeededGenerator(seed: 1)
        #expect(limits.retryDelayMilliseconds(afterAttempt: 3, jitter: &again) == waits[0], "a seed replays its wait")
    }

    @Test func tinyAndZeroDelaysStayAsTheyAre() {
        var random = SeededGenerator(seed: 1)
        #expect(SyncLimits.jittered(0, using: &random) == 0)
        #expect(SyncLimits.jittered(1, using: &random) == 1)
    }
}
