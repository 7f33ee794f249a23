import ArgumentParser
import Foundation
import HubPostgres
import ReplicaStore
import Simulation

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the deterministic simulation of a hub and county nodes with faults; replay any run from its seed.",
        discussion: """
            One seed gives one run: the same trace and byte-identical replicas. --seeds A-B runs a fixed set (what CI \
            does); --minutes M runs random seeds for M minutes. A failure prints its seed and the last events.

            Examples:
              fundsync simulate --seed 42 --nodes 4 --days 8        # one run; replays exactly
              fundsync simulate --seeds 1-100 --byzantine           # the last county is dishonest
              fundsync simulate --minutes 10 --disk-loss-percent 25
              fundsync simulate --seeds 1-20 --older-release-percent 50   # half the counties upgrade during the run
              fundsync simulate --seeds 1-20 --postgres postgres://fundsync@127.0.0.1:5432/fundsync   # each hub on PostgreSQL
            """)
    @Option(help: "The seed of one run.") var seed: UInt64?
    @Option(help: "A range of seeds, e.g. 1-100.") var seeds: String?
    @Option(help: "Run random seeds for this many minutes.") var minutes: Double?
    @Option(help: "County nodes.") var nodes = 3
    @Option(help: "Business days.") var days = 5
    @Flag(help: "Turn every fault off.") var noFaults = false
    @Flag(help: "Make the last county dishonest: forged origins, replays of others' batches, amounts above the cap, unenrolled keys, forged signatures.")
    var byzantine = false
    @Flag(help: "Print the trace of each run.") var trace = false
    @Option(name: .customLong("older-release-percent"),
            help: "Per county: the chance it starts on the release before this one and upgrades on a day of the run (0…100).")
    var olderReleasePercent = 0
    @Option(name: .customLong("disk-loss-percent"),
            help: "Per honest county and day with a backup: the chance its disk is lost and it is restored from the backup (0…100).")
    var diskLossPercent = SimulationConfiguration(seed: 0, nodes: 1, days: 1).diskLossProbabilityPercent
    @Option(name: .customLong("postgres"),
            help: ArgumentHelp("After each run, copy its hub into a new database on this PostgreSQL server (the role may create databases) and check the copy (`hub migrate-store`); a difference fails the run.", valueName: "URL"))
    var postgres: String?

    func validate() throws {
        guard [seed != nil, seeds != nil, minutes != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --seed, --seeds and --minutes")
        }
        guard (0...100).contains(diskLossPercent) else { throw ValidationError("--disk-loss-percent is a percentage, 0…100") }
        guard (0...100).contains(olderReleasePercent) else { throw ValidationError("--older-release-percent is a percentage, 0…100") }
    }

    func run() throws {
        let server = try postgres.map { try PostgresSettings($0) }
        let admin = try server.map { try PostgresLink.connect($0) }
        var totals = SimulationCounts(), runs = 0, failures: [UInt64] = [], copiedRows = 0
        func simulate(_ seed: UInt64) throws {
            var configuration = SimulationConfiguration(seed: seed, nodes: nodes, days: days)
            configuration.byzantine = byzantine
            configuration.faults = !noFaults
            configuration.diskLossProbabilityPercent = diskLossPercent
            configuration.olderReleasePercent = olderReleasePercent
            let storeOfRecord = try server.map { try SimulatedStoreOfRecord(seed: seed, server: $0, admin: admin!) }
            defer { storeOfRecord?.drop() }
            let simulator = try Simulator(configuration, attachHubStore: storeOfRecord.map { record in { store, seeding in try record.attach(store, seeding: seeding) } })
            defer { simulator.remove() }
            var result = try simulator.run()
            if let storeOfRecord, result.passed {
                do { copiedRows += try storeOfRecord.check(simulator.hubStore) } catch {
                    result.violations.append("the hub's PostgreSQL store of record: \(error)")
                }
            }
            runs += 1
            add(result.counts, to: &totals)
            if trace || !result.passed { for event in result.trace.events { print("    \(event)") } }
            if result.passed {
                print("seed=\(seed) ok: \(result.counts.faults) faults, \(result.counts.invariantsChecked) invariants, fingerprint \(result.fingerprint.prefix(16))")
            } else {
                failures.append(seed)
                print("seed=\(seed) FAILED (replay: fundsync simulate --seed \(seed) --nodes \(nodes) --days \(days))")
                for violation in result.violations { print("  violation: \(violation)") }
            }
        }
        if let seed { try simulate(seed) }
        if let seeds {
            let bounds = seeds.split(separator: "-").compactMap { UInt64($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1] else { throw ValidationError("--seeds must look like 1-100") }
            for seed in bounds[0]...bounds[1] { try simulate(seed) }
        }
        if let minutes {
            let deadline = Date().addingTimeInterval(minutes * 60)
            var generator = SystemRandomNumberGenerator()
            while Date() < deadline { try simulate(UInt64.random(in: 1...UInt64(UInt32.max), using: &generator)) }
        }
        let faults: [String] = [
            "dropped \(totals.dropped)", "duplicated \(totals.duplicated)", "delayed \(totals.delayed)",
            "partitions \(totals.partitions)", "one-way days \(totals.oneWayDays)",
            "crashes during import \(totals.crashesDuringImport)", "crashes after export \(totals.crashesAfterExport)",
            "disks lost and restored \(totals.diskLosses)",
            "key rotations \(totals.keyRotations)", "freezes \(totals.freezes)", "hub's own accounts frozen \(totals.hubAccountFreezes)",
            "periods closed \(totals.periodLocks)", "refused batches \(totals.refusedBatches)",
        ]
        let releases = olderReleasePercent > 0 ? "; counties on the release before \(totals.olderReleaseNodes), upgraded \(totals.upgrades), changes held for them until then \(totals.changesHeldAtUpgrade)" : ""
        let attacks = byzantine ? "; dishonest office: forged origins \(totals.forgedOrigins), replayed batches \(totals.replayedForeignBatches), "
            + "above the cap \(totals.overCapVouchers), unenrolled keys \(totals.unknownKeyBatches), forged signatures \(totals.forgedSignatures)" : ""
        print("\(runs) run(s), \(failures.count) failed; faults injected: " + faults.joined(separator: ", ") + attacks
              + releases + "; documents \(totals.documents); batches imported \(totals.delivered) (\(totals.deliveredAsFiles) as files, the rest "
              + "as uploads); invariants checked \(totals.invariantsChecked)")
        if postgres != nil { print("PostgreSQL: every run's hub wrote to its own database as its store of record; every passing run's database checked equal to the hub (\(copiedRows) rows)") }
        print("\(runs - failures.count) passed, \(failures.count) failed")
        if !failures.isEmpty { throw ExitCode(1) }
    }

    func add(_ counts: SimulationCounts, to totals: inout SimulationCounts) {
        totals.dropped += counts.dropped
        totals.olderReleaseNodes += counts.olderReleaseNodes
        totals.upgrades += counts.upgrades
        totals.changesHeldAtUpgrade += counts.changesHeldAtUpgrade
        totals.duplicated += counts.duplicated
        totals.delayed += counts.delayed
        totals.partitions += counts.partitions
        totals.oneWayDays += counts.oneWayDays
        totals.crashesDuringImport += counts.crashesDuringImport
        totals.crashesAfterExport += counts.crashesAfterExport
        totals.diskLosses += counts.diskLosses
        totals.delivered += counts.delivered
        totals.hubAccountFreezes += counts.hubAccountFreezes
        totals.periodLocks += counts.periodLocks
        totals.forgedOrigins += counts.forgedOrigins
        totals.replayedForeignBatches += counts.replayedForeignBatches
        totals.overCapVouchers += counts.overCapVouchers
        totals.unknownKeyBatches += counts.unknownKeyBatches
        totals.forgedSignatures += counts.forgedSignatures
        totals.deliveredAsFiles += counts.deliveredAsFiles
        totals.keyRotations += counts.keyRotations
        totals.freezes += counts.freezes
        totals.refusedBatches += counts.refusedBatches
        totals.documents += counts.documents
        totals.invariantsChecked += counts.invariantsChecked
    }
}

