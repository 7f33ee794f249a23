import Foundation
import LedgerCore

/// The encryption-key files of one office's data folder (`--data DIR`), next to its signing keys.
///
/// ```
/// DIR/encryption.key               PKCS#8 PEM private encryption key (X25519 or SM2), mode 0600
/// DIR/encryption-public.key        its PEM public key; give it to the peer that encrypts for this office
/// DIR/hub-encryption.key           (nodes) the hub's encryption public key, from `node init --hub-encryption-key`
/// DIR/encryption-keys/<org>.key    (hub) each node's encryption public key, from `hub enroll --encryption-key`
/// ```
///
/// Encryption public keys travel the same way as signing public keys (a file handed over at enrolment) and are
/// kept on disk at the sender; they are not replicated in the registry (`Protocol/PROTOCOL.md` §13.6).
public struct EncryptionKeyFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var privateKey: URL { root.appendingPathComponent("encryption.key") }
    public var publicKey: URL { root.appendingPathComponent("encryption-public.key") }
    public var hubPublicKey: URL { root.appendingPathComponent("hub-encryption.key") }
    public var peerFolder: URL { root.appendingPathComponent("encryption-keys", isDirectory: true) }

    /// Where the hub keeps `org`'s encryption public key.
    public func peerPublicKey(_ org: OrgCode) -> URL { peerFolder.appendingPathComponent("\(org.rawValue).key") }

    /// Writes a new key pair: the private key readable by the owner only (0600), the public key beside it.
    public func writeKeyPair(_ key: EncryptionPrivateKey) throws {
        guard FileManager.default.createFile(atPath: privateKey.path, contents: Data(key.privateKeyPEM.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CryptoError("write \(privateKey.path)", detail: "")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privateKey.path)
        try Data(key.publicKey.pem.utf8).write(to: publicKey)
    }

    /// Stores a peer's encryption public key (the hub's at a node, a node's at the hub) at `url`.
    public func writePeerKey(_ key: EncryptionPublicKey, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(key.pem.utf8).write(to: url, options: .atomic)
    }

    /// The office's own private encryption key, or `nil` when it has none (a data folder made before version 2).
    public func loadPrivateKey() throws -> EncryptionPrivateKey? {
        guard let pem = try Self.readIfPresent(privateKey) else { return nil }
        // Read every time (a rotated key is seen at once), parsed once per text (`ParsedKeyCache`).
        return try EncryptionPrivateKey.parsed.key(pem: pem) { (text: String) throws(CryptoError) in try EncryptionPrivateKey(pem: text) }
    }

    /// A stored peer public key, or `nil` when none is on file.
    public func loadPeerKey(_ url: URL) throws -> EncryptionPublicKey? {
        guard let pem = try Self.readIfPresent(url) else { return nil }
        return try EncryptionPublicKey.parsed.key(pem: pem) { (text: String) throws(CryptoError) in try EncryptionPublicKey(pem: text) }
    }

    private static func readIfPresent(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CryptoError("read \(url.path)", detail: "the file cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
