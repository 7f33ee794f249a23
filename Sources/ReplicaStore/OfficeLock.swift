import Foundation

/// An exclusive, advisory lock on an office's data folder (`DIR/office.lock`), held by a long-running process that
/// must not have the replica swapped under it (`hub serve`) and by `restore`, which swaps it.
///
/// Why `flock(2)`: the kernel releases it when the process ends, however it ends (SIGKILL, a crash), so a stale
/// lock never needs clearing by hand; the pid and purpose written into the file are only for the message.
/// Ordinary commands (`post`, `import`, `status`) do not take it: SQLite already serialises their writes.
public final class OfficeLock: @unchecked Sendable {
    // @unchecked: `descriptor` is set once in `init` and only closed in `deinit`.
    private let descriptor: Int32

    /// Takes the lock for `purpose` (for example "hub serve"), or throws naming who holds it.
    /// - Throws: `ReplicaStoreError.officeBusy` when another process holds it; an I/O error as it is.
    public init(_ directory: DataDirectory, purpose: String) throws {
        let path = directory.lockFile.path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReplicaStoreError(.invalidInput("cannot open \(path): errno \(errno)")) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw ReplicaStoreError(.officeBusy(path: directory.root.path, holder: holder.isEmpty ? "another process" : holder))
        }
        self.descriptor = descriptor
        let text = "pid \(getpid()) (\(purpose))\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pointer in pwrite(descriptor, pointer, strlen(pointer), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }
}
