import Foundation
import HubCore
import Logging

/// The clocks the server reads, injected (STYLE.md R5): only `fundsync` passes the live ones.
public struct HubServerClocks: Sendable {
    /// Milliseconds since 1970 (pull-request times).
    public var nowMilliseconds: @Sendable () -> Int64
    /// A monotonic clock in nanoseconds (apply latency).
    public var uptimeNanoseconds: @Sendable () -> UInt64

    public init(nowMilliseconds: @escaping @Sendable () -> Int64, uptimeNanoseconds: @escaping @Sendable () -> UInt64) {
        self.nowMilliseconds = nowMilliseconds
        self.uptimeNanoseconds = uptimeNanoseconds
    }
}

/// Everything the routes need: the hub, the limits, the metrics, the clocks and the pull authorizer.
public final class HubService: Sendable {
    public let hub: Hub
    public let configuration: HubServerConfiguration
    public let metrics: HubMetrics
    let clocks: HubServerClocks
    let authorizer: PullAuthorizer
    /// Bounds the uploads held and waiting at once.
    let importGate: ImportGate
    /// Applies uploads and seals pulls that arrive together in one transaction.
    let groupCommit: GroupCommit
    /// Each node's budget of uploads (429 past it, for that node only).
    let uploadRate: UploadRateLimiter
    private let uploadSequence = UploadSequence()

    public init(hub: Hub, configuration: HubServerConfiguration, metrics: HubMetrics, clocks: HubServerClocks) {
        self.hub = hub
        self.configuration = configuration
        self.metrics = metrics
        self.clocks = clocks
        self.authorizer = PullAuthorizer(hub: hub, clockSkewMillisecondsMax: configuration.pullClockSkewMillisecondsMax,
                                         nonceCountMax: configuration.pullNonceCountMax,
                                         nonceCountMaxPerKey: configuration.pullNonceCountMaxPerKey,
                                         startedAtMilliseconds: clocks.nowMilliseconds())
        self.importGate = ImportGate(concurrencyMax: configuration.importConcurrencyMax, bytesMax: configuration.importBytesMax,
                                     waitingCountMax: configuration.importWaitingCountMax,
                                     waitingBytesMax: configuration.importWaitingBytesMax)
        let exchange = hub.exchange
        self.groupCommit = GroupCommit(workCountMax: configuration.groupCommitWorkCountMax,
                                       changeCountMax: configuration.groupCommitChangeCountMax,
                                       perform: { work in await BlockingWork.run { exchange.perform(work) } },
                                       committed: { [metrics] count, nanoseconds in metrics.groupCommitted(pieceCount: count, nanoseconds: nanoseconds) })
        self.uploadRate = UploadRateLimiter(uploadsPerMinute: configuration.uploadsPerMinuteMax, burst: configuration.uploadBurstMax)
    }

    /// A number unique within this server's run, to keep the quarantine names of refused uploads apart.
    func nextUploadNumber() -> Int { uploadSequence.next() }
}

private final class UploadSequence: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// Runs blocking work (SQLite reads and writes, fsync) off Swift's cooperative pool, which has one thread per core:
/// a hub applying a batch must not stop the server from accepting the next connection. Imports and pulls run on one
/// queue, the admin listener's reads (`/healthz`, `/v1/status`, `/metrics`) on another, so a long import never delays a
/// health check (SQLite's WAL lets those reads run beside the writer).
enum BlockingWork {
    private static let queue = DispatchQueue(label: "fundsync.hub.store", attributes: .concurrent)
    private static let readQueue = DispatchQueue(label: "fundsync.hub.reads", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Blocking work that cannot fail (it reports its failures in its result).
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// For the reads of health checks, status and metrics.
    static func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
