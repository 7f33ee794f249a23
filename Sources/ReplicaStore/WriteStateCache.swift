import Foundation
import LedgerCore

/// What one write transaction leaves for the next, so a small batch does not re-read state that grows with the
/// province (5/6): the version vector (one entry per office) and the policy's view of the registry (the hub's org tree
/// and nodes, `ReplicaTransaction.registryView`).
///
/// Only write transactions use it, and they are serial: each one starts from what the last successful one left and
/// stores what it ends with, just before its commit. A write that throws (a rule's refusal, storage, a failed commit)
/// clears it, so the next write reads the database again; a write can therefore never start from state that was
/// rolled back. Read transactions always read the database (they may run beside a write).
///
/// Another process may write the same replica between two of this process's writes (`fundsync sync` beside `node
/// serve`, an administrator's command beside `hub serve`: SQLite serialises them, DESIGN.md §7). The cache is therefore
/// used only when SQLite's `PRAGMA data_version` on the writer's connection is what it was when the cache was stored:
/// it changes exactly when another connection committed.
final class WriteStateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var vector: VersionVector?
    private var registryView: (any Sendable)?
    private var dataVersion: Int64?

    /// What the last write left, if nothing else has written since (`dataVersion` as read now in the write).
    func load(dataVersion current: Int64) -> (vector: VersionVector?, registryView: (any Sendable)?) {
        lock.withLock { dataVersion == current ? (vector, registryView) : (nil, nil) }
    }

    func store(vector: VersionVector, registryView: (any Sendable)?, dataVersion: Int64) {
        lock.withLock {
            self.vector = vector
            self.registryView = registryView
            self.dataVersion = dataVersion
        }
    }

    func clear() {
        lock.withLock {
            vector = nil
            registryView = nil
            dataVersion = nil
        }
    }
}
