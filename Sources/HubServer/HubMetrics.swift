import Foundation
import Prometheus
import ReplicaStore

/// The hub's metrics, in a Prometheus registry of its own (so tests and several servers in one process never share
/// counters), exposed at `/metrics`.
///
/// Names follow Prometheus conventions, units last (`_seconds`, `_total`). Every family is made here, through the
/// registry directly, with its `# HELP` text (``help``): swift-prometheus requires one help text per family, so no
/// family may also be made elsewhere without it.
public final class HubMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    /// The `# HELP` text of every family the hub exports, by name: what a person reading a dashboard needs to know.
    public static let help: [String: String] = [
        "fundsync_build_info": "The build of this hub: version and git commit as labels, value 1.",
        "fundsync_hub_batches_received_total": "Batch uploads that reached the hub whole, whatever came of them.",
        "fundsync_hub_batches_applied_total": "Uploads verified and applied.",
        "fundsync_hub_batches_already_applied_total": "Uploads that brought nothing new (replays, retries).",
        "fundsync_hub_batches_refused_total": "Uploads refused and quarantined, by reason.",
        "fundsync_hub_changes_received_total": "Changes carried by verified uploads.",
        "fundsync_hub_changes_applied_total": "Changes applied.",
        "fundsync_hub_changes_rejected_total": "Changes the hub's validation rejected (each rejection travels back to its origin).",
        "fundsync_hub_batches_sent_total": "Batches served to nodes by GET .../batches/next.",
        "fundsync_hub_apply_duration_seconds": "Time to verify and apply one upload.",
        "fundsync_hub_group_commits_total": "Transactions of the group commit.",
        "fundsync_hub_group_commit_pieces_total": "Uploads and pulls carried by group commits.",
        "fundsync_hub_group_commit_duration_seconds": "Time to apply and commit one group.",
        "fundsync_hub_open_duration_seconds": "Time to open (verify, decrypt, decode) one upload.",
        "fundsync_hub_slow_connections_closed_total": "Connections closed because the client was too slow, by cause.",
        "fundsync_hub_uploads_busy_total": "Uploads answered 503 busy because the import queue was full.",
        "fundsync_hub_uploads_rate_limited_total": "Uploads answered 429 because their node went past its upload budget.",
        "fundsync_hub_node_lag_changes": "Changes the hub holds for a node that the node has not acknowledged yet.",
        "fundsync_hub_node_registry_lag_versions": "Registry versions a node is behind the hub.",
        "fundsync_hub_security_alerts_open": "Open security alerts on a node's link (cleared by an operator's signed acknowledgement).",
        "fundsync_hub_link_failed_attempts": "Failed attempts to apply a verified batch of a node's link, since its last success.",
        "fundsync_stream_blocked": "1 when a node's stream is blocked (a verified batch cannot be applied for 5 attempts and an hour), else 0.",
        "fundsync_http_requests_total": "HTTP requests answered, by listener, route pattern, method and status.",
        "fundsync_http_request_duration_seconds": "Time to answer an HTTP request, by listener and route pattern.",
        "fundsync_hub_node_last_exchange_age_seconds": "Seconds since the hub last received a batch from a node (a node never heard from is absent).",
        "fundsync_hub_node_pending_changes": "Changes received from a node that wait at the hub for what they depend on.",
        "fundsync_hub_node_release": "The FundSync release a node runs, as the hub knows it (1 until it announces one, unless enrolled as another).",
        "fundsync_hub_node_held_changes": "Changes the hub holds for a node one release behind until it upgrades (never dropped).",
        "fundsync_hub_quarantined_files": "Batch files set aside in the hub's quarantine, for a person to look at.",
        "fundsync_hub_funds_in_transit_fen": "Funds in transit (slips issued and not yet cleared by their bank receipt), in fen, by age in days.",
        "fundsync_hub_funds_in_transit_slips": "Slips in transit, by age in days.",
        "fundsync_hub_reconciliation_findings_open": "Reconciliation findings not yet explained, by check.",
        "process_cpu_seconds_total": "User and system CPU time of the hub process, in seconds.",
        "process_resident_memory_bytes": "Resident memory of the hub process, in bytes.",
        "process_open_fds": "Open file descriptors of the hub process.",
        "process_start_time_seconds": "Start time of the hub process, in seconds since the epoch.",
        "fundsync_hub_period_close_failed": "1 when the last attempt to close a month (hub close) was refused, 0 when it passed.",
        "fundsync_hub_period_close_reasons": "Reasons that refused the last attempt to close a month (0 when it passed).",
        "fundsync_hub_bank_instructions": "Instructions to the banks by state (queued, sending, sent, accepted, settled, rejected).",
        "fundsync_hub_bank_instruction_unconfirmed_oldest_seconds": "Age of the oldest instruction handed to a bank and not yet booked or rejected.",
    ]

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
    ]

    let batchesReceived: Prometheus.Counter
    let batchesApplied: Prometheus.Counter
    let batchesAlreadyApplied: Prometheus.Counter
    let changesReceived: Prometheus.Counter
    let changesApplied: Prometheus.Counter
    let changesRejected: Prometheus.Counter
    let batchesSent: Prometheus.Counter
    let applyDuration: DurationHistogram
    let groupCommits: Prometheus.Counter
    let groupCommitPieces: Prometheus.Counter
    let groupCommitDuration: DurationHistogram
    let openDuration: DurationHistogram
    /// CPU seconds already added to `process_cpu_seconds_total`.
    let cpuSecondsCounted = LockedValue<Double>(0)

    /// - Parameters:
    ///   - version: the release, for `fundsync_build_info`; `commit` the git commit it was built from.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "unknown", commit: String = "unknown") {
        self.registry = registry
        func counter(_ name: String) -> Prometheus.Counter { registry.makeCounter(name: name, help: Self.help[name] ?? "") }
        func histogram(_ name: String) -> DurationHistogram {
            registry.makeDurationHistogram(name: name, buckets: Self.durationBuckets, help: Self.help[name] ?? "")
        }
        batchesReceived = counter("fundsync_hub_batches_received_total")
        batchesApplied = counter("fundsync_hub_batches_applied_total")
        batchesAlreadyApplied = counter("fundsync_hub_batches_already_applied_total")
        changesReceived = counter("fundsync_hub_changes_received_total")
        changesApplied = counter("fundsync_hub_changes_applied_total")
        changesRejected = counter("fundsync_hub_changes_rejected_total")
        batchesSent = counter("fundsync_hub_batches_sent_total")
        applyDuration = histogram("fundsync_hub_apply_duration_seconds")
        groupCommits = counter("fundsync_hub_group_commits_total")
        groupCommitPieces = counter("fundsync_hub_group_commit_pieces_total")
        groupCommitDuration = histogram("fundsync_hub_group_commit_duration_seconds")
        openDuration = histogram("fundsync_hub_open_duration_seconds")
        gauge("fundsync_build_info", [("version", version), ("commit", commit)]).set(Int64(1))
    }

    func counter(_ name: String, _ labels: [(String, String)]) -> Prometheus.Counter {
        registry.makeCounter(name: name, labels: labels, help: Self.help[name] ?? "")
    }

    func gauge(_ name: String, _ labels: [(String, String)]) -> Prometheus.Gauge {
        registry.makeGauge(name: name, labels: labels, help: Self.help[name] ?? "")
    }

    /// Counts one transaction of the group commit carrying `pieceCount` uploads and pulls.
    func groupCommitted(pieceCount: Int, nanoseconds: Int64) {
        groupCommits.increment()
        groupCommitDuration.recordNanoseconds(nanoseconds)
        groupCommitPieces.increment(by: Int64(pieceCount))
    }

    /// Counts a refused upload under its reason (`bad-signature`, `truncated`, …).
    func batchRefused(reason: String) {
        counter("fundsync_hub_batches_refused_total", [("reason", reason)]).increment()
    }

    /// Counts a connection closed because its client was too slow (`slow-header`, `slow-body`, `body-too-long`).
    func slowClientClosed(cause: String) {
        counter("fundsync_hub_slow_connections_closed_total", [("cause", cause)]).increment()
    }

    /// Counts an upload answered 503 `busy` because the import gate's queue was full.
    func uploadBusy() {
        registry.makeCounter(name: "fundsync_hub_uploads_busy_total", help: Self.help["fundsync_hub_uploads_busy_total"] ?? "").increment()
    }

    /// Counts an upload refused because its node went past its upload budget (429).
    func uploadRateLimited() {
        registry.makeCounter(name: "fundsync_hub_uploads_rate_limited_total", help: Self.help["fundsync_hub_uploads_rate_limited_total"] ?? "").increment()
    }

    /// Sets a node's lag: changes the hub holds for it that it has not acknowledged yet.
    func setNodeLag(node: String, changeCount: Int) {
        gauge("fundsync_hub_node_lag_changes", [("node", node)]).set(Int64(changeCount))
    }

    /// Sets how many registry versions a node is behind (current minus what it reported applying).
    /// The release a node runs as the hub knows it, and the changes held for it until it upgrades (issue 10).
    func setNodeRelease(node: String, release: Int, heldChanges: Int) {
        gauge("fundsync_hub_node_release", [("node", node)]).set(Int64(release))
        gauge("fundsync_hub_node_held_changes", [("node", node)]).set(Int64(heldChanges))
    }

    func setNodeRegistryLag(node: String, versionCount: Int64) {
        gauge("fundsync_hub_node_registry_lag_versions", [("node", node)]).set(versionCount)
    }

    /// Sets the link-health gauges of every link the hub knows: open security alerts, failed apply attempts, and 1 for
    /// a blocked stream (0 otherwise), so a dashboard can alert on `fundsync_stream_blocked == 1`.
    func setLinkHealth(openAlertsByLink: [String: Int], failingLinks: [LinkFailure], blockedLinks: Set<String>, knownLinks: [String]) {
        let attempts = Dictionary(failingLinks.map { ($0.peer, $0.attempts) }, uniquingKeysWith: max)
        let links = Set(knownLinks).union(openAlertsByLink.keys).union(attempts.keys)
        for link in links.sorted() {
            gauge("fundsync_hub_security_alerts_open", [("node", link)]).set(Int64(openAlertsByLink[link] ?? 0))
            gauge("fundsync_hub_link_failed_attempts", [("node", link)]).set(Int64(attempts[link] ?? 0))
            gauge("fundsync_stream_blocked", [("node", link)]).set(Int64(blockedLinks.contains(link) ? 1 : 0))
        }
    }

    /// Sets the bank gauges (7/7): instructions by state, and the age of the oldest one handed to a bank and not yet
    /// booked or rejected (0 when there is none), so an alert can fire on an answer that does not come.
    func setBankInstructions(_ counts: [String: Int], oldestUnconfirmedSeconds: Int64) {
        for state in BankInstructionState.allCases {
            gauge("fundsync_hub_bank_instructions", [("state", state.rawValue)]).set(Int64(counts[state.rawValue] ?? 0))
        }
        registry.makeGauge(name: "fundsync_hub_bank_instruction_unconfirmed_oldest_seconds",
                           help: Self.help["fundsync_hub_bank_instruction_unconfirmed_oldest_seconds"] ?? "").set(oldestUnconfirmedSeconds)
    }

    /// Counts one answered request and its duration.
    func requestServed(listener: String, route: String, method: String, status: Int, nanoseconds: Int64) {
        counter("fundsync_http_requests_total", [("listener", listener), ("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(name: "fundsync_http_request_duration_seconds", labels: [("listener", listener), ("route", route)],
                                       buckets: Self.durationBuckets, help: Self.help["fundsync_http_request_duration_seconds"] ?? "")
            .recordNanoseconds(nanoseconds)
    }

    /// Sets the business gauges of the province (8): per node the age of its last batch and the changes from it that
    /// wait; the quarantine; funds in transit by age; open findings by check.
    func setProvince(lastExchangeAgeSeconds: [String: Int64], pendingFromNode: [String: Int], quarantinedFiles: Int,
                     transit: [(age: String, slips: Int, fen: Int64)], openFindings: [String: Int]) {
        for (node, age) in lastExchangeAgeSeconds { gauge("fundsync_hub_node_last_exchange_age_seconds", [("node", node)]).set(age) }
        for (node, pending) in pendingFromNode { gauge("fundsync_hub_node_pending_changes", [("node", node)]).set(Int64(pending)) }
        registry.makeGauge(name: "fundsync_hub_quarantined_files", help: Self.help["fundsync_hub_quarantined_files"] ?? "").set(Int64(quarantinedFiles))
        for bucket in transit {
            gauge("fundsync_hub_funds_in_transit_fen", [("age", bucket.age)]).set(bucket.fen)
            gauge("fundsync_hub_funds_in_transit_slips", [("age", bucket.age)]).set(Int64(bucket.slips))
        }
        for (check, count) in openFindings { gauge("fundsync_hub_reconciliation_findings_open", [("check", check)]).set(Int64(count)) }
    }

    /// Sets the close gauges: per month, whether its last close attempt was refused, and by how many reasons.
    func setCloseAttempts(_ attempts: [CloseAttempt]) {
        for attempt in attempts {
            gauge("fundsync_hub_period_close_failed", [("period", attempt.period)]).set(Int64(attempt.passed ? 0 : 1))
            gauge("fundsync_hub_period_close_reasons", [("period", attempt.period)]).set(Int64(attempt.reasonCount))
        }
    }

    /// Sets the standard process metrics from `/proc/self` (Linux; nothing is set where it cannot be read).
    func setProcess() {
        guard let process = ProcessFigures.read() else { return }
        // A counter only goes up: it is moved by what was used since the last scrape.
        let used = cpuSecondsCounted.withLock { counted -> Double in
            let delta = max(0, process.cpuSeconds - counted)
            counted = max(counted, process.cpuSeconds)
            return delta
        }
        registry.makeCounter(name: "process_cpu_seconds_total", help: Self.help["process_cpu_seconds_total"] ?? "").increment(by: used)
        registry.makeGauge(name: "process_resident_memory_bytes", help: Self.help["process_resident_memory_bytes"] ?? "")
            .set(process.residentBytes)
        registry.makeGauge(name: "process_open_fds", help: Self.help["process_open_fds"] ?? "").set(Int64(process.openFiles))
        registry.makeGauge(name: "process_start_time_seconds", help: Self.help["process_start_time_seconds"] ?? "").set(process.startTimeSeconds)
    }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}

/// A value behind a lock, for the few figures the metrics carry between scrapes.
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
