/// How a node reaches its hub online: the seam between the sync loop (`SyncSessionStateMachine`, sans-IO) and a
/// network. The bytes that travel are exactly the batch files of `Protocol/PROTOCOL.md`; the transport only carries
/// them, so the same batch works over HTTP, a relay or a USB stick.
///
/// The live implementation (HTTP) lives in the composition root (`fundsync`); tests use an in-process hub. NodeAgent
/// itself never imports a networking library (DESIGN.md §6).
public protocol HubTransport: Sendable {
    /// Uploads one sealed batch to the hub.
    /// - Returns: what the hub did with it (a replay is `alreadyApplied`, which is still success).
    /// - Throws: a `HubTransportError` that says whether the hub may have applied the batch.
    func upload(_ batch: [UInt8]) async throws(HubTransportError) -> UploadAnswer

    /// Asks the hub for the next batch addressed to this node.
    /// - Returns: the batch file bytes, or `nil` when the hub has nothing to send.
    func downloadNext() async throws(HubTransportError) -> [UInt8]?
}

/// The hub's answer to an upload that it accepted.
public enum UploadAnswer: Equatable, Sendable {
    /// Verified and applied (some changes may have been rejected by validation; they travel back as rejections).
    case applied(changeCount: Int)
    /// Seen before: a replay is a no-op at the hub, so a retry never applies anything twice.
    case alreadyApplied
}

/// Why an exchange with the hub did not succeed, classified by what the node can conclude from it.
///
/// The distinction that matters is whether the hub may have applied an upload: `unreachable` means certainly not
/// (the request never reached it whole), `uncertain` means maybe (the whole request was sent but no answer came).
/// Both are safe to retry because replaying a batch is a no-op, but only `uncertain` needs to be reported as such.
public struct HubTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// The request did not reach the hub whole (connection refused, reset before the body was sent, DNS).
        case unreachable
        /// The whole request was sent and no answer came (timeout, connection closed): it may have been applied.
        case uncertain
        /// The hub answered with a server failure (5xx): nothing was applied; a later attempt may succeed.
        case serverFailure(status: Int)
        /// The hub refused the request (4xx) for `reason` (a stable name such as `bad-signature`); retrying the same
        /// bytes cannot succeed. A refused upload is kept in the hub's quarantine.
        case refused(status: Int, reason: String)
    }

    public var code: Code
    /// One sentence for the clerk, from the hub or the transport.
    public var message: String

    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Whether trying the same request again may succeed.
    public var isRetryable: Bool {
        switch code {
        case .unreachable, .uncertain, .serverFailure: true
        case .refused: false
        }
    }

    public var description: String {
        switch code {
        case .unreachable: "the hub could not be reached: \(message)"
        case .uncertain: "no answer from the hub after the request was sent: \(message)"
        case .serverFailure(let status): "the hub failed (HTTP \(status)): \(message)"
        case .refused(let status, let reason): "the hub refused the request (HTTP \(status), \(reason)): \(message)"
        }
    }
}
