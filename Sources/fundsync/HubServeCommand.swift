import ArgumentParser
import Foundation
import HubCore
import HubServer
import Logging
import ReplicaStore
import WebConsole

/// `fundsync hub serve`: the hub's HTTP API (Protocol/hub-api.yaml) over a hub data folder.
struct HubServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the hub over HTTP: nodes and relays push and pull batch files online.",
        discussion: """
            For nodes and relays (--listen): POST /v1/batches, GET /v1/nodes/{org}/batches/next, GET /healthz. For \
            people, on the same port: the fund centre's web console under /console (Chinese first; English by a \
            switch), where staff log in with their staff id and passphrase (fundsync console-login), which also \
            unlocks their personal key (--keys) so what they do is signed. For administrators (--admin-listen, \
            loopback by default): GET /v1/status, GET /metrics, GET /healthz (see Protocol/hub-api.yaml). Stops \
            cleanly on SIGINT or SIGTERM.

            Examples:
              fundsync hub serve --data hub --listen 0.0.0.0:8640 --tls-certificate hub.pem --tls-key hub.key \\
                --keys /srv/fundsync/keys
              (then https://HUB:8640/console/ in a browser)
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("Address to listen on; port 0 picks a free one (the log says which).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8640"
    @Option(help: ArgumentHelp("Address of the admin listener (status, metrics); keep it on loopback unless something in front "
                               + "of it controls access. Port 0 picks a free one.", valueName: "HOST:PORT"))
    var adminListen = "127.0.0.1:8641"
    @Option(help: "Log lines as text or json (one object per line), on standard error.") var logFormat: LogFormat = .text
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: Logger.Level = .info
    @Option(help: "Largest upload accepted; larger ones get 413 before their body is read.")
    var requestBodyBytesMax = HubServerConfiguration().requestBodyBytesMax
    @Option(help: "How far a pull request's signed time may be from the hub's clock.")
    var pullClockSkewMillisecondsMax = HubServerConfiguration().pullClockSkewMillisecondsMax
    @Option(help: "Close a connection on which nothing moved for this long.")
    var idleTimeoutSeconds = HubServerConfiguration().idleTimeoutSeconds
    @Option(help: "Connections the batch API holds at once; more clients wait in the listen backlog.")
    var connectionCountMax = HubServerConfiguration().connectionCountMax
    @Option(help: "Close a connection whose first request header is not complete this long after connecting.")
    var headerTimeoutSeconds = HubServerConfiguration().headerTimeoutSeconds
    @Option(help: "Close a connection whose request body takes longer than this (or moves less than 8 KiB in 30 s); raise it for very slow lines.")
    var bodyTimeoutSeconds = HubServerConfiguration().bodyTimeoutSeconds
    @Option(help: "Uploads one office may make per minute (by verified signature); more get 429 for that office only.")
    var uploadsPerMinuteMax = HubServerConfiguration().uploadsPerMinuteMax
    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM, the hub's certificate first); needs --tls-key.",
                               valueName: "FILE"))
    var tlsCertificate: String?
    @Option(help: ArgumentHelp("The private key (PEM) of --tls-certificate.", valueName: "FILE")) var tlsKey: String?
    @Flag(help: "Do not serve the fund centre's web console under /console on the --listen port.") var noConsole = false
    @Option(help: ArgumentHelp("The folder of the people's key files the console unlocks at login (default: FUNDSYNC_KEYS).",
                               valueName: "DIR"))
    var keys: String?

    func validate() throws {
        _ = try Self.parseListen(listen)
        _ = try Self.parseListen(adminListen)
        guard requestBodyBytesMax > 0 else { throw ValidationError("--request-body-bytes-max must be positive") }
        guard pullClockSkewMillisecondsMax > 0 else { throw ValidationError("--pull-clock-skew-milliseconds-max must be positive") }
        guard idleTimeoutSeconds > 0 else { throw ValidationError("--idle-timeout-seconds must be positive") }
        guard (1...1_000_000).contains(connectionCountMax) else { throw ValidationError("--connection-count-max must be 1…1000000") }
        guard (1...86_400).contains(headerTimeoutSeconds) else { throw ValidationError("--header-timeout-seconds must be 1…86400") }
        guard (30...86_400).contains(bodyTimeoutSeconds) else { throw ValidationError("--body-timeout-seconds must be 30…86400") }
        guard (1...1_000_000).contains(uploadsPerMinuteMax) else { throw ValidationError("--uploads-per-minute-max must be 1…1000000") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-certificate and --tls-key go together") }
    }

    /// `HOST:PORT`, `[IPv6]:PORT`.
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen '\(text)' is not HOST:PORT (for example 127.0.0.1:8640)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen '\(text)' has no host") }
        return (host, port)
    }

    func run() async throws {
        let (host, port) = try Self.parseListen(listen)
        let (adminHost, adminPort) = try Self.parseListen(adminListen)
        logFormat.bootstrap(level: logLevel)
        let logger = Logger(label: "fundsync.hub")
        // Held until the server stops: `restore` refuses to swap the replica under a running server.
        let officeLock = try OfficeLock(DataDirectory(data.data), purpose: "hub serve")
        defer { withExtendedLifetime(officeLock) {} }
        let hub = try openHub(data.data)
        let tls = tlsCertificate.map { HubServerConfiguration.TLSFiles(certificateChainPath: $0, privateKeyPath: tlsKey ?? "") }
        var settings = HubServerConfiguration(host: host, port: port, adminHost: adminHost, adminPort: adminPort,
                                                   requestBodyBytesMax: requestBodyBytesMax,
                                                   pullClockSkewMillisecondsMax: pullClockSkewMillisecondsMax,
                                                   idleTimeoutSeconds: idleTimeoutSeconds, tls: tls)
        settings.connectionCountMax = connectionCountMax
        settings.headerTimeoutSeconds = headerTimeoutSeconds
        settings.bodyTimeoutSeconds = bodyTimeoutSeconds
        settings.uploadsPerMinuteMax = uploadsPerMinuteMax
        settings.uploadBurstMax = max(1, min(uploadsPerMinuteMax, HubServerConfiguration().uploadBurstMax))
        let configuration = settings
        let clocks = HubServerClocks(nowMilliseconds: { SystemClock().nowMilliseconds() },
                                     uptimeNanoseconds: { DispatchTime.now().uptimeNanoseconds })
        let service = HubService(hub: hub, configuration: configuration, metrics: HubMetrics(version: BuildInfo.release, commit: BuildInfo.gitCommit),
                                 clocks: clocks)
        let dataPath = data.data
        let console: ConsoleApplication?
        if noConsole {
            console = nil
        } else {
            // The console's actions audit and sign per person (ConsoleApplication.signed): nothing of the process.
            hub.store.auditing = nil
            hub.store.signer = nil
            console = try await ConsoleApplication(office: .hub(hub), keysFolder: consoleKeysFolder(keys), secure: tls != nil)
        }
        let scheme = tls == nil ? "http" : "https"
        let app = try HubServer.application(service, logger: logger, mount: { router in console?.addRoutes(to: router) },
                                            onAdminListening: { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            logger.info("hub \(hub.org) status and metrics for administrators at http://\(shown):\(port)")
        }) { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            let limit = configuration.requestBodyBytesMax
            logger.info("hub \(hub.org) listening on \(scheme)://\(shown):\(port) (data \(dataPath), uploads up to \(limit) bytes)")
            if console != nil { logger.info("console of \(hub.org) at \(scheme)://\(shown):\(port)\(ConsoleApplication.base)/") }
        }
        let started = SystemClock().nowMilliseconds()
        try await app.runService()
        // The line an administrator looks for after `systemctl stop`: requests in flight were answered first.
        logger.info("hub \(hub.org) stopped after \((SystemClock().nowMilliseconds() - started) / 1_000) s of service: in-flight requests finished, no new ones taken")
    }
}
