import BatchWire
import Foundation
import Hummingbird
import Logging
import SyncAPI

/// An error as the HTTP API reports it: a status, a stable reason name and one sentence, as JSON
/// (`{"result": "refused" | "error", "reason": "...", "message": "..."}`).
///
/// This file is the one place where errors become HTTP status codes (STYLE.md R1): the routes throw the module errors
/// (`BatchDecodingError`, `PullAuthorizationError`, …) and `HubErrorMiddleware` maps them here.
public struct HubAPIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// `refused` when the request was judged and turned down (a bad batch, an unauthorized pull), `error` otherwise.
    public var result: String
    public var reason: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, result: String, reason: String, message: String) {
        self.status = status
        self.result = result
        self.reason = reason
        self.message = message
    }

    struct Body: Encodable {
        var result: String
        var reason: String
        var message: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let json = (try? JSONEncoder().encode(Body(result: result, reason: reason, message: message))) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// The HTTP form of any error a route throws. Unknown errors are server failures: their details go to the log,
    /// not to the caller (they may hold paths or SQL).
    public init(mapping error: any Error, logger: Logger) {
        switch error {
        case let error as HubAPIError:
            self = error
        case let error as BatchDecodingError:
            self.init(refusedBatch: error)
        case let error as PullAuthorizationError:
            self.init(unauthorizedPull: error)
        case let error as HTTPError:
            self.init(status: error.status, result: "error", reason: "http-\(error.status.code)",
                      message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            // NIO's "too many bytes" from collecting a body past its limit.
            self.init(status: .contentTooLarge, result: "refused", reason: "body-too-large",
                      message: "the request body is larger than the hub accepts")
        case let error as any HTTPResponseError:
            self.init(status: error.status, result: "error", reason: "http-\(error.status.code)", message: error.status.reasonPhrase)
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            self.init(status: .internalServerError, result: "error", reason: "server-failure",
                      message: "the hub failed to process the request; nothing was applied, try again later")
        }
    }

    /// A batch the hub refused (and quarantined). Authentication failures are 403, a file larger than a batch may be is
    /// 413, anything else about the bytes is 422.
    init(refusedBatch error: BatchDecodingError) {
        let status: HTTPResponse.Status = switch error.code {
        case .unknownKey, .revokedKey, .keyOfOtherOrg, .badSignature, .payloadHashMismatch: .forbidden
        case .fileTooLarge: .contentTooLarge
        case .wrongRecipient: .misdirectedRequest
        default: .unprocessableContent
        }
        self.init(status: status, result: "refused", reason: error.name, message: error.description)
    }

    /// A pull the hub would not serve: 401 (prove who you are) or 403 (you are known but not entitled).
    init(unauthorizedPull error: PullAuthorizationError) {
        let status: HTTPResponse.Status = switch error.code {
        case .revokedKey, .notEntitled: .forbidden
        case .tooManyPulls: .serviceUnavailable
        case .tooManyPullsForKey: .tooManyRequests
        default: .unauthorized
        }
        self.init(status: status, result: "refused", reason: error.name, message: error.description)
        if status == .unauthorized { headers[.wwwAuthenticate] = "FundSync-Pull \(PullAuthorization.schemeVersion)" }
    }

    /// Too many uploads are already applying and waiting: try again after `retryAfterSeconds` (`ImportGate`).
    static func busy(retryAfterSeconds: Int) -> HubAPIError {
        var error = HubAPIError(status: .serviceUnavailable, result: "error", reason: "busy",
                                message: "the hub is applying as many uploads as it takes at once; try again shortly")
        error.headers[.retryAfter] = String(retryAfterSeconds)
        return error
    }

    /// `node` went past its upload budget (`UploadRateLimiter`): 429 for that node only, try again after `retryAfterSeconds`.
    static func tooManyUploads(node: String, retryAfterSeconds: Int) -> HubAPIError {
        var error = HubAPIError(status: .tooManyRequests, result: "refused", reason: "too-many-uploads",
                                message: "\(node) sent more uploads than the hub takes from one office per minute; try again in "
                                    + "\(retryAfterSeconds) s (nothing of this upload was applied)")
        error.headers[.retryAfter] = String(retryAfterSeconds)
        return error
    }

    /// The body of a request was larger than `sizeBytesMax`.
    static func bodyTooLarge(sizeBytesMax: Int) -> HubAPIError {
        HubAPIError(status: .contentTooLarge, result: "refused", reason: "body-too-large",
                    message: "the request body is larger than the \(sizeBytesMax) bytes the hub accepts")
    }

    /// A path parameter that is not an org code.
    static func notAnOrgCode(_ text: String) -> HubAPIError {
        HubAPIError(status: .notFound, result: "error", reason: "not-an-org-code", message: "'\(text)' is not an org code")
    }
}

/// Turns every error a route throws into a `HubAPIError` (the single mapping above).
struct HubErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw HubAPIError(mapping: error, logger: context.logger)
        }
    }
}
