import BatchWire
import FSBuildInfo
import LedgerCore

/// What `fundsync --version` prints: the release, the git commit the binary was built from, and the batch format
/// versions it reads and writes, so that an administrator can tell which office runs what.
enum BuildInfo {
    static var gitCommit: String { String(cString: fundsync_git_commit()) }
    /// The release, for `fundsync_build_info`.
    static var release: String { FundSyncRelease.version }

    static var versionText: String {
        """
        fundsync \(FundSyncRelease.version) (release \(FundSyncRelease.number))
        commit \(gitCommit)
        batch format versions \(BatchFormat.version) (plain) and \(BatchFormat.encryptedVersion) (encrypted); reads releases \(FundSyncRelease.oldestReadable) to \(FundSyncRelease.number)
        """
    }
}
