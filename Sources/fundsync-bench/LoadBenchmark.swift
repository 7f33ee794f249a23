import ArgumentParser
import BatchWire
import Foundation
import HubClient
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncAPI
#if canImport(Glibc)
import Glibc
#endif

/// `fundsync-bench load` (run it through `Scripts/bench-load`): the hub as a real `fundsync hub serve` process (the
/// `fundsync` binary built beside this one) and many simulated nodes syncing at once over 127.0.0.1 with the real sync
/// loop and HTTP client (`HubClient`). A benchmark, not a test:
/// bounded in node count, rounds and time, it stops by itself and prints throughput, latency and its checks.
struct BenchLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundsync-bench load", abstract: "Load benchmark of the hub's HTTP API on 127.0.0.1 (see Scripts/bench-load).")
    @Option(help: "Simulated nodes syncing at once.") var nodes = 200
    @Option(help: "Rounds of posting then syncing.") var rounds = 3
    @Option(help: "Vouchers each node posts per round.") var vouchersPerRound = 5
    @Option(help: "The whole run stops (exit 2) after this many seconds.") var timeLimitSeconds = 600
    @Flag(help: "Seal every node's batch before each timed phase and import the hub's answers after it, so the timed phase is the hub's work and the client's HTTP only (the nodes' own sealing and fsyncs are not timed).")
    var presealed = false

    func validate() throws {
        guard (1...1_000).contains(nodes), (1...20).contains(rounds), (1...1_000).contains(vouchersPerRound),
              (10...3_600).contains(timeLimitSeconds) else {
            throw ValidationError("bounds: --nodes 1…1000, --rounds 1…20, --vouchers-per-round 1…1000, --time-limit-seconds 10…3600")
        }
    }

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        print("FundSync load bench: \(nodes) nodes × \(rounds) rounds × \(vouchersPerRound) vouchers, hub as its own process on 127.0.0.1")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (hub and simulated nodes share them)")
        var started = DispatchTime.now()
        let (hubData, fleet) = try LoadFleet.setUp(root: root, nodeCount: nodes)
        print(String(format: "setup: hub + %d enrolled nodes in %.1f s", nodes, seconds(since: started)))

        let server = try LoadHubProcess(data: hubData, log: root.appendingPathComponent("hub.log"))
        defer { server.stop() }
        let pid = server.process.processIdentifier
        let limit = timeLimitSeconds
        Task.detached {
            try? await Task.sleep(for: .seconds(limit))
            Benchmark.warn("bench-load: time limit of \(limit) s reached; stopping")
            kill(pid, SIGKILL)
            Glibc.exit(2)
        }
        let client = HubHTTPClient(baseURL: server.url, connectTimeoutMilliseconds: 5_000, requestTimeoutMilliseconds: 120_000,
                                   connectionCountMax: nodes)
        let admin = HubHTTPClient(baseURL: server.adminURL, connectTimeoutMilliseconds: 5_000, requestTimeoutMilliseconds: 120_000)
        let fleetRun = LoadFleetRun(fleet: fleet, client: client, admin: admin)

        started = DispatchTime.now()
        let registry = await fleetRun.syncAll()
        print(String(format: "registry pull: %d sessions in %.2f s (%@)", nodes, seconds(since: started), registry.describe()))
        fleetRun.latencies.reset()

        var syncSeconds = 0.0
        var totals = LoadTotals()
        for round in 1...rounds {
            try fleet.postAll(vouchers: vouchersPerRound, round: round)
            if presealed {
                let phase = try await fleetRun.presealedRound()
                totals.add(phase.totals)
                syncSeconds += phase.seconds
            } else {
                started = DispatchTime.now()
                totals.add(await fleetRun.syncAll())
                syncSeconds += seconds(since: started)
            }
        }
        let latency = fleetRun.latencies.summary()
        print(String(format: "sync under load: %d uploads with changes, %d changes, %d downloads in %.2f s", totals.uploadedBatches,
                     totals.uploadedChanges, totals.downloadedBatches, syncSeconds))
        print(String(format: "throughput: %.0f batches/s, %.0f changes/s, %.0f requests/s", Double(totals.uploadedBatches) / syncSeconds,
                     Double(totals.uploadedChanges) / syncSeconds, Double(latency.count) / syncSeconds))
        print("request latency: \(latency.describe())")
        print("sessions: \(totals.describe())")
        let commits = try await fleetRun.metric("fundsync_hub_group_commits_total")
        let pieces = try await fleetRun.metric("fundsync_hub_group_commit_pieces_total")
        print(String(format: "group commit: %.0f transactions for %.0f uploads and pulls (%.1f per transaction); ", commits, pieces,
                     commits > 0 ? pieces / commits : 0)
              + String(format: "refused busy %.0f, rate-limited %.0f", try await fleetRun.metric("fundsync_hub_uploads_busy_total"),
                       try await fleetRun.metric("fundsync_hub_uploads_rate_limited_total")))

        if ProcessInfo.processInfo.environment["FUNDSYNC_BENCH_METRICS"] != nil {
            Benchmark.warn(try await admin.getText(HubAPI.metricsPath))
        }
        let cut = try await fleetRun.cutUploadThenRetry(port: server.port)
        print("upload cut mid-body: \(cut)")

        let problems = try await fleetRun.check(expectedChangesPerNode: rounds * vouchersPerRound)
        await client.shutdown()
        await admin.shutdown()
        server.stop()
        let hub = try Hub.open(directory: DataDirectory(hubData), clock: Benchmark.LiveClock())
        let verify = try hub.verify()
        print("checks: " + (problems.isEmpty ? "every node's counter equals the hub's vector entry; changes applied at the hub = changes posted"
                                             : problems.joined(separator: "; ")) + "; hub verify: " + (verify.isEmpty ? "ok" : "\(verify)"))
        if !problems.isEmpty || !verify.isEmpty || !cut.hasPrefix("applied nothing") { throw ExitCode(1) }
    }

    func seconds(since start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
}

