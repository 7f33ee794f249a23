import Foundation
import LedgerCore

/// A per-node budget of uploads (issue 2/6 finding 4: per-node rate limits): a token bucket per signer, refilled at
/// `uploadsPerMinute` up to `burst`. A node that uploads faster gets 429 `Too Many Requests` with `Retry-After`, for
/// itself only: every other node's uploads go on.
///
/// The bucket is keyed by the sender whose **signature verified** (`BatchExchange.authenticatedSender`), never by the
/// header's unverified sender field, so nobody can spend another office's budget. A city relaying for its counties
/// uploads each county's batch under that county's signature, so each county keeps its own budget. Buckets live in
/// memory: a restart refills them, which only ever lets a node upload sooner.
final class UploadRateLimiter: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    /// Per node: its budget in nano-uploads-per-minute units (one upload = `unit`), and when it was last refilled.
    private var buckets: [OrgCode: (budget: UInt64, updatedNanoseconds: UInt64)] = [:]
    let uploadsPerMinute: Int
    let burst: Int
    /// One upload in budget units: the budget grows by `uploadsPerMinute` per nanosecond, so integers suffice.
    private let unit: UInt64 = 60_000_000_000

    init(uploadsPerMinute: Int, burst: Int) {
        precondition((1...1_000_000).contains(uploadsPerMinute) && (1...1_000_000).contains(burst), "upload rate limits out of range")
        self.uploadsPerMinute = uploadsPerMinute
        self.burst = burst
    }

    /// Takes one upload from `node`'s budget at `nowNanoseconds` (a monotonic clock).
    /// - Returns: `nil` when the upload may go on; otherwise the whole seconds until the next one may (at least 1).
    func take(_ node: OrgCode, nowNanoseconds: UInt64) -> Int? {
        lock.withLock {
            let capacity = UInt64(burst) * unit
            let rate = UInt64(uploadsPerMinute)
            var bucket = buckets[node] ?? (budget: capacity, updatedNanoseconds: nowNanoseconds)
            // Elapsed time is capped at what refills the whole bucket, so the product cannot overflow.
            let elapsed = min(nowNanoseconds >= bucket.updatedNanoseconds ? nowNanoseconds - bucket.updatedNanoseconds : 0, capacity / rate)
            bucket.budget = min(capacity, bucket.budget + elapsed * rate)
            bucket.updatedNanoseconds = nowNanoseconds
            defer { buckets[node] = bucket }
            guard bucket.budget >= unit else {
                let waitNanoseconds = (unit - bucket.budget + rate - 1) / rate
                return max(1, Int((waitNanoseconds + 999_999_999) / 1_000_000_000))
            }
            bucket.budget -= unit
            return nil
        }
    }
}
