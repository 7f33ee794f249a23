/// The limits of one online sync (STYLE.md R8: every loop is bounded, and the bounds have names).
public struct SyncLimits: Hashable, Sendable {
    /// Attempts of one exchange (an upload or a download) before the session gives up. Also bounds how many uploads
    /// may end uncertain in one session.
    public var retryAttemptCountMax: Int
    /// Delay before the first retry; each later retry waits twice as long, up to `retryDelayMillisecondsMax`.
    public var retryDelayMillisecondsInitial: Int64
    /// Longest delay between two attempts.
    public var retryDelayMillisecondsMax: Int64
    /// Batches downloaded in one session; a node further behind finishes in the next session.
    public var downloadBatchCountMax: Int

    /// The defaults: 5 attempts, 250 ms doubling to at most 8 s (≈ 15 s of waiting in all), 1,000 batches.
    public init(retryAttemptCountMax: Int = 5, retryDelayMillisecondsInitial: Int64 = 250, retryDelayMillisecondsMax: Int64 = 8_000,
                downloadBatchCountMax: Int = 1_000) {
        precondition(retryAttemptCountMax >= 1, "retryAttemptCountMax must be at least 1")
        precondition(retryDelayMillisecondsInitial >= 0 && retryDelayMillisecondsInitial <= retryDelayMillisecondsMax,
                     "retry delays must satisfy 0 <= initial <= max")
        precondition(downloadBatchCountMax >= 1, "downloadBatchCountMax must be at least 1")
        self.retryAttemptCountMax = retryAttemptCountMax
        self.retryDelayMillisecondsInitial = retryDelayMillisecondsInitial
        self.retryDelayMillisecondsMax = retryDelayMillisecondsMax
        self.downloadBatchCountMax = downloadBatchCountMax
    }

    /// A delay with jitter: drawn uniformly from half of `milliseconds` to all of it ("equal jitter"), so offices
    /// whose timers fire together, or that failed on the same outage, do not retry in lockstep.
    public static func jittered(_ milliseconds: Int64, using random: inout some RandomNumberGenerator) -> Int64 {
        guard milliseconds > 1 else { return max(milliseconds, 0) }
        let half = milliseconds / 2
        return half + Int64.random(in: 0...(milliseconds - half), using: &random)
    }

    /// `retryDelayMilliseconds(afterAttempt:)` with jitter (`jittered`).
    public func retryDelayMilliseconds(afterAttempt attempt: Int, jitter random: inout some RandomNumberGenerator) -> Int64 {
        Self.jittered(retryDelayMilliseconds(afterAttempt: attempt), using: &random)
    }

    /// The delay before attempt `attempt + 1` after `attempt` failed attempts (1-based): exponential, capped.
    public func retryDelayMilliseconds(afterAttempt attempt: Int) -> Int64 {
        precondition(attempt >= 1, "attempt is 1-based")
        var delay = retryDelayMillisecondsInitial
        for _ in 1..<min(attempt, 62) where delay < retryDelayMillisecondsMax { delay *= 2 }
        return min(delay, retryDelayMillisecondsMax)
    }
}

/// A random number generator chosen at run time (the system's, or a seeded one in tests), for the retry jitter.
public struct AnyRandomNumberGenerator: RandomNumberGenerator {
    var base: any RandomNumberGenerator

    public init(_ base: any RandomNumberGenerator) { self.base = base }

    public mutating func next() -> UInt64 { base.next() }
}

/// How a sync session ended, and what it moved.
public struct SyncReport: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// Everything was pushed and the hub had nothing more to send.
        case complete
        /// An upload got no answer after it was sent: the hub may or may not have applied it. Nothing is lost either
        /// way — the batch stays in the outbox until the hub acknowledges it — so the next sync settles it.
        case uncertain
        /// The download limit of one session was reached; the next sync continues where this one stopped.
        case incomplete
        /// The hub could not be reached or kept failing after `retryAttemptCountMax` attempts.
        case failed(String)
        /// The hub refused a request, or this node refused what the hub sent; retrying the same bytes cannot help.
        case refused(reason: String, message: String)
    }

    public var outcome: Outcome = .complete
    /// Batches the hub accepted and applied.
    public var uploadedBatchCount = 0
    /// Changes in those batches.
    public var uploadedChangeCount = 0
    /// Uploads the hub had already applied (a retry or a replay; a no-op).
    public var alreadyAppliedUploadCount = 0
    /// Uploads whose outcome is unknown (no answer after the body was sent).
    public var uncertainUploadCount = 0
    /// Batches received from the hub and applied (or recognised as already applied).
    public var downloadedBatchCount = 0
    /// Changes this node applied from those batches.
    public var appliedChangeCount = 0
    /// Attempts that failed and were tried again.
    public var retryCount = 0

    public init() {}

    /// One line for people.
    public var summary: String {
        let moved = "pushed \(uploadedBatchCount) batch(es) (\(uploadedChangeCount) change(s), \(alreadyAppliedUploadCount) already applied), "
            + "pulled \(downloadedBatchCount) batch(es) (\(appliedChangeCount) change(s) applied), \(retryCount) retry(ies)"
        switch outcome {
        case .complete: return "sync complete: \(moved)"
        case .uncertain:
            return "uncertain: the next sync settles it by acknowledgement (\(uncertainUploadCount) upload(s) got no answer); \(moved)"
        case .incomplete: return "sync stopped after the download limit; run it again to continue: \(moved)"
        case .failed(let message): return "sync failed: \(message); \(moved)"
        case .refused(let reason, let message): return "sync refused (\(reason)): \(message); \(moved)"
        }
    }
}

