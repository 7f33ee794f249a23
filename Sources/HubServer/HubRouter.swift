import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import SyncAPI

/// The hub's HTTP routes. Each handler is in a `HubRoutes+*.swift` file; errors become HTTP only in `HubAPIError`.
///
/// ```swift
/// let service = HubService(hub: hub, configuration: configuration, metrics: HubMetrics(), clocks: clocks)
/// let app = try HubServer.application(service, logger: logger)
/// try await app.runService()
/// ```
public enum HubServer {
    /// The batch API, for nodes and relays (`Protocol/hub-api.yaml`, tag `nodes`): uploads, pulls, and `/healthz` for a
    /// load balancer. Nothing here tells a caller anything about the province: status and metrics are on the admin
    /// listener only (`adminRouter`).
    ///
    /// `mount` adds routes of another part served on the same port: the fund centre's web console under `/console`
    /// (DECISIONS, "Three listeners").
    public static func router(_ service: HubService, requestLogLevel: Logger.Level = .info,
                              mount: (Router<BasicRequestContext>) -> Void = { _ in }) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: service.metrics, listener: "api", level: requestLogLevel))
        router.add(middleware: HubErrorMiddleware())
        router.post(RouterPath(HubAPI.batchesPath)) { request, context in
            try await HubRoutes.uploadBatch(request, context: context, service: service)
        }
        router.get(RouterPath(routerPattern(HubAPI.nextBatchPathPattern))) { request, context in
            try await HubRoutes.nextBatch(request, context: context, service: service)
        }
        router.get(RouterPath(HubAPI.healthPath)) { _, _ in try await HubRoutes.health(service: service) }
        mount(router)
        return router
    }

    /// The admin API, for the province's operators and monitoring (tag `admin`): `/v1/status` (every node's streams,
    /// security alerts, blocked links), `/metrics` and `/healthz`. Served on its own listener, loopback by default
    /// (`HubServerConfiguration.adminHost`), so what it reveals is reachable only from the hub's machine or through
    /// whatever the administrator puts in front of it.
    public static func adminRouter(_ service: HubService, requestLogLevel: Logger.Level = .info) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: service.metrics, listener: "admin", level: requestLogLevel))
        router.add(middleware: HubErrorMiddleware())
        router.get(RouterPath(HubAPI.statusPath)) { _, _ in try await HubRoutes.status(service: service) }
        router.get(RouterPath(HubAPI.healthPath)) { _, _ in try await HubRoutes.health(service: service) }
        router.get(RouterPath(HubAPI.metricsPath)) { _, _ in try await HubRoutes.metrics(service: service) }
        return router
    }

    /// The application: the router on `configuration.host:port`, over TLS when `configuration.tls` names a certificate
    /// and key, closing connections idle for `idleTimeoutSeconds` or too slow (`RequestDeadlineHandler`), and holding at most
    /// `connectionCountMax` connections (the admin listener `adminConnectionCountMax`). `onListening` runs once the socket is bound, with
    /// the address actually listened on (the port is known only then when 0 was asked for).
    /// - Throws: `HubTLSError` when the certificate or key cannot be read.
    /// - Parameter requestLogLevel: the level of the one line logged per request (route, office, status, bytes,
    ///   duration).
    public static func application(_ service: HubService, logger: Logger, requestLogLevel: Logger.Level = .info,
                                   mount: (Router<BasicRequestContext>) -> Void = { _ in },
                                   onAdminListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in },
                                   onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in })
        throws -> some ApplicationProtocol {
        let configuration = service.configuration
        let limits = RequestDeadlineHandler.Limits(headerSeconds: configuration.headerTimeoutSeconds,
                                                   bodyWindowSeconds: configuration.bodyWindowSeconds,
                                                   bodyBytesPerWindowMin: configuration.bodyBytesPerWindowMin,
                                                   bodySecondsMax: configuration.bodyTimeoutSeconds)
        let metrics = service.metrics
        let http = HTTPServerBuilder.http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(limits: limits) { cause in metrics.slowClientClosed(cause: cause.rawValue) }],
            idleTimeout: .seconds(configuration.idleTimeoutSeconds)))
        let server = try configuration.tls.map { files in try HTTPServerBuilder.tls(http, tlsConfiguration: try tlsConfiguration(files)) }
        // The admin listener runs beside the batch API in the same service group: it starts and stops with it.
        let admin = Application(
            router: adminRouter(service, requestLogLevel: requestLogLevel),
            server: http,
            configuration: ApplicationConfiguration(address: .hostname(configuration.adminHost, port: configuration.adminPort),
                                                    serverName: "FundSync-Hub-Admin",
                                                    availableConnectionsDelegate: MaximumAvailableConnections(
                                                        configuration.adminConnectionCountMax, logger: logger)),
            onServerRunning: { channel in
                await onAdminListening(configuration.adminHost, channel.localAddress?.port ?? configuration.adminPort)
            },
            logger: logger)
        return Application(
            router: router(service, requestLogLevel: requestLogLevel, mount: mount),
            server: server ?? http,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "FundSync-Hub",
                                                    availableConnectionsDelegate: MaximumAvailableConnections(
                                                        configuration.connectionCountMax, logger: logger)),
            services: [admin],
            onServerRunning: { channel in
                await onListening(service.configuration.host, channel.localAddress?.port ?? service.configuration.port)
            },
            logger: logger)
    }

    /// The server side of TLS from PEM files: swift-nio-ssl's defaults (BoringSSL: TLS 1.2 and 1.3 with its standard
    /// cipher suites; no SM2 suites, which BoringSSL does not have).
    public static func tlsConfiguration(_ files: HubServerConfiguration.TLSFiles) throws(HubTLSError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificateChainPath)
        } catch {
            throw HubTLSError(description: "cannot read the TLS certificate \(files.certificateChainPath): \(error)")
        }
        guard !chain.isEmpty else { throw HubTLSError(description: "\(files.certificateChainPath) holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        } catch {
            throw HubTLSError(description: "cannot read the TLS private key \(files.privateKeyPath): \(error)")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    /// `/v1/nodes/{org}/…` (OpenAPI) as Hummingbird's `/v1/nodes/:org/…`.
    static func routerPattern(_ openAPIPath: String) -> String {
        openAPIPath.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }
}

/// The hub's TLS certificate or key could not be used.
public struct HubTLSError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
