import BatchWire
import Foundation

/// A batch that was opened and verified (`BatchInbox.openBytes`) and waits to be applied: its header, its decoded
/// changes and the hash of its bytes (kept in the received-batch log).
public struct OpenedBatch: Sendable {
    public var header: BatchHeader
    public var changes: [DecodedChange]
    public var fileHash: String

    public init(header: BatchHeader, changes: [DecodedChange], fileHash: String) {
        self.header = header
        self.changes = changes
        self.fileHash = fileHash
    }
}
