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
final class WriteStateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var vector: VersionVector?
    private var registryView: (any Sendable)?

    func load() -> (vector: VersionVector?, registryView: (any Sendable)?) {
        lock.withLock { (vector, registryView) }
    }

    func store(vector: VersionVector, registryView: (any Sendable)?) {
        lock.withLock {
            self.vector = vector
            self.registryView = registryView
        }
    }

    func clear() {
        lock.withLock {
            vector = nil
            registryView = nil
        }
    }
}
