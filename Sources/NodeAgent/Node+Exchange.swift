import BatchExchange
import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// The node's end of its link to the hub (`BatchExchange`). The hub may carry any origin (it forwards registry
    /// changes, rejections and other offices' facts). The first batch accepted from the hub tells the node the hub's
    /// org code.
    public var exchange: BatchExchange {
        BatchExchange(office: BatchExchange.Office(
            store: store, quarantine: directory.quarantine, signingKey: signingKey, encryptionKeys: encryptionKeyFiles, clock: clock,
            originRule: .anyOrigin, resolveKey: { keyID, sender in try self.resolveKey(keyID, sender: sender) },
            policy: { header in
                if try self.knownHub() == nil { try self.store.setMeta("hub_org", header.sender.rawValue) }
                return try self.policy()
            }))
    }

    /// The batches for the hub, sealed, without writing files (HTTP push); encrypted for the hub when its encryption
    /// key is on file (given at `initialize`), as exported files can be. Empty when there is nothing to send.
    public func sealedBatches() throws -> [[UInt8]] {
        guard let hub = try knownHub() else { return [] }
        try announceRelease()
        return try exchange.sealAll(for: hub, encryptFor: try encryptionKeyFiles.loadPeerKey(encryptionKeyFiles.hubPublicKey))
    }

    /// Tells the hub which release this node runs (PROTOCOL.md §6.28, §11.2): its `office_release` row is written once
    /// per release, before the first change the node writes at that release (`ReplicaTransaction.appendLocal`) or, if
    /// it writes none, here before it seals, so the first batch it sends after an upgrade carries it ahead of
    /// everything written since, and the hub starts sending what it held. Release 1 wrote no such row, and a node
    /// waiting for its resync writes nothing (§8.8): it announces after the resync, if the hub did not return its row.
    /// - Returns: true when it wrote the row now.
    @discardableResult
    public func announceRelease() throws -> Bool {
        guard release >= 2, try knownHub() != nil else { return false }
        return try store.write(policy: try policy()) { try $0.announceRelease() }
    }

    /// Keys a node accepts: the hub key it was given at `init`, and keys of the hub's org in the registry the hub
    /// sent (rotation). Batches from anyone else are refused.
    /// - Throws: only when the registry cannot be read (the batch then waits for a retry, unjudged).
    func resolveKey(_ keyID: String, sender: OrgCode) throws -> KeyResolution {
        let hubOrg = try knownHub()
        if let hub = hubOrg, sender != hub { return .unknown }
        if keyID == hubKey.keyID {
            if let record = try store.read({ try $0.nodeKey(keyID) }), record.status == .revoked { return .revoked }
            return .key(hubKey)
        }
        guard let hub = hubOrg, let record = try store.read({ try $0.nodeKey(keyID) }) else { return .unknown }
        guard record.org == hub else { return .otherOrg(record.org) }
        guard record.status == .active else { return .revoked }
        do { return .key(try PublicKey.cached(pem: record.publicKeyPEM)) } catch { return .unknown }  // an unusable key on file
    }

    /// Writes the batch files for the hub into `folder` (none when there is nothing to send).
    /// - Parameter encrypt: encrypt them for the hub's encryption key (given at `initialize`).
    public func export(to folder: URL, encrypt: Bool = false) throws -> [URL] {
        guard let hub = try knownHub() else { return [] }
        let hubEncryptionKey = encrypt ? try self.hubEncryptionKey() : nil
        try announceRelease()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try exchange.export(to: hub, folder: folder, encryptFor: hubEncryptionKey)
    }

    /// The node's encryption-key files: its own key pair and the hub's public key given at `initialize`.
    public var encryptionKeyFiles: EncryptionKeyFiles { EncryptionKeyFiles(root: directory.root) }

    func hubEncryptionKey() throws -> EncryptionPublicKey {
        guard let key = try encryptionKeyFiles.loadPeerKey(encryptionKeyFiles.hubPublicKey) else {
            throw NodeError(.keyFileMissing, "the hub's encryption key is not on file: give the hub's encryption-public.key to 'node init "
                            + "--hub-encryption-key' (or put it at \(encryptionKeyFiles.hubPublicKey.path))")
        }
        return key
    }
}
