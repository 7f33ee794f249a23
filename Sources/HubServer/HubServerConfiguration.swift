/// Where and how the hub's HTTP server listens, and its limits (STYLE.md R8: a named limit on everything).
public struct HubServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (the startup log line says which).
    public var port: Int
    /// The admin listener (status, metrics): loopback by default, so only the hub's machine can read them.
    public var adminHost: String
    /// 0 picks a free port (the startup log says which).
    public var adminPort: Int
    /// Largest request body accepted (a batch upload); larger uploads are refused with 413 before they are read.
    public var requestBodyBytesMax: Int
    /// How far a pull request's signed time may be from the hub's clock (both ways); also how long its nonce is kept.
    public var pullClockSkewMillisecondsMax: Int64
    /// Nonces of accepted pulls remembered at once (replay protection); more pulls inside the window get 503.
    public var pullNonceCountMax: Int
    /// Pulls one key may make inside the clock-skew window (a per-node rate limit); more get 429, for that key only.
    public var pullNonceCountMaxPerKey: Int = 600
    /// Uploads held at once — being opened, waiting for the group commit or being applied (`ImportGate`) — and their
    /// bytes at most (an upload larger than `importBytesMax` is held alone). Many small uploads share one commit.
    public var importConcurrencyMax: Int = 64
    public var importBytesMax: Int = 8 * 1024 * 1024
    /// The group commit (`GroupCommit`): uploads and pulls in one transaction at most, and their changes at most.
    public var groupCommitWorkCountMax: Int = 64
    public var groupCommitChangeCountMax: Int = 100_000
    /// Uploads that may wait for a turn, and their bytes; past either an upload gets 503 `busy` with `Retry-After`.
    /// Enough for every office of a province syncing at five o'clock with small batches (5/6).
    public var importWaitingCountMax: Int = 1_024
    public var importWaitingBytesMax: Int = 64 * 1024 * 1024
    /// A connection on which nothing is read or written for this long is closed (idle and slow clients).
    public var idleTimeoutSeconds: Int64
    /// Connections the batch API holds at once; further clients wait in the listen backlog until one closes.
    public var connectionCountMax: Int = 1_024
    /// Connections the admin listener holds at once (status, metrics, health: a few monitoring clients).
    public var adminConnectionCountMax: Int = 64
    /// The slow-client limits of every connection (`RequestDeadlineHandler`): the first request's header within
    /// `headerTimeoutSeconds` of connecting; a body that moves at least `bodyBytesPerWindowMin` in every window of
    /// `bodyWindowSeconds` and is complete within `bodyTimeoutSeconds`.
    public var headerTimeoutSeconds: Int64 = 20
    public var bodyWindowSeconds: Int64 = 30
    public var bodyBytesPerWindowMin: Int = 8 * 1024
    public var bodyTimeoutSeconds: Int64 = 600
    /// Uploads one node (by verified signature) may make per minute, and at once in a burst; more get 429 for that node.
    public var uploadsPerMinuteMax: Int = 120
    public var uploadBurstMax: Int = 60
    /// TLS: the server's certificate chain and private key (PEM files). `nil` serves plain HTTP, for a hub behind a
    /// reverse proxy that terminates TLS (Nodes/README.md) or on loopback.
    public var tls: TLSFiles?

    /// The PEM files `hub serve` speaks TLS with.
    public struct TLSFiles: Sendable, Equatable {
        /// The certificate chain, the server's own certificate first.
        public var certificateChainPath: String
        public var privateKeyPath: String

        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init(host: String = "127.0.0.1", port: Int = 8640, adminHost: String = "127.0.0.1", adminPort: Int = 8641,
                requestBodyBytesMax: Int = 16 * 1024 * 1024,
                pullClockSkewMillisecondsMax: Int64 = 5 * 60 * 1_000, pullNonceCountMax: Int = 100_000,
                idleTimeoutSeconds: Int64 = 60, tls: TLSFiles? = nil) {
        precondition(requestBodyBytesMax > 0, "requestBodyBytesMax must be positive")
        precondition(pullClockSkewMillisecondsMax > 0 && pullNonceCountMax > 0, "pull limits must be positive")
        precondition(idleTimeoutSeconds > 0, "idleTimeoutSeconds must be positive")
        self.host = host
        self.port = port
        self.adminHost = adminHost
        self.adminPort = adminPort
        self.requestBodyBytesMax = requestBodyBytesMax
        self.pullClockSkewMillisecondsMax = pullClockSkewMillisecondsMax
        self.pullNonceCountMax = pullNonceCountMax
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.tls = tls
    }
}
