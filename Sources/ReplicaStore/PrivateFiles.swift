import Foundation

/// Files and folders only the office's own user may read: data folders 0700; replicas, backups and keys 0600,
/// whatever the umask of the shell or service that runs FundSync (issue 2/6, finding 8).
///
/// Why create, not chmod afterwards: a file created with the umask's mode and tightened later is readable by
/// others for a moment, and not at all private if the process dies in between. Here the file is opened with mode
/// 0600 and `O_EXCL` from the first byte, and `fchmod` sets exactly 0600 in case the umask took bits away.
/// SQLite creates its `-wal` and `-shm` files with the mode of the database file, so they follow.
public enum PrivateFiles {
    /// Creates `url` as a folder with mode 0700, or sets 0700 on an existing one.
    public static func makeFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard chmod(url.path, 0o700) == 0 else { throw ReplicaStoreError(.invalidInput("cannot make \(url.path) private: errno \(errno)")) }
    }

    /// Creates a new file at `url` with mode 0600 and `contents` (empty for a database SQLite will fill), synced
    /// to disk. Refuses a file that already exists.
    public static func create(_ url: URL, contents: [UInt8] = []) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReplicaStoreError(.invalidInput("cannot create \(url.path): errno \(errno)")) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw ReplicaStoreError(.invalidInput("cannot make \(url.path) private: errno \(errno)")) }
        var written = 0
        while written < contents.count {
            let result = contents.withUnsafeBytes { buffer in write(descriptor, buffer.baseAddress! + written, buffer.count - written) }
            guard result > 0 else { throw ReplicaStoreError(.invalidInput("cannot write \(url.path): errno \(errno)")) }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw ReplicaStoreError(.invalidInput("cannot sync \(url.path): errno \(errno)")) }
    }
}