/// The hub and the simulated nodes, set up in-process before the hub process starts.
struct LoadFleet: Sendable {
    let nodes: [Node]

    static func setUp(root: URL, nodeCount: Int) throws -> (hubData: String, fleet: LoadFleet) {
        let clock = Benchmark.LiveClock()
        let hubData = root.appendingPathComponent("hub").path
        let hub = try Hub.initialize(directory: DataDirectory(hubData), org: OrgCode("340000")!, name: "Bench Province", clock: clock)
        let city = OrgCode("340100")!
        try hub.addOrgUnit(OrgUnit(code: city, parent: hub.org, name: "Bench City", level: .city))
        var nodes: [Node] = []
        for index in 0..<nodeCount {
            let org = OrgCode("9\(String(format: "%05d", index))")!
            let node = try Node.initialize(directory: DataDirectory(root.appendingPathComponent(org.rawValue).path), org: org,
                                           hubKeyPEM: hub.signingKey.publicKey.pem, clock: clock)
            try hub.enroll(org: org, parent: city, name: "Node \(org)", level: .county, publicKeyPEM: node.signingKey.publicKey.pem)
            for (code, name) in [("1002", "Bank deposits"), ("6001", "Income")] {
                try hub.putAccount(AccountRecord(id: "\(org.rawValue):\(code)", org: org, kind: .subject, code: code, name: name,
                                                 currency: .cny, status: .active))
            }
            nodes.append(node)
        }
        return (hubData, LoadFleet(nodes: nodes))
    }

    func postAll(vouchers: Int, round: Int) throws {
        for node in nodes {
            let org = node.org.rawValue
            let drafts = (1...vouchers).map { index in
                VoucherDraft(date: "2026-11-02", memo: "load round \(round) #\(index)", preparer: "Bench", lines: [
                    .init(account: "\(org):1002", debit: "\(index).00"), .init(account: "\(org):6001", credit: "\(index).00"),
                ])
            }
            _ = try node.post(drafts)
        }
    }
}

/// What the sessions of one phase did, summed.
struct LoadTotals {
    var sessions = 0
    var outcomes: [String: Int] = [:]
    var uploadedBatches = 0
    var uploadedChanges = 0
    var downloadedBatches = 0
    var retries = 0

    mutating func add(_ other: LoadTotals) {
        sessions += other.sessions
        outcomes.merge(other.outcomes, uniquingKeysWith: +)
        uploadedBatches += other.uploadedBatches
        uploadedChanges += other.uploadedChanges
        downloadedBatches += other.downloadedBatches
        retries += other.retries
    }

    mutating func add(_ report: SyncReport) {
        sessions += 1
        let name = switch report.outcome {
        case .complete: "complete"
        case .uncertain: "uncertain"
        case .incomplete: "incomplete"
        case .failed: "failed"
        case .refused: "refused"
        }
        outcomes[name, default: 0] += 1
        uploadedBatches += report.uploadedBatchCount
        uploadedChanges += report.uploadedChangeCount
        downloadedBatches += report.downloadedBatchCount
        retries += report.retryCount
    }

