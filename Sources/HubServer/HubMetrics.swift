import Foundation
import Metrics
import Prometheus
import ReplicaStore

/// The hub's metrics, through swift-metrics with a Prometheus registry of its own (so tests and several servers in one
/// process never share counters), exposed at `/metrics`.
///
/// Names follow Prometheus conventions, units last (`_seconds`, `_total`).
public final class HubMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    /// Batch uploads that reached the hub whole (whatever came of them).
    let batchesReceived: Metrics.Counter
    /// Uploads verified and applied.
    let batchesApplied: Metrics.Counter
    /// Uploads that brought nothing new (replays, retries).
    let batchesAlreadyApplied: Metrics.Counter
    /// Changes carried by received (verified) batches.
    let changesReceived: Metrics.Counter
    /// Changes applied.
    let changesApplied: Metrics.Counter
    /// Changes the hub's validation rejected (a rejection travels back to the origin).
    let changesRejected: Metrics.Counter
    /// Batches served to nodes by `GET …/batches/next`.
    let batchesSent: Metrics.Counter
    /// Time to verify and apply one upload (a histogram in seconds).
    let applyDuration: Metrics.Timer
    /// Transactions of the group commit, and the uploads and pulls they carried.
    let groupCommits: Metrics.Counter
    let groupCommitPieces: Metrics.Counter
    /// Time to apply and commit one group (a histogram in seconds), and to open (verify, decode) one upload.
    let groupCommitDuration: Metrics.Timer
    let openDuration: Metrics.Timer

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        batchesReceived = Metrics.Counter(label: "fundsync_hub_batches_received_total", factory: factory)
        batchesApplied = Metrics.Counter(label: "fundsync_hub_batches_applied_total", factory: factory)
        batchesAlreadyApplied = Metrics.Counter(label: "fundsync_hub_batches_already_applied_total", factory: factory)
        changesReceived = Metrics.Counter(label: "fundsync_hub_changes_received_total", factory: factory)
        changesApplied = Metrics.Counter(label: "fundsync_hub_changes_applied_total", factory: factory)
        changesRejected = Metrics.Counter(label: "fundsync_hub_changes_rejected_total", factory: factory)
        batchesSent = Metrics.Counter(label: "fundsync_hub_batches_sent_total", factory: factory)
        applyDuration = Metrics.Timer(label: "fundsync_hub_apply_duration_seconds", factory: factory)
        groupCommits = Metrics.Counter(label: "fundsync_hub_group_commits_total", factory: factory)
        groupCommitPieces = Metrics.Counter(label: "fundsync_hub_group_commit_pieces_total", factory: factory)
        groupCommitDuration = Metrics.Timer(label: "fundsync_hub_group_commit_duration_seconds", factory: factory)
        openDuration = Metrics.Timer(label: "fundsync_hub_open_duration_seconds", factory: factory)
    }

    /// Counts one transaction of the group commit carrying `pieceCount` uploads and pulls.
    func groupCommitted(pieceCount: Int, nanoseconds: Int64) {
        groupCommits.increment()
        groupCommitDuration.recordNanoseconds(nanoseconds)
        groupCommitPieces.increment(by: pieceCount)
    }

    /// Counts a refused upload under its reason (`bad-signature`, `truncated`, …).
    func batchRefused(reason: String) {
        Metrics.Counter(label: "fundsync_hub_batches_refused_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Counts a connection closed because its client was too slow (`slow-header`, `slow-body`, `body-too-long`).
    func slowClientClosed(cause: String) {
        Metrics.Counter(label: "fundsync_hub_slow_connections_closed_total", dimensions: [("cause", cause)], factory: factory).increment()
    }

    /// Counts an upload answered 503 `busy` because the import gate's queue was full.
    func uploadBusy() {
        Metrics.Counter(label: "fundsync_hub_uploads_busy_total", factory: factory).increment()
    }

    /// Counts an upload refused because its node went past its upload budget (429).
    func uploadRateLimited() {
        Metrics.Counter(label: "fundsync_hub_uploads_rate_limited_total", factory: factory).increment()
    }

    /// Sets a node's lag: changes the hub holds for it that it has not acknowledged yet.
    func setNodeLag(node: String, changeCount: Int) {
        Metrics.Gauge(label: "fundsync_hub_node_lag_changes", dimensions: [("node", node)], factory: factory).record(changeCount)
    }

    /// Sets how many registry versions a node is behind (current minus what it reported applying).
    func setNodeRegistryLag(node: String, versionCount: Int64) {
        Metrics.Gauge(label: "fundsync_hub_node_registry_lag_versions", dimensions: [("node", node)], factory: factory).record(versionCount)
    }

    /// Sets the link-health gauges of every link the hub knows: open security alerts, failed apply attempts, and 1 for
    /// a blocked stream (0 otherwise), so a dashboard can alert on `fundsync_stream_blocked == 1`.
    func setLinkHealth(openAlertsByLink: [String: Int], failingLinks: [LinkFailure], blockedLinks: Set<String>, knownLinks: [String]) {
        let attempts = Dictionary(failingLinks.map { ($0.peer, $0.attempts) }, uniquingKeysWith: max)
        let links = Set(knownLinks).union(openAlertsByLink.keys).union(attempts.keys)
        for link in links.sorted() {
            Metrics.Gauge(label: "fundsync_hub_security_alerts_open", dimensions: [("node", link)], factory: factory)
                .record(openAlertsByLink[link] ?? 0)
            Metrics.Gauge(label: "fundsync_hub_link_failed_attempts", dimensions: [("node", link)], factory: factory)
                .record(attempts[link] ?? 0)
            Metrics.Gauge(label: "fundsync_stream_blocked", dimensions: [("node", link)], factory: factory)
                .record(blockedLinks.contains(link) ? 1 : 0)
        }
    }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}