/// What happened when the node imported a batch the hub sent.
public enum SyncImportResult: Hashable, Sendable {
    /// Applied (`changeCount` changes new to this node; 0 for a batch that only carried an acknowledgement).
    case applied(changeCount: Int)
    /// Nothing new: a replay.
    case alreadyApplied
    /// Refused and quarantined by this node (altered in transit, wrong recipient …): `reason` is the stable name.
    case refused(reason: String, message: String)
}

/// The online sync loop of a node as a sans-IO state machine (STYLE.md R6): each event returns the next `Action`,
/// which a thin driver (`SyncSession.run`) performs. No sockets, no disk and no clock here, so every path —
/// retries, uncertain uploads, refusals, limits — is tested with plain values.
///
/// The loop: seal the outbox and upload each batch; then download the next batch and import it; after every import
/// seal again (the import produced an acknowledgement to send, and perhaps the hub's acknowledgement trimmed the
/// outbox) and upload; stop when the hub answers that it has nothing to send. Every step is idempotent by stream
/// positions, so a session cut at any point resumes correctly in the next one.
///
/// ```swift
/// var machine = SyncSessionStateMachine(limits: SyncLimits())
/// var action = machine.start()           // .sealOutbox
/// action = machine.outboxSealed(batches) // .upload(batches[0]) or .download
/// ```
public struct SyncSessionStateMachine: Sendable {
    public enum Action: Hashable, Sendable {
        /// Seal the node's outbox (`Node.sealedBatches()`) and report it with `outboxSealed(_:)`.
        case sealOutbox
        /// Upload these bytes; report with `uploadSucceeded(_:)` or `uploadFailed(_:)`.
        case upload([UInt8])
        /// Ask the hub for the next batch; report with `downloadSucceeded(_:)` or `downloadFailed(_:)`.
        case download
        /// Import these bytes at the node; report with `importFinished(_:)`.
        case importBatch([UInt8])
        /// Wait, then report `retryDelayElapsed()`.
        case wait(milliseconds: Int64)
        /// The session is over.
        case finish(SyncReport)
    }

    enum State: Hashable, Sendable {
        case idle
        case sealing
        case uploading(index: Int)
        case downloading
        case importing
        case waitingToRetry(Retry)
        case finished
    }

    enum Retry: Hashable, Sendable {
        case upload(index: Int)
        case download
    }

    public let limits: SyncLimits
    var state: State = .idle
    var outbox: [[UInt8]] = []
    /// Failed attempts of the current exchange.
    var failedAttemptCount = 0
    /// An upload ended uncertain and nothing has settled it yet (a later re-seal and upload settles it).
    var hasUnsettledUpload = false
    var report = SyncReport()

    public init(limits: SyncLimits) {
        self.limits = limits
    }

    /// What the session has done so far.
    public var progress: SyncReport { report }

    /// Starts the session.
    /// - precondition: called once, first.
    public mutating func start() -> Action {
        precondition(state == .idle, "start() called twice")
        state = .sealing
        return .sealOutbox
    }

    /// The node's outbox, sealed: the batches to upload (empty when there is nothing to send).
    public mutating func outboxSealed(_ batches: [[UInt8]]) -> Action {
        precondition(state == .sealing, "outboxSealed in state \(state)")
        // Sealing re-sends everything the hub has not acknowledged, so an earlier uncertain upload is either
        // acknowledged by now (gone from the outbox) or in these batches again.
        hasUnsettledUpload = false
        outbox = batches
        return uploadOrDownload(index: 0)
    }