    func describe() -> String {
        "\(sessions) session(s): " + outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            + ", \(retries) retry(ies)"
    }
}

/// Request latencies seen by the simulated nodes (client side: queueing, HTTP and the hub's work).
final class LatencyRecorder: @unchecked Sendable {
    // @unchecked: `samples` is touched under `lock`.
    private let lock = NSLock()
    private var samples: [UInt64] = []

    func record(nanoseconds: UInt64) { lock.withLock { samples.append(nanoseconds) } }
    func reset() { lock.withLock { samples.removeAll() } }

    struct Summary {
        let count: Int
        let millisecondsAt: (Double) -> Double
        func describe() -> String {
            String(format: "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms over %d requests",
                   millisecondsAt(0.5), millisecondsAt(0.9), millisecondsAt(0.99), millisecondsAt(1), count)
        }
    }

    func summary() -> Summary {
        let sorted = lock.withLock { samples.sorted() }
        return Summary(count: sorted.count) { quantile in
            sorted.isEmpty ? 0 : Double(sorted[Int((Double(sorted.count - 1) * quantile).rounded(.up))]) / 1e6
        }
    }
}

/// A transport that times each request.
struct TimedTransport: HubTransport {
    let base: HTTPHubTransport
    let latencies: LatencyRecorder

