import Hummingbird
import Logging
import SyncAPI

/// The hub's HTTP routes. Each handler is in a `HubRoutes+*.swift` file; errors become HTTP only in `HubAPIError`.
///
/// ```swift
/// let service = HubService(hub: hub, configuration: configuration, metrics: HubMetrics(), clocks: clocks)
/// let app = HubServer.application(service, logger: logger)
/// try await app.runService()
/// ```
public enum HubServer {
    /// The router with every endpoint of `Protocol/hub-api.yaml`.
    public static func router(_ service: HubService, requestLogLevel: Logger.Level = .debug) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(requestLogLevel))
        router.add(middleware: HubErrorMiddleware())
        router.post(RouterPath(HubAPI.batchesPath)) { request, context in
            try await HubRoutes.uploadBatch(request, context: context, service: service)
        }
        router.get(RouterPath(routerPattern(HubAPI.nextBatchPathPattern))) { request, context in
            try await HubRoutes.nextBatch(request, context: context, service: service)
        }
        router.get(RouterPath(HubAPI.statusPath)) { _, _ in try await HubRoutes.status(service: service) }
        router.get(RouterPath(HubAPI.healthPath)) { _, _ in try await HubRoutes.health(service: service) }
        router.get(RouterPath(HubAPI.metricsPath)) { _, _ in try await HubRoutes.metrics(service: service) }
        return router
    }

    /// The application: the router on `configuration.host:port`. `onListening` runs once the socket is bound, with the
    /// address actually listened on (the port is known only then when 0 was asked for).
    public static func application(_ service: HubService, logger: Logger, requestLogLevel: Logger.Level = .debug,
                                   onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in })
        -> some ApplicationProtocol {
        Application(
            router: router(service, requestLogLevel: requestLogLevel),
            configuration: ApplicationConfiguration(address: .hostname(service.configuration.host, port: service.configuration.port),
                                                    serverName: "FundSync-Hub"),
            onServerRunning: { channel in
                await onListening(service.configuration.host, channel.localAddress?.port ?? service.configuration.port)
            },
            logger: logger)
    }

    /// `/v1/nodes/{org}/…` (OpenAPI) as Hummingbird's `/v1/nodes/:org/…`.
    static func routerPattern(_ openAPIPath: String) -> String {
        openAPIPath.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }
}
