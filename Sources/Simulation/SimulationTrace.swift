/// The last events of a run, printed with the seed when an invariant fails, so the failure can be understood and
/// replayed (`fundsync simulate --seed N`).
public struct SimulationTrace: Sendable {
    public private(set) var events: [String] = []
    public private(set) var count = 0
    let capacity: Int

    init(capacity: Int = 40) { self.capacity = capacity }

    mutating func record(day: Int, _ event: String) {
        count += 1
        events.append("day \(day): \(event)")
        if events.count > capacity { events.removeFirst(events.count - capacity) }
    }
}

/// Counts of what a run injected and checked.
public struct SimulationCounts: Sendable, Equatable, Codable {
    public var dropped = 0
    public var duplicated = 0
    public var delayed = 0
    public var partitions = 0
    public var oneWayDays = 0
    public var crashesDuringImport = 0
    public var crashesAfterExport = 0
    /// Honest counties that lost their disk and were restored from a backup (then resynced with the hub).
    public var diskLosses = 0
    public var keyRotations = 0
    public var freezes = 0
    /// Issue 9's faults: the hub froze one of its own accounts, or closed a period.
    public var hubAccountFreezes = 0
    public var periodLocks = 0
    public var rateChanges = 0
    public var refusedBatches = 0
    /// Verified batches an office could not apply (not an injected crash): a stuck stream if they go on.
    public var failedImports = 0
    /// What the dishonest office of a Byzantine run did.
    public var forgedOrigins = 0
    public var replayedForeignBatches = 0
    public var overCapVouchers = 0
    public var unknownKeyBatches = 0
    /// Vouchers on which the dishonest clerk forged the reviewer's signature (4/6).
    public var forgedSignatures = 0
    /// Counties that started on the release before (issue 10), and upgrades done.
    public var olderReleaseNodes = 0
    public var upgrades = 0
    /// Changes the hub held for those counties, counted when each upgraded (each was then sent, none dropped).
    public var changesHeldAtUpgrade = 0
    /// Batches imported through the shipped path (`BatchExchange`): uploaded as bytes, or carried as files.
    public var delivered = 0
    public var deliveredAsFiles = 0
    public var documents = 0
    public var invariantsChecked = 0

    public init() {}

    public var faults: Int {
        dropped + duplicated + delayed + partitions + oneWayDays + crashesDuringImport + crashesAfterExport + diskLosses
    }
}

/// The outcome of one run.
public struct SimulationResult: Sendable {
    public var configuration: SimulationConfiguration
    public var counts: SimulationCounts
    /// SHA-256 of every replica's canonical dump: equal for two runs of the same seed.
    public var fingerprint: String
    /// Invariant violations (empty when the run passed).
    public var violations: [String]
    public var trace: SimulationTrace

    public var passed: Bool { violations.isEmpty }
}
