import LedgerCore

/// Why the replica refused an operation. Bad input and operating conditions are thrown with a clear message;
/// database-level failures carry GRDB's error in `underlying`.
public struct ReplicaStoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: Hashable, Sendable {
        case notInitialized(path: String)
        case alreadyInitialized(path: String)
        case wrongRole(expected: String, actual: String)
        case unknownPeer(String)
        case integrity(String)
        case invalidInput(String)
        /// `OfficeLock`: the data folder is held by another process (`holder` says which, as it wrote itself).
        case officeBusy(path: String, holder: String)
        /// The data folder was written by a newer release than this binary (its schema or its recorded release).
        case newerRelease(path: String, release: String, ownRelease: Int)
        /// A restored or rebuilt node waits for the hub's resync answer and posts nothing until then (§8.8).
        case resyncPending(String)
        /// A migration of an older folder failed; the folder was put back from the copy taken before the upgrade.
        case upgradeFailed(path: String, reason: String, backup: String)
    }

    public var code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .notInitialized(let path): "no FundSync replica at \(path); run 'fundsync hub init' or 'fundsync node init' first"
        case .alreadyInitialized(let path): "\(path) already holds a FundSync replica"
        case .wrongRole(let expected, let actual): "this command needs a \(expected) replica, but this one is a \(actual)"
        case .unknownPeer(let peer): "\(peer) is not a peer of this replica"
        case .integrity(let detail): "integrity problem: \(detail)"
        case .invalidInput(let detail): detail
        case .officeBusy(let path, let holder): "\(path) is being served by \(holder); stop it first"
        case .upgradeFailed(let path, let reason, let backup):
            "\(path) could not be upgraded to FundSync release \(FundSyncRelease.number): \(reason). It was put back exactly as it was, "
                + "from the copy taken before the upgrade (\(backup)); nothing of the upgrade remains. Keep the folder and that copy, "
                + "and report the message"
        case .newerRelease(let path, let release, let own):
            "\(path) was written by FundSync release \(release), newer than this binary (release \(own)); it was not opened "
                + "or changed: run the newer release, or restore a backup taken before the upgrade"
        case .resyncPending(let state):
            "this office was restored from a backup (or rebuilt) and may not post yet: \(state)"
        }
    }
}
