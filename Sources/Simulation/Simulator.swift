import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting

/// A hub and K county nodes in one process, driven day by day from one seed (TigerBeetle's VOPR, FoundationDB's
/// simulation): a workload drawn from the business, a network and sneakernet that drop, duplicate, delay and
/// partition batches and carry them one way only, crashes in the middle of imports and after exports, skewed
/// clocks, and registry changes mid-run. After the network heals, `InvariantChecker` checks every invariant.
///
/// ```swift
/// let result = try Simulator(SimulationConfiguration(seed: 42, nodes: 4, days: 6)).run()
/// if !result.passed { print(result.violations, result.trace.events) }
/// ```
public final class Simulator {
    let configuration: SimulationConfiguration
    var random: SeededGenerator
    let root: URL
    let time: ManualClock
    var hub: Hub { didSet { hub.store.signer = keyring } }
    /// Every office opened, reopened after a crash or restored from a backup gets the people's keys (4/6).
    /// A county on the release before signs nothing (release 1 had no personal keys), nor after its upgrade until its people's
    /// certificates, held for it until then, have arrived (`Simulator+Upgrades`).
    var nodes: [OrgCode: Node] = [:] {
        didSet { for node in nodes.values where node.store.signer == nil && !unsignedOffices.contains(node.org) { node.store.signer = keyring } }
    }
    /// The people's keys, seeded from their staff ids (`PersonalKeys`), certified by the hub at set-up: every document
    /// of the run is signed by the people it names, and the hub checks every signature.
    var keyring: PersonalKeyring? {
        didSet {
            hub.store.signer = keyring
            for node in nodes.values where !unsignedOffices.contains(node.org) { node.store.signer = keyring }
        }
    }
    var clocks: [OrgCode: SkewedClock] = [:]
    var network = SimulatedNetwork()
    var counts = SimulationCounts()
    var trace = SimulationTrace()
    var day = 0
    /// Forged batches of a Byzantine run that reached the hub's import (each must raise one security alert).
    var forgedOriginsDelivered = 0
    /// Vouchers of a Byzantine run whose reviewer's signature the dishonest clerk forged (each must be rejected).
    var forgedSignatureVouchers: [String] = []
    /// Each county's latest backup and the day it was taken (`Simulator+Restore`).
    var backups: [OrgCode: URL] = [:]
    /// Issue 10: the release each county runs, the day a county on the release before upgrades, and the offices that do
    /// not sign yet (`Simulator+Upgrades`).
    var releases: [OrgCode: Int] = [:]
    var upgradeDays: [OrgCode: Int] = [:]
    var unsignedOffices: Set<OrgCode> = []
    var backupDays: [OrgCode: Int] = [:]
    static let province = OrgCode("340000")!
    static let start = BusinessDate("2026-11-02")!

    /// Connects the hub's store to a store of record (`fundsync simulate --postgres`): called with `true` once the
    /// hub exists, before the world is built, and with `false` each time the hub is opened again after a crash (as
    /// every process opening a hub on PostgreSQL does).
    public typealias HubStoreAttachment = (_ store: ReplicaStore, _ seeding: Bool) throws -> Void
    let attachHubStore: HubStoreAttachment?

    public init(_ configuration: SimulationConfiguration, folder: URL? = nil, attachHubStore: HubStoreAttachment? = nil) throws {
        self.configuration = configuration
        self.attachHubStore = attachHubStore
        random = SeededGenerator(seed: configuration.seed)
        root = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-sim-\(configuration.seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        time = ManualClock(milliseconds: Int64(Self.start.daysSinceEpoch) * 86_400_000 + 8 * 3_600_000)
        let hubClock = SkewedClock(time: time, skewMilliseconds: 0)
        hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: Self.province, name: "Anhui",
                                 clock: hubClock, signingKey: try SigningKey.ed25519(seed: random.bytes32()))
        clocks[Self.province] = hubClock
        try attachHubStore?(hub.store, true)
        try WorldBuilder(simulator: self).build()
    }

    /// Removes the run's folder.
    /// The hub's replica as the run left it (the simulation's PostgreSQL check copies it, `fundsync simulate --postgres`).
    public var hubStore: ReplicaStore { hub.store }

    public func remove() { try? FileManager.default.removeItem(at: root) }

    var today: BusinessDate { BusinessDate.fromDaysSinceEpoch(Self.start.daysSinceEpoch + day) }
    var codes: [OrgCode] { nodes.keys.sorted() }

    func record(_ event: String) { trace.record(day: day, event) }

    /// Runs every day, heals the network, checks the invariants.
    public func run() throws -> SimulationResult {
        for current in 0..<configuration.days {
            day = current
            try upgradeDueNodes()
            try loseDisksAndRestore()
            try Workload(simulator: self).runDay()
            try exchange(faulty: configuration.faults)
            try byzantineDay()
            try deliverDue()
            try takeBackups()
            time.advance(milliseconds: 86_400_000)
        }
        day = configuration.days
        try upgradeDueNodes()
        try heal()
        var checker = InvariantChecker(simulator: self)
        let violations = try checker.check()
        counts.invariantsChecked += checker.checked
        return SimulationResult(configuration: configuration, counts: counts, fingerprint: try fingerprint(), violations: violations,
                                trace: trace)
    }

    /// Fault-free rounds of exchange until nothing is left to send and nothing waits.
    func heal() throws {
        for round in 1...configuration.healRoundsMax {
            try exchange(faulty: false)
            network.releaseAll()
            try deliverDue()
            if try isQuiescent() {
                record("healed after \(round) round(s)")
                return
            }
        }
        record("did not heal within \(configuration.healRoundsMax) rounds")
    }

    func isQuiescent() throws -> Bool {
        guard try hub.store.status().outbox == 0, try hub.store.status().pending == 0, network.isEmpty else { return false }
        for node in nodes.values where try node.store.status().outbox > 0 || node.store.status().pending > 0 { return false }
        return true
    }

    /// SHA-256 over the canonical dumps of every replica: identical for two runs of one seed.
    func fingerprint() throws -> String {
        var text = try hub.store.canonicalDump()
        for code in codes { text += "\n#### \(code)\n" + (try nodes[code]!.store.canonicalDump()) }
        return hexString(PayloadHashAlgorithm.sha256.digest(Array(text.utf8)))
    }
}
