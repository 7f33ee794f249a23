/// The hub's HTTP API in names: paths, headers and media types, shared by the server's routes and the clients that
/// call them (the node's `sync`, the relay), so the two sides cannot drift apart. `Protocol/hub-api.yaml` documents
/// the same API for people and other implementations; a test checks that every route registered is in it.
///
/// The bodies that carry batches are batch files byte for byte (`Protocol/PROTOCOL.md`): HTTP adds no second format.
public enum HubAPI {
    /// `POST`: upload one batch file (the body). Authenticated by the batch's own signature.
    public static let batchesPath = "/v1/batches"
    /// `GET`: the next batch for `{org}`, sealed on demand. Authenticated by a `pullAuthorizationHeader`.
    public static let nextBatchPathPattern = "/v1/nodes/{org}/batches/next"
    /// `GET`: the hub's replica status (version vector, per-node streams) as JSON.
    public static let statusPath = "/v1/status"
    /// `GET`: liveness and readiness (the replica answers a read).
    public static let healthPath = "/healthz"
    /// `GET`: Prometheus text exposition.
    public static let metricsPath = "/metrics"

    /// The path of the next-batch resource of `org`.
    public static func nextBatchPath(org: String) -> String { "/v1/nodes/\(org)/batches/next" }

    /// Request header that proves the caller holds a key entitled to pull for the node (see `PullAuthorization`).
    public static let pullAuthorizationHeader = "FundSync-Pull-Authorization"
    /// Response header of a downloaded batch: its standard file name (`BatchFiles.fileName`).
    public static let batchFileNameHeader = "FundSync-Batch-File"
    /// Media type of a batch file body.
    public static let batchMediaType = "application/octet-stream"
    /// Media type of `/metrics`.
    public static let metricsMediaType = "text/plain; version=0.0.4; charset=utf-8"
}
