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
    /// Per office: its wall clock is off by up to this many hours.
    public var clockSkewHoursMax = 6
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

/// SplitMix64: small, fast and reproducible on every platform (the standard library's generator is not).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with the given probability.
    public mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// 32 random bytes (a key seed).
    public mutating func bytes32() -> [UInt8] {
        (0..<4).flatMap { _ -> [UInt8] in
            let word = next()
            return (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) }
        }
    }
}
