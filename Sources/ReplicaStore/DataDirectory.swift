import Foundation

/// The files of one office's data folder (`--data DIR`).
///
/// ```
/// DIR/replica.sqlite   the SQLite replica (plus -wal and -shm while open)
/// DIR/private.key      PKCS#8 PEM signing key, mode 0600
/// DIR/public.key       PEM public key, as `openssl pkey -pubout` writes it; give this file to the hub
/// DIR/hub.key          (nodes) the hub's public key given at `node init`
/// DIR/quarantine/      refused batch files, each with a `.reason` file beside it
/// DIR/office.lock      held while the office is served (`hub serve`) or restored; see `OfficeLock`
/// ```
public struct DataDirectory: Sendable {
    public let root: URL

    public init(_ path: String) { root = URL(fileURLWithPath: path, isDirectory: true) }

    public var replica: URL { root.appendingPathComponent("replica.sqlite") }
    public var privateKey: URL { root.appendingPathComponent("private.key") }
    public var publicKey: URL { root.appendingPathComponent("public.key") }
    public var hubKey: URL { root.appendingPathComponent("hub.key") }
    public var quarantine: URL { root.appendingPathComponent("quarantine", isDirectory: true) }
    /// The advisory lock of `OfficeLock` (held by `hub serve` and `restore`).
    public var lockFile: URL { root.appendingPathComponent("office.lock") }

    /// Creates the folder for a new replica; refuses one that already holds a replica.
    public func prepareNew() throws {
        if FileManager.default.fileExists(atPath: replica.path) {
            throw ReplicaStoreError(.alreadyInitialized(path: root.path))
        }
        try PrivateFiles.makeFolder(root)
    }

    /// Writes the private key readable by the owner only (0600), and the public key beside it.
    public func writeKeys(privatePEM: String, publicPEM: String) throws {
        try PrivateFiles.create(privateKey, contents: Array(privatePEM.utf8))
        try Data(publicPEM.utf8).write(to: publicKey)
    }

    /// Replaces the key pair (rotation), private key first, each through a temporary file and a rename.
    public func replaceKeys(privatePEM: String, publicPEM: String) throws {
        let temporary = root.appendingPathComponent(".private.key.new")
        if FileManager.default.fileExists(atPath: temporary.path) { try FileManager.default.removeItem(at: temporary) }
        try PrivateFiles.create(temporary, contents: Array(privatePEM.utf8))
        // rename(2) replaces the old key atomically: a crash leaves either the old key or the new one.
        guard rename(temporary.path, privateKey.path) == 0 else {
            throw ReplicaStoreError(.invalidInput("cannot replace \(privateKey.path): errno \(errno)"))
        }
        try Data(publicPEM.utf8).write(to: publicKey, options: .atomic)
    }

    /// Reads a text file such as a key.
    public func readText(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReplicaStoreError(.invalidInput("cannot read \(url.path)"))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
