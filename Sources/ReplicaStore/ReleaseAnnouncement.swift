import Foundation
import LedgerCore

/// Which release a node's replica announces (PROTOCOL.md §6.28), shared by the threads that use the store: set by the
/// node that opens it (`Node`), `nil` for a hub and for a node run as release 1 (which announced nothing).
final class ReleaseAnnouncementBox: @unchecked Sendable {
    private let lock = NSLock()
    private var release: Int?
    /// The release whose row the replica is known to hold, so the check costs one lookup per store, not per write.
    private var written: Int?

    var value: Int? {
        get { lock.withLock { release } }
        set { lock.withLock { release = newValue } }
    }

    func isWritten(_ release: Int) -> Bool { lock.withLock { written == release } }
    func markWritten(_ release: Int) { lock.withLock { written = release } }
}

extension ReplicaStore {
    /// The release this node announces to its hub: its `office_release` row is written before the first change the
    /// node writes at that release (and before it seals a batch, `Node.announceRelease`), so every batch sealed after
    /// an upgrade carries it ahead of the changes written since.
    public var releaseToAnnounce: Int? {
        get { releaseAnnouncement.value }
        set { releaseAnnouncement.value = newValue }
    }
}

extension ReplicaTransaction {
    /// Writes this node's `office_release` row for the release its store announces, unless the replica holds it. Called
    /// before a node's local write and before it seals; a node waiting for its resync writes nothing.
    /// - Returns: true when it wrote the row now.
    @discardableResult
    public func announceRelease() throws -> Bool {
        guard role == .node, let release = releaseAnnouncement.value, release >= 2, !releaseAnnouncement.isWritten(release),
              try resync() == nil, policy != nil else { return false }
        let key = "\(org.rawValue):\(release)"
        if try document(.officeRelease, key) != nil {
            // Remembered only when an earlier, committed transaction wrote it: this one could still roll back.
            if !releaseRowWrittenHere { releaseAnnouncement.markWritten(release) }
            return false
        }
        try appendLocal(table: .officeRelease, key: key, operation: .insert, fields: [
            "org": .text(org.rawValue),
            "number": .integer(Int64(release)),
            "version": .text(FundSyncRelease.version),
            "formats": .text(ReleaseCapabilities(release: release).formatVersions.sorted().map(String.init).joined(separator: ",")),
        ])
        releaseRowWrittenHere = true
        return true
    }
}
