/// Where and how the hub's HTTP server listens, and its limits (STYLE.md R8: a named limit on everything).
public struct HubServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Largest request body accepted (a batch upload); larger uploads are refused with 413 before they are read.
    public var requestBodyBytesMax: Int

    public init(host: String = "127.0.0.1", port: Int = 8640, requestBodyBytesMax: Int = 16 * 1024 * 1024) {
        self.host = host
        self.port = port
        self.requestBodyBytesMax = requestBodyBytesMax
    }
}
