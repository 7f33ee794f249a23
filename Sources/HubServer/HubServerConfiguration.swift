/// Where and how the hub's HTTP server listens, and its limits (STYLE.md R8: a named limit on everything).
public struct HubServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (the startup log line says which).
    public var port: Int
    /// Largest request body accepted (a batch upload); larger uploads are refused with 413 before they are read.
    public var requestBodyBytesMax: Int
    /// How far a pull request's signed time may be from the hub's clock (both ways); also how long its nonce is kept.
    public var pullClockSkewMillisecondsMax: Int64
    /// Nonces of accepted pulls remembered at once (replay protection); more pulls inside the window get 503.
    public var pullNonceCountMax: Int

    public init(host: String = "127.0.0.1", port: Int = 8640, requestBodyBytesMax: Int = 16 * 1024 * 1024,
                pullClockSkewMillisecondsMax: Int64 = 5 * 60 * 1_000, pullNonceCountMax: Int = 100_000) {
        precondition(requestBodyBytesMax > 0, "requestBodyBytesMax must be positive")
        precondition(pullClockSkewMillisecondsMax > 0 && pullNonceCountMax > 0, "pull limits must be positive")
        self.host = host
        self.port = port
        self.requestBodyBytesMax = requestBodyBytesMax
        self.pullClockSkewMillisecondsMax = pullClockSkewMillisecondsMax
        self.pullNonceCountMax = pullNonceCountMax
    }
}
