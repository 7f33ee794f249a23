import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One structured log line and the HTTP metrics per request (8: "one structured line per HTTP request: route, office,
/// status, bytes, duration"; "HTTP request count and duration by route and status").
///
/// The route is the matched pattern (`/v1/nodes/{org}/batches/next`), never the raw path, so a hostile client cannot
/// make a metric or log field per URL; the office is the path's `{org}` when it has one. Failures are counted under the
/// status their error maps to (`HubErrorMiddleware` runs inside this one).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HubMetrics
    /// `api` (nodes and relays) or `admin` (status and metrics).
    let listener: String
    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, bytes: response.body.contentLength, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, bytes: nil, started: started)
            throw error
        }
    }

    func record(_ request: Request, context: Context, status: Int, bytes: Int?, started: UInt64) {
        let nanoseconds = Int64(clamping: DispatchTime.now().uptimeNanoseconds &- started)
        let route = context.endpointPath.map { $0.replacingOccurrences(of: ":org", with: "{org}") } ?? "unmatched"
        metrics.requestServed(listener: listener, route: route, method: request.method.rawValue, status: status, nanoseconds: nanoseconds)
        var metadata: Logger.Metadata = [
            "listener": .string(listener), "route": .string(route), "method": .string(request.method.rawValue),
            "status": .stringConvertible(status), "duration_ms": .stringConvertible(nanoseconds / 1_000_000),
        ]
        if let office = context.parameters.get("org") { metadata["office"] = .string(office) }
        if let received = request.headers[.contentLength].flatMap(Int.init) { metadata["request_bytes"] = .stringConvertible(received) }
        if let bytes { metadata["response_bytes"] = .stringConvertible(bytes) }
        context.logger.log(level: level, "request", metadata: metadata)
    }
}