/// One simulated run's PostgreSQL store of record: a database of its own, seeded when the hub is made, attached again
/// each time the hub reopens after a crash, checked against the hub at the end, then dropped.
final class SimulatedStoreOfRecord {
    let name: String
    let settings: PostgresSettings
    let admin: PostgresLink
    private var mirrors: [PostgresStoreOfRecord] = []

    init(seed: UInt64, server: PostgresSettings, admin: PostgresLink) throws {
        name = "fundsync_sim_\(seed)_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute("CREATE DATABASE \(name)")
        settings = server.database(name)
        self.admin = admin
    }

    func attach(_ store: ReplicaStore, seeding: Bool) throws {
        if seeding {
            mirrors.append(try HubStoreOfRecord.seed(store, settings: settings))
        } else {
            let mirror = PostgresStoreOfRecord(settings: settings)
            try store.attachStoreOfRecord(mirror)
            mirrors.append(mirror)
        }
    }

    /// The rows the database holds, after checking it equals the hub's working copy.
    func check(_ store: ReplicaStore) throws -> Int {
        let link = try PostgresLink.connect(settings)
        defer { link.close() }
        let check = try HubStoreCheck.compare(store, link)
        guard check.passed else { throw PostgresStoreError.unexpectedValue(check.differences.joined(separator: "; ")) }
        return check.tables.reduce(0) { $0 + $1.sqlite.rows }
    }

    func drop() {
        for mirror in mirrors { mirror.close() }
        // Our sessions closed first; a plain DROP also stops an autovacuum worker in it (WITH (FORCE) would need the
        // right to signal it, which the hub's role does not have).
        do { try admin.execute("DROP DATABASE IF EXISTS \(name)") } catch { writeError("could not drop \(name): \(error)") }
    }
}
