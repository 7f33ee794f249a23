import LedgerCore

/// A verified, decoded batch handed to the replica: the header fields that drive streams and acknowledgements,
/// and the changes with their canonical record bytes.
public struct IncomingBatch: Sendable {
    public var sender: OrgCode
    public var batchSequence: UInt64
    public var firstStreamPosition: UInt64
    public var ackStreamPosition: UInt64
    public var ackVector: VersionVector
    /// Hex hash of the whole file, kept in the received-batch log for audit.
    public var fileHash: String
    public var changes: [(change: Change, record: ArraySlice<UInt8>)]
    /// The sender was restored or rebuilt and asks for resync (header flag; PROTOCOL.md §8.8). Only a node sets it,
    /// and only the hub acts on it.
    public var resyncRequested: Bool

    public init(sender: OrgCode, batchSequence: UInt64, firstStreamPosition: UInt64, ackStreamPosition: UInt64,
                ackVector: VersionVector, fileHash: String, changes: [(change: Change, record: ArraySlice<UInt8>)],
                resyncRequested: Bool = false) {
        self.resyncRequested = resyncRequested
        self.sender = sender
        self.batchSequence = batchSequence
        self.firstStreamPosition = firstStreamPosition
        self.ackStreamPosition = ackStreamPosition
        self.ackVector = ackVector
        self.fileHash = fileHash
        self.changes = changes
    }
}

/// What receiving one batch did.
public struct ReceiveOutcome: Equatable, Sendable {
    public var changeCount = 0
    public var applied = 0
    public var rejected = 0
    /// Changes already received before (by stream position or by id): applying twice is a no-op.
    public var duplicates = 0
    /// Changes of this batch left waiting for an earlier position or a dependency.
    public var waiting = 0
    /// Earlier waiting changes that this batch released.
    public var released = 0
    /// Outbox entries the sender's acknowledgement removed.
    public var acknowledged = 0
    /// Changes whose id this replica already holds with other content: a fork of their origin (restored from an old
    /// backup, or its key used elsewhere). Not applied; at the hub, a security alert.
    public var forks = 0
    /// At the hub: the batch asked for resync (§8.8) and this receipt queued the answer.
    public var resyncAnswered = false
    /// At the hub: changes of a batch its node sealed before it was restored and took the hub's resync answer (§8.8);
    /// not applied, since the node now uses those positions and counters for other changes.
    public var superseded = 0

    public init() {}

    /// True when the batch brought nothing new: a replay.
    public var isAlreadyApplied: Bool {
        applied == 0 && rejected == 0 && waiting == 0 && released == 0 && acknowledged == 0 && forks == 0 && !resyncAnswered
            && superseded == 0
    }
}
