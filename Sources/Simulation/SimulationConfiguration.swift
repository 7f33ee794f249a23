/// What one simulated run does: its seed, size, and the probabilities of every fault it injects.
///
/// Everything random in a run is drawn from `seed`, so `fundsync simulate --seed N` replays a run exactly.
public struct SimulationConfiguration: Sendable, Equatable {
    public var seed: UInt64
    public var nodes: Int
    public var days: Int
    /// Turn every fault off (the baseline that must trivially converge).
    public var faults: Bool = true
    /// Per batch in flight.
    public var dropProbabilityPercent = 10
    public var duplicateProbabilityPercent = 10
    /// A batch is delayed 0…`delayDaysMax` days.
    public var delayDaysMax = 2
    /// Per node and day: it goes offline (partitioned) for 1…`partitionDaysMax` days.
    public var partitionProbabilityPercent = 8
    public var partitionDaysMax = 3
    /// Per node and day: only one direction of its link carries files that day.
    public var oneWayProbabilityPercent = 10
    /// Per import: the process crashes in the middle of it (transaction aborted, database reopened).
    public var crashDuringImportProbabilityPercent = 5
    /// Per export: the process crashes after building the batch and before it leaves (the batch is lost).
    public var crashAfterExportProbabilityPercent = 5
    /// Per honest county and day, when it has a backup: its disk is lost and it is restored from that backup, then
    /// resyncs with the hub (`Simulator+Restore`). Backups are taken on about half of the evenings.
    public var diskLossProbabilityPercent = 2
    /// Per office: its wall clock is off by up to this many hours.
    public var clockSkewHoursMax = 6
    /// One county is dishonest and attacks on some days (`Simulator+Byzantine`): forged origins, replays of others'
    /// batches, amounts above the cap, batches signed with unenrolled keys.
    public var byzantine = false
    /// Per day of a Byzantine run: the dishonest office attacks.
    public var byzantineActProbabilityPercent = 50
    /// Per county: it starts on the release before this one (issue 10: the compatibility writer, `Node.running(asRelease:)`),
    /// enrolled as such, and upgrades on a day drawn from the seed (at the latest after the last day, before healing).
    /// 0 draws nothing, so the runs of every other seed stay as they were.
    public var olderReleasePercent = 0
    /// Rounds of full, fault-free exchange after the run, for the network to heal.
    public var healRoundsMax = 12

    public init(seed: UInt64, nodes: Int, days: Int) {
        precondition(nodes >= 1 && nodes <= 60, "1…60 simulated nodes")
        precondition(days >= 1 && days <= 60, "1…60 simulated days")
        self.seed = seed
        self.nodes = nodes
        self.days = days
    }
}
