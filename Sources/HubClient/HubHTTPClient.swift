import AsyncHTTPClient
import BatchWire
import Foundation
import LedgerCore
import NIOCore
import NIOHTTP1
import NIOSSL
import NodeAgent
import SyncAPI

/// Speaks the hub's HTTP API (`Protocol/hub-api.yaml`, named in `SyncAPI`) with AsyncHTTPClient, for `sync`, `relay`
/// and the load bench. It shares the API's names with the server through `SyncAPI` and imports nothing of the server.
///
/// Failures are classified by what they tell about an upload (`HubTransportError`): a request that never reached the
/// hub whole is `unreachable`; one whose body was sent completely and that got no answer is `uncertain`. AsyncHTTPClient
/// reports the moment the whole request was written (`didSendRequest`), which is what draws that line.
public final class HubHTTPClient: Sendable {
    let client: HTTPClient
    /// `http://host:port`, without a trailing slash.
    let baseURL: String
    let requestTimeoutMilliseconds: Int64

    /// - Parameters:
    ///   - connectionCountMax: connections kept open to the hub at once (one node needs one; the load bench shares one
    ///     client among many simulated nodes).
    ///   - trustedCAFile: for an `https` hub, the PEM file of the certificate authorities whose certificates for the hub
    ///     are trusted; `nil` trusts the system's. The hub's name (or IP address) must match its certificate.
    public init(baseURL: String, connectTimeoutMilliseconds: Int64, requestTimeoutMilliseconds: Int64, connectionCountMax: Int = 8,
                trustedCAFile: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        let timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(connectTimeoutMilliseconds),
                                                        read: .milliseconds(requestTimeoutMilliseconds))
        let pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60),
                                                           concurrentHTTP1ConnectionsPerHostSoftLimit: connectionCountMax)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustedCAFile { tls.trustRoots = .file(trustedCAFile) }
        client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: HTTPClient.Configuration(tlsConfiguration: tls, timeout: timeout, connectionPool: pool))
    }

    /// Closes the connections. Call once, last.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Checks a `--hub` value: an http(s) URL with a host.
    public static func validate(_ text: String, flag: String) throws(HubURLError) {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw HubURLError(description: "\(flag) '\(text)' is not an http:// or https:// URL of the hub")
        }
    }

    /// A plain `GET` (status, metrics) as text.
    public func getText(_ path: String) async throws(HubTransportError) -> String {
        let (status, body) = try await exchange(.GET, path: path, headers: [], body: nil, bodyBytesMax: 16 * 1024 * 1024)
        guard status == 200 else { throw Self.failure(status: status, body: body) }
        return String(decoding: body, as: UTF8.self)
    }

    /// `POST /v1/batches`.
    public func upload(_ batch: [UInt8]) async throws(HubTransportError) -> UploadAnswer {
        let (status, body) = try await exchange(.POST, path: HubAPI.batchesPath, headers: [("Content-Type", HubAPI.batchMediaType)],
                                                body: batch, bodyBytesMax: 64 * 1024)
        guard status == 200 else { throw Self.failure(status: status, body: body) }
        let answer = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        if answer?["result"] as? String == "already-applied" { return .alreadyApplied }
        return .applied(changeCount: answer?["changeCount"] as? Int ?? 0)
    }

    /// `GET /v1/nodes/{org}/batches/next`, signed with `key` (the node's own, or a relay's).
    public func downloadNext(for org: OrgCode, key: SigningKey) async throws(HubTransportError) -> [UInt8]? {
        let path = HubAPI.nextBatchPath(org: org.rawValue)
        var nonce = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255, using: &generator) }
        let proof: PullAuthorization
        do {
            proof = try PullAuthorization.sign(path: path, key: key, timeMilliseconds: Int64(Date().timeIntervalSince1970 * 1000), nonce: nonce)
        } catch {
            throw HubTransportError(.refused(status: 0, reason: "signing-failed"), message: "this office could not sign the request: \(error)")
        }
        let (status, body) = try await exchange(.GET, path: path, headers: [(HubAPI.pullAuthorizationHeader, proof.headerValue)],
                                                body: nil, bodyBytesMax: Limits.batchFileBytesMax)
        switch status {
        case 200: return body
        case 204: return nil
        default: throw Self.failure(status: status, body: body)
        }
    }

    /// The error for a non-success status, with the hub's reason and sentence when its body has them.
    static func failure(status: Int, body: [UInt8]) -> HubTransportError {
        let answer = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let reason = answer?["reason"] as? String ?? "http-\(status)"
        let message = answer?["message"] as? String ?? "HTTP status \(status)"
        if (400..<500).contains(status), status != 408, status != 429 {
            return HubTransportError(.refused(status: status, reason: reason), message: message)
        }
        return HubTransportError(.serverFailure(status: status), message: message)
    }

    private func exchange(_ method: HTTPMethod, path: String, headers: [(String, String)], body: [UInt8]?,
                          bodyBytesMax: Int) async throws(HubTransportError) -> (status: Int, body: [UInt8]) {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: baseURL + path, method: method, headers: HTTPHeaders(headers),
                                             body: body.map { .bytes($0) })
        } catch {
            throw HubTransportError(.unreachable, message: "'\(baseURL)' is not a usable hub URL (\(error))")
        }
        let delegate = ExchangeDelegate(bodyBytesMax: bodyBytesMax)
        let deadline = NIODeadline.now() + .milliseconds(requestTimeoutMilliseconds)
        do {
            return try await client.execute(request: request, delegate: delegate, deadline: deadline).futureResult.get()
        } catch {
            let detail = String(describing: error)
            if delegate.requestSent, method == .POST {
                throw HubTransportError(.uncertain, message: "\(detail) after the whole batch was sent")
            }
            throw HubTransportError(delegate.requestSent ? .uncertain : .unreachable, message: "\(baseURL): \(detail)")
        }
    }
}

/// Collects a response (status and a bounded body) and notes when the whole request has been written.
private final class ExchangeDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    // @unchecked: every field is touched under `lock` (AsyncHTTPClient calls from its event loop, we read after).
    typealias Response = (status: Int, body: [UInt8])

    struct BodyTooLarge: Error {}

    private let lock = NSLock()
    private var sent = false
    private var status = 0
    private var body: [UInt8] = []
    let bodyBytesMax: Int

    init(bodyBytesMax: Int) { self.bodyBytesMax = bodyBytesMax }

    var requestSent: Bool { lock.withLock { sent } }

    func didSendRequest(task: HTTPClient.Task<Response>) { lock.withLock { sent = true } }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        lock.withLock { status = Int(head.status.code) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits: Bool = lock.withLock {
            guard body.count + buffer.readableBytes <= bodyBytesMax else { return false }
            body += buffer.readableBytesView
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(BodyTooLarge())
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        lock.withLock { (status, body) }
    }
}

/// The node's side of online sync over HTTP: `HubTransport` for `SyncSession`.
public struct HTTPHubTransport: HubTransport {
    let client: HubHTTPClient
    let node: OrgCode
    let key: SigningKey

    public init(client: HubHTTPClient, node: OrgCode, key: SigningKey) {
        self.client = client
        self.node = node
        self.key = key
    }

    public func upload(_ batch: [UInt8]) async throws(HubTransportError) -> UploadAnswer { try await client.upload(batch) }

    public func downloadNext() async throws(HubTransportError) -> [UInt8]? { try await client.downloadNext(for: node, key: key) }
}

/// A `--hub` value that is not an http(s) URL with a host.
public struct HubURLError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
