import BatchWire
import LedgerCore
import ReplicaStore

// The only place where the wire's header meets the replica's view of a batch.

extension OutgoingBatch {
    /// The header fields of this batch as sent by `sender` at `nowMilliseconds`.
    public func addressing(from sender: OrgCode, at nowMilliseconds: Int64) -> BatchAddressing {
        BatchAddressing(sender: sender, recipient: peer, batchSequence: batchSequence, firstStreamPosition: firstStreamPosition,
                        ackStreamPosition: ackStreamPosition, ackVector: ackVector, createdAtMilliseconds: nowMilliseconds,
                        flags: resyncRequested ? .resyncRequested : [])
    }
}

extension IncomingBatch {
    /// The replica's view of a verified batch: its stream fields, the file's hash and the decoded changes.
    public init(header: BatchHeader, changes: [DecodedChange], fileHash: String) {
        self.init(sender: header.sender, batchSequence: header.batchSequence, firstStreamPosition: header.firstStreamPosition,
                  ackStreamPosition: header.ackStreamPosition, ackVector: header.ackVector, fileHash: fileHash,
                  changes: changes.map { ($0.change, $0.record) }, resyncRequested: header.flags.contains(.resyncRequested))
    }
}
