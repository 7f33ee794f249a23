import Foundation
import HubClient
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncAPI

/// `fundsync-bench catchup [DAYS] [VOUCHERS_PER_DAY]` (5/6 item 6): a county offline for DAYS days (30) posts
/// VOUCHERS_PER_DAY two-line vouchers a day (5,000) while the hub's administrators push account updates for it every
/// day; then the county syncs over HTTP with `fundsync hub serve` (a real process on 127.0.0.1) through the real sync
/// loop until it has nothing left either way.
///
/// It reports the time to catch up (target < 60 s), what moved each way, and the hub's memory while serving the
/// backlog: its resident set sampled every 20 ms and its peak (`VmHWM`), against the hub's resident set when idle. The
/// hub serves its own backlog one batch per pull, sealed when asked; it never seals everything at once.
enum CatchUpBenchmark {
    static func run(days: Int, vouchersPerDay: Int) async throws {
        guard (1...366).contains(days), (1...100_000).contains(vouchersPerDay) else {
            throw BenchError("bounds: DAYS 1…366, VOUCHERS_PER_DAY 1…100000")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-catchup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("FundSync catch-up: a county offline for \(days) days × \(vouchersPerDay) vouchers, then one sync over HTTP (127.0.0.1)")
        let accountsPerDay = 50
        var started = ContinuousClock.now
        let (hubData, node, hubChanges, hubCounter) = try setUp(root: root, days: days, vouchersPerDay: vouchersPerDay, accountsPerDay: accountsPerDay)
        let backlog = try node.store.versionVector()[node.org]
        Benchmark.say(Benchmark.row("offline backlog", "\(Benchmark.rate(Int(backlog), 1)) changes",
                                    "at the county, and \(hubChanges) account changes at the hub for it (\(accountsPerDay) a day); set up in "
                                    + "\(Benchmark.seconds(elapsed(since: started))) s"))

        let server = try LoadHubProcess(data: hubData, log: root.appendingPathComponent("hub.log"))
        defer { server.stop() }
        let pid = server.process.processIdentifier
        try await Task.sleep(for: .milliseconds(500))
        let idleKiB = residentKiB(pid: pid, field: "VmRSS") ?? 0
        let sampler = MemorySampler(pid: pid)
        sampler.start()
        let client = HubHTTPClient(baseURL: server.url, connectTimeoutMilliseconds: 5_000, requestTimeoutMilliseconds: 300_000)
        let transport = HTTPHubTransport(client: client, node: node.org, key: node.signingKey)
        let limits = SyncLimits(retryAttemptCountMax: 5, retryDelayMillisecondsInitial: 100, retryDelayMillisecondsMax: 2_000)
        started = ContinuousClock.now
        var totals = LoadTotals()
        var sessions = 0
        repeat {
            totals.add(await SyncSession.run(node: node, transport: transport, limits: limits, clock: ContinuousClock()))
            sessions += 1
        } while try !caughtUp(node, hubCounter: hubCounter) && sessions < 10
        let catchUpSeconds = elapsed(since: started)
        sampler.stop()
        let peakKiB = residentKiB(pid: pid, field: "VmHWM") ?? sampler.peakKiB
        await client.shutdown()
        server.stop()

        Benchmark.say(Benchmark.row("catch-up over HTTP", "\(Benchmark.seconds(catchUpSeconds)) s",
                                    "(target < 60 s; \(totals.describe()))"))
        Benchmark.say(Benchmark.row("moved", "\(totals.uploadedChanges) changes up",
                                    "in \(totals.uploadedBatches) upload(s); \(totals.downloadedBatches) batch(es) down"))
        Benchmark.say(Benchmark.row("rate", "\(Benchmark.rate(totals.uploadedChanges, catchUpSeconds)) changes/s", "(end to end: seal, HTTP, verify, apply, pull)"))
        Benchmark.say(Benchmark.row("hub memory while serving", "peak \(peakKiB / 1_024) MiB",
                                    "(idle \(idleKiB / 1_024) MiB; largest sample \(sampler.peakKiB / 1_024) MiB over \(sampler.sampleCount) samples)"))
        let hub = try Hub.open(directory: DataDirectory(hubData), clock: Benchmark.LiveClock())
        let heldAtHub = try hub.store.versionVector()[node.org]
        let problems = try hub.verify()
        let caught = try caughtUp(node, hubCounter: hubCounter)
        let ok = heldAtHub == backlog && caught && problems.isEmpty
        Benchmark.say("checks: hub holds \(heldAtHub) of the county's \(backlog) changes; county holds every hub change for it: "
                      + "\(caught); hub verify: \(problems.isEmpty ? "ok" : "\(problems)")")
        if !ok { throw BenchError("the catch-up did not complete") }
    }

    /// A hub and one county; the county took its registry, then went offline: it posts `days` × `vouchersPerDay`
    /// vouchers while the hub adds `accountsPerDay` accounts for it each day. Returns the hub's folder, the county,
    /// the number of hub changes waiting for the county, and the hub's own counter.
    static func setUp(root: URL, days: Int, vouchersPerDay: Int, accountsPerDay: Int) throws -> (String, Node, Int, Int64) {
        let clock = Benchmark.LiveClock()
        let hubData = root.appendingPathComponent("hub").path
        let hub = try Hub.initialize(directory: DataDirectory(hubData), org: OrgCode("340000")!, name: "Bench Province", clock: clock)
        let city = OrgCode("340100")!
        try hub.addOrgUnit(OrgUnit(code: city, parent: hub.org, name: "Bench City", level: .city))
        let org = OrgCode("340122")!
        let node = try Node.initialize(directory: DataDirectory(root.appendingPathComponent(org.rawValue).path), org: org,
                                       hubKeyPEM: hub.signingKey.publicKey.pem, clock: clock)
        try hub.enroll(org: org, parent: city, name: "Feidong", level: .county, publicKeyPEM: node.signingKey.publicKey.pem)
        for (code, name) in [("1002", "Bank deposits"), ("6001", "Income")] {
            try hub.putAccount(AccountRecord(id: "\(org.rawValue):\(code)", org: org, kind: .subject, code: code, name: name,
                                             currency: .cny, status: .active))
        }
        _ = node.exchange.importFiles(try hub.export(to: root.appendingPathComponent("registry")))
        let hubBefore = try hub.store.versionVector()[hub.org]
        let dates = businessDates(count: days)
        for (day, date) in dates.enumerated() {
            for index in 0..<accountsPerDay {
                let code = "6001.\(String(format: "%02d", day + 1)).\(String(format: "%03d", index + 1))"
                try hub.putAccount(AccountRecord(id: "\(org.rawValue):\(code)", org: org, kind: .subject, code: code,
                                                 name: "Income, day \(day + 1) item \(index + 1)", currency: .cny, status: .active))
            }
            var posted = 0
            while posted < vouchersPerDay {
                let chunk = min(1_000, vouchersPerDay - posted)
                let drafts = (0..<chunk).map { offset in
                    let number = posted + offset
                    let amount = "\(1 + number % 99_999).\(String(format: "%02d", number % 100))"
                    return VoucherDraft(date: date, memo: "income advice \(date) #\(number)", preparer: "Wang Fang", lines: [
                        .init(account: "\(org.rawValue):1002", debit: amount), .init(account: "\(org.rawValue):6001", credit: amount),
                    ])
                }
                _ = try node.post(drafts)
                posted += chunk
            }
        }
        let hubCounter = try hub.store.versionVector()[hub.org]
        return (hubData, node, Int(hubCounter - hubBefore), hubCounter)
    }

    /// `count` weekdays from Monday 2026-11-02 on, as `yyyy-MM-dd`.
    static func businessDates(count: Int) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = calendar.date(from: DateComponents(year: 2026, month: 11, day: 2))!
        var dates: [String] = []
        while dates.count < count {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            if let weekday = parts.weekday, weekday != 1, weekday != 7 {
                dates.append(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
            }
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        }
        return dates
    }

    /// The hub acknowledged everything the county wrote (its outbox is empty) and the county holds every change
    /// the hub wrote (up to `hubCounter`).
    static func caughtUp(_ node: Node, hubCounter: Int64) throws -> Bool {
        guard let hubOrg = try node.knownHub() else { return false }
        return try node.store.status().outbox == 0 && node.store.versionVector()[hubOrg] >= hubCounter
    }

    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A field of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
    static func residentKiB(pid: Int32, field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }
}

/// Samples a process's resident set every 20 ms on a thread of its own.
final class MemorySampler: @unchecked Sendable {
    // @unchecked: the counters are touched under `lock`.
    private let pid: Int32
    private let lock = NSLock()
    private var running = false
    private var peak = 0
    private var samples = 0

    init(pid: Int32) { self.pid = pid }

    func start() {
        lock.withLock { running = true }
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                if let kib = CatchUpBenchmark.residentKiB(pid: pid, field: "VmRSS") {
                    lock.withLock {
                        peak = max(peak, kib)
                        samples += 1
                    }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    func stop() { lock.withLock { running = false } }
    var peakKiB: Int { lock.withLock { peak } }
    var sampleCount: Int { lock.withLock { samples } }
}