    /// The hub accepted the upload requested by the last `.upload` action.
    public mutating func uploadSucceeded(_ answer: UploadAnswer) -> Action {
        guard case .uploading(let index) = state else { preconditionFailure("uploadSucceeded in state \(state)") }
        failedAttemptCount = 0
        switch answer {
        case .applied(let changeCount):
            report.uploadedBatchCount += 1
            report.uploadedChangeCount += changeCount
        case .alreadyApplied:
            report.alreadyAppliedUploadCount += 1
        }
        return uploadOrDownload(index: index + 1)
    }

    /// The upload requested by the last `.upload` action failed.
    public mutating func uploadFailed(_ error: HubTransportError) -> Action {
        guard case .uploading(let index) = state else { preconditionFailure("uploadFailed in state \(state)") }
        switch error.code {
        case .refused(_, let reason):
            return finish(.refused(reason: reason, message: error.message))
        case .uncertain:
            // Re-sending now would race the hub's own apply of the same bytes. Instead ask the hub what it has:
            // its next batch acknowledges what it applied, and the re-seal after that import re-sends the rest.
            report.uncertainUploadCount += 1
            hasUnsettledUpload = true
            failedAttemptCount = 0
            guard report.uncertainUploadCount < limits.retryAttemptCountMax else { return finish(.uncertain) }
            state = .downloading
            return .download
        case .unreachable, .serverFailure:
            return retry(.upload(index: index), after: error)
        }
    }

    /// The hub answered the download: the next batch, or `nil` when it has nothing to send.
    public mutating func downloadSucceeded(_ batch: [UInt8]?) -> Action {
        precondition(state == .downloading, "downloadSucceeded in state \(state)")
        guard let batch else {
            failedAttemptCount = 0
            return finish(hasUnsettledUpload ? .uncertain : .complete)
        }
        state = .importing
        return .importBatch(batch)
    }

    /// The download failed.
    public mutating func downloadFailed(_ error: HubTransportError) -> Action {
        precondition(state == .downloading, "downloadFailed in state \(state)")
        if case .refused(_, let reason) = error.code { return finish(.refused(reason: reason, message: error.message)) }
        // A download changes nothing the node cannot get again, so an uncertain one is simply retried.
        return retry(.download, after: error)
    }

    /// The node imported the downloaded batch.
    public mutating func importFinished(_ result: SyncImportResult) -> Action {
        precondition(state == .importing, "importFinished in state \(state)")
        switch result {
        case .applied(let changeCount):
            failedAttemptCount = 0
            report.downloadedBatchCount += 1
            report.appliedChangeCount += changeCount
        case .alreadyApplied:
            failedAttemptCount = 0
            report.downloadedBatchCount += 1
        case .refused(let reason, let message):
            // Altered on the way (or not for us): the node quarantined it. The hub still has the changes, so asking
            // again may bring intact bytes — a bounded number of times.
            state = .downloading
            return retry(.download, after: HubTransportError(.refused(status: 0, reason: reason), message: message))
        }
        guard report.downloadedBatchCount < limits.downloadBatchCountMax else { return finish(.incomplete) }
        state = .sealing
        return .sealOutbox
    }

    /// The node itself failed (its disk, its database): the session stops; nothing half-done is left behind because
    /// every step at the node is one transaction.
    public mutating func failedLocally(_ message: String) -> Action {
        precondition(state != .finished, "failedLocally after the session finished")
        return finish(.failed(message))
    }

    /// The delay of a `.wait` action has passed.
    public mutating func retryDelayElapsed() -> Action {
        guard case .waitingToRetry(let retry) = state else { preconditionFailure("retryDelayElapsed in state \(state)") }
        switch retry {
        case .upload(let index):
            state = .uploading(index: index)
            return .upload(outbox[index])
        case .download:
            state = .downloading
            return .download
        }
    }

    private mutating func uploadOrDownload(index: Int) -> Action {
        if index < outbox.count {
            state = .uploading(index: index)
            return .upload(outbox[index])
        }
        outbox = []
        state = .downloading
        return .download
    }

    private mutating func retry(_ retry: Retry, after error: HubTransportError) -> Action {
        failedAttemptCount += 1
        guard failedAttemptCount < limits.retryAttemptCountMax else {
            if case .refused(_, let reason) = error.code { return finish(.refused(reason: reason, message: error.message)) }
            return finish(.failed("\(error) (gave up after \(failedAttemptCount) attempts)"))
        }
        report.retryCount += 1
        state = .waitingToRetry(retry)
        return .wait(milliseconds: limits.retryDelayMilliseconds(afterAttempt: failedAttemptCount))
    }

    private mutating func finish(_ outcome: SyncReport.Outcome) -> Action {
        report.outcome = outcome
        state = .finished
        outbox = []
        return .finish(report)
    }
}
