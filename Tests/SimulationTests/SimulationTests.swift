import Foundation
import Simulation
import Testing

/// Goal: the network converges with every invariant holding, whatever the faults; and a run replays exactly from
/// its seed. Method: run the simulator (hub + county nodes in one process, seeded workload, drops, duplicates,
/// delays, partitions, one-way days, crashes during imports and after exports, clock skew, freezes, rate
/// changes and key rotations) and compare two runs of one seed by trace and by a fingerprint of every replica.
@Suite(.serialized) struct SimulationTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func seededRunWithFaultsConvergesAndKeepsEveryInvariant(seed: UInt64) throws {
        let simulator = try Simulator(SimulationConfiguration(seed: seed, nodes: 3, days: 5))
        defer { simulator.remove() }
        let result = try simulator.run()
        #expect(result.passed, "seed=\(seed): \(result.violations)\n\(result.trace.events.joined(separator: "\n"))")
        #expect(result.counts.faults > 0, "seed=\(seed) injected no fault")
        #expect(result.counts.invariantsChecked > 20)
        // Both shipped import paths ran: uploads as bytes (the HTTP server's) and files from an inbox (`import`'s).
        #expect(result.counts.deliveredAsFiles > 0, "seed=\(seed) carried no file")
        #expect(result.counts.delivered > result.counts.deliveredAsFiles, "seed=\(seed) uploaded nothing")
    }

    /// Issue 10: counties on the release before (the compatibility writer) beside a hub of this release, each upgrading on
    /// a day drawn from the seed. Every invariant holds; none of them was ever sent what its release cannot represent
    /// (it would have refused it for good); what the hub held for them reached them after their upgrade; and the run
    /// replays exactly.
    @Test(arguments: [5, 6, 7, 8] as [UInt64])
    func countiesOnTheReleaseBeforeUpgradeOnRandomDaysAndLoseNothing(seed: UInt64) throws {
        func run() throws -> SimulationResult {
            var configuration = SimulationConfiguration(seed: seed, nodes: 4, days: 6)
            configuration.olderReleasePercent = 75
            let simulator = try Simulator(configuration)
            defer { simulator.remove() }
            return try simulator.run()
        }
        let result = try run()
        #expect(result.passed, "seed=\(seed) older releases: \(result.violations)\n\(result.trace.events.joined(separator: "\n"))")
        #expect(result.counts.olderReleaseNodes > 0, "seed=\(seed) started no county on the release before")
        #expect(result.counts.upgrades == result.counts.olderReleaseNodes, "seed=\(seed): every such county upgraded by the end")
        #expect(result.counts.changesHeldAtUpgrade > 0, "seed=\(seed): the hub held something for a county one release behind")
        if seed == 5 {
            let again = try run()
            #expect(again.fingerprint == result.fingerprint && again.trace.events == result.trace.events, "seed=5 replays exactly")
        }
    }

    @Test func aRunReplaysExactlyFromItsSeed() throws {
        func run() throws -> SimulationResult {
            let simulator = try Simulator(SimulationConfiguration(seed: 77, nodes: 3, days: 4))
            defer { simulator.remove() }
            return try simulator.run()
        }
        let first = try run(), second = try run()
        #expect(first.passed && second.passed, "seed=77")
        #expect(first.trace.events == second.trace.events, "seed=77: the same trace")
        #expect(first.fingerprint == second.fingerprint, "seed=77: byte-identical replicas")
        #expect(first.counts == second.counts)
    }

    /// 2/6, a hostile office: the last county forges origins, replays others' batches, books amounts above the cap and
    /// signs with unenrolled keys, and (4/6) forges its manager's signature. Every invariant still holds for every office,
    /// only its link carries alerts, and every forged signature was refused.
    @Test(arguments: [4, 27] as [UInt64])
    func aDishonestOfficeChangesNoHonestOfficesBooks(seed: UInt64) throws {
        var configuration = SimulationConfiguration(seed: seed, nodes: 3, days: 6)
        configuration.byzantine = true
        configuration.byzantineActProbabilityPercent = 100
        let simulator = try Simulator(configuration)
        defer { simulator.remove() }
        let result = try simulator.run()
        #expect(result.passed, "seed=\(seed) byzantine: \(result.violations)\n\(result.trace.events.joined(separator: "\n"))")
        let attacks = result.counts.forgedOrigins + result.counts.replayedForeignBatches + result.counts.overCapVouchers
            + result.counts.unknownKeyBatches + result.counts.forgedSignatures
        #expect(attacks >= 6, "seed=\(seed): the dishonest office attacked every day (\(attacks))")
    }

    @Test func withoutFaultsEverythingConvergesToo() throws {
        var configuration = SimulationConfiguration(seed: 5, nodes: 2, days: 3)
        configuration.faults = false
        let simulator = try Simulator(configuration)
        defer { simulator.remove() }
        let result = try simulator.run()
        #expect(result.passed, "seed=5 without faults: \(result.violations)")
        #expect(result.counts.faults == 0)
    }
}