    func upload(_ batch: [UInt8]) async throws(HubTransportError) -> UploadAnswer {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { latencies.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
        return try await base.upload(batch)
    }

    func downloadNext() async throws(HubTransportError) -> [UInt8]? {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { latencies.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
        return try await base.downloadNext()
    }
}

/// Runs the fleet's sync sessions at once and checks the result against the hub.
struct LoadFleetRun: Sendable {
    let fleet: LoadFleet
    let client: HubHTTPClient
    /// The admin listener's client (status, metrics).
    let admin: HubHTTPClient
    let latencies = LatencyRecorder()
    let limits = SyncLimits(retryAttemptCountMax: 5, retryDelayMillisecondsInitial: 50, retryDelayMillisecondsMax: 2_000)

    func sync(_ node: Node) async -> SyncReport {
        let transport = TimedTransport(base: HTTPHubTransport(client: client, node: node.org, key: node.signingKey), latencies: latencies)
        return await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock())
    }

    func syncAll() async -> LoadTotals {
        await withTaskGroup(of: SyncReport.self) { group in
            for node in fleet.nodes { group.addTask { await sync(node) } }
            var totals = LoadTotals()
            for await report in group { totals.add(report) }
            return totals
        }
    }

    /// One round with the nodes' own work outside the timing: every node's outbox is sealed first; then, timed, all
    /// nodes at once upload their batches and pull one batch each over HTTP; then, untimed, each node imports what it
    /// pulled (which carries the hub's acknowledgement). Returns what moved and the seconds of the timed part.
    func presealedRound() async throws -> (totals: LoadTotals, seconds: Double) {
        let sealed = try fleet.nodes.map { try $0.sealedBatches() }
        struct NodeRound: Sendable {
            var index: Int
            var uploads = 0
            var changes = 0
            var pulled: [UInt8]?
            var failure: String?
        }
        let start = DispatchTime.now()
        let rounds = await withTaskGroup(of: NodeRound.self) { group in
            for (index, node) in fleet.nodes.enumerated() {
                group.addTask {
                    var round = NodeRound(index: index)
                    let transport = TimedTransport(base: HTTPHubTransport(client: client, node: node.org, key: node.signingKey),
                                                   latencies: latencies)
                    do {
                        for batch in sealed[index] {
                            if case .applied(let count) = try await transport.upload(batch) { round.changes += count }
                            round.uploads += 1
                        }
                        round.pulled = try await transport.downloadNext()
                    } catch {
                        round.failure = "\(error)"
                    }
                    return round
                }
            }
            var rounds: [NodeRound] = []
            for await round in group { rounds.append(round) }
            return rounds
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var totals = LoadTotals()
        for round in rounds {
            totals.sessions += 1
            totals.uploadedBatches += round.uploads
            totals.uploadedChanges += round.changes
            if let pulled = round.pulled {
                totals.downloadedBatches += 1
                _ = try fleet.nodes[round.index].exchange.importBytes(pulled, label: "pulled.fsb")
            }
            totals.outcomes[round.failure == nil ? "complete" : "failed", default: 0] += 1
        }
        return (totals, seconds)
    }

    /// Sends half of a real upload on a raw socket and closes it; the hub must apply nothing. Then the node's normal
    /// sync must deliver the same changes.
    func cutUploadThenRetry(port: Int) async throws -> String {
        let node = fleet.nodes[0]
        _ = try node.post([VoucherDraft(date: "2026-11-03", memo: "cut upload", preparer: "Bench", lines: [
            .init(account: "\(node.org.rawValue):1002", debit: "1.00"), .init(account: "\(node.org.rawValue):6001", credit: "1.00"),
        ])])
        let before = try await hubVector()[node.org.rawValue] ?? -1
        let receivedBefore = try await metric("fundsync_hub_batches_received_total")
        guard let batch = try node.sealedBatches().first else { return "failed: the node had nothing to send" }
        try RawSocket.sendHalf(of: batch, path: HubAPI.batchesPath, port: port)
        try await Task.sleep(for: .milliseconds(300))
        let afterCut = try await hubVector()[node.org.rawValue] ?? -1
        let receivedAfterCut = try await metric("fundsync_hub_batches_received_total")
        guard afterCut == before, receivedAfterCut == receivedBefore else {
            return "failed: the hub moved from \(before) to \(afterCut) after a cut upload"
        }
        let report = await sync(node)
        let afterRetry = try await hubVector()[node.org.rawValue] ?? -1
        let counter = try node.store.versionVector()[node.org]
        guard report.outcome == .complete, afterRetry == counter else {
            return "failed: retry \(report.summary); hub has \(afterRetry), node counter \(counter)"
        }
        return "applied nothing (hub stayed at \(before) for the node, no batch received); the retry succeeded (now \(afterRetry))"
    }

    /// Problems found: a node whose counter differs from the hub's entry, or changes applied at the hub ≠ posted.
    func check(expectedChangesPerNode: Int) async throws -> [String] {
        let vector = try await hubVector()
        var problems: [String] = []
        var posted: Int64 = 0
        for node in fleet.nodes {
            let counter = try node.store.versionVector()[node.org]
            posted += counter
            if vector[node.org.rawValue] != counter {
                problems.append("\(node.org): hub has \(vector[node.org.rawValue] ?? 0), node counter \(counter)")
            }
        }
        let expected = Int64(fleet.nodes.count * expectedChangesPerNode + 1)
        if posted != expected { problems.append("nodes counted \(posted) changes, expected \(expected)") }
        let applied = try await metric("fundsync_hub_changes_applied_total")
        if Int64(applied) != posted { problems.append("the hub applied \(Int64(applied)) changes, nodes posted \(posted)") }
        return problems
    }

    func hubVector() async throws -> [String: Int64] {
        let object = try JSONSerialization.jsonObject(with: Data(try await admin.getText(HubAPI.statusPath).utf8)) as? [String: Any]
        return (object?["versionVector"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.int64Value }
    }

    func metric(_ name: String) async throws -> Double {
        let text = try await admin.getText(HubAPI.metricsPath)
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}

/// A TCP client that breaks the connection on purpose.
enum RawSocket {
    /// Sends the request head and the first half of `body` to 127.0.0.1:`port`, then closes the connection.
    static func sendHalf(of body: [UInt8], path: String, port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("connect() to 127.0.0.1:\(port) failed") }
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: \(HubAPI.batchMediaType)\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body.prefix(body.count / 2)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw BenchError("send() failed") }
            sent += count
        }
        usleep(100_000)
    }
}

/// `fundsync hub serve` as a child process of the bench.
final class LoadHubProcess {
    let process = Process()
    private(set) var url = ""
    private(set) var adminURL = ""
    private(set) var port = 0

    init(data: String, log: URL) throws {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw BenchError("cannot create the hub's log file \(log.path)")
        }
        // The `fundsync` built beside this bench (same build folder, same configuration).
        let bench = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.executableURL = bench.deletingLastPathComponent().appendingPathComponent("fundsync")
        process.arguments = ["hub", "serve", "--data", data, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--log-level", "info"]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // The startup lines say where each listener is: the batch API, and the admin one (status, metrics).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let api = Self.url(after: "listening on ", in: text), let admin = Self.url(after: "administrators at ", in: text) {
                url = api
                adminURL = admin
                port = Int(api.split(separator: ":").last ?? "") ?? 0
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw BenchError("the hub process did not start listening: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// `http://127.0.0.1:PORT` following `marker` in the hub's log.
    static func url(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker + #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else { return nil }
        return String(text[range].dropFirst(marker.count))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A failure of the load bench itself, as one sentence.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
