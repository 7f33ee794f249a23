import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// Imports batch files from the hub. The first accepted batch tells the node the hub's org code.
    public func importFiles(_ files: [URL]) -> [FileImportResult<ReceiveOutcome>] {
        let decryptionKey: EncryptionPrivateKey?
        do {
            decryptionKey = try encryptionKeyFiles.loadPrivateKey()
        } catch {
            return files.map { .failed(file: $0, message: "cannot read this office's encryption key: \(error)") }
        }
        return BatchInbox.importFiles(files, recipient: org, quarantine: directory.quarantine, nowMilliseconds: clock.nowMilliseconds,
                                      decryptionKey: decryptionKey, originRule: .anyOrigin, resolveKey: resolveKey) { header, changes, hash in
            if self.hubOrg == nil { try self.store.setMeta("hub_org", header.sender.rawValue) }
            let policy = try self.policy()
            return try self.store.receive(IncomingBatch(header: header, changes: changes, fileHash: hash), policy: policy)
        }
    }

    /// Receives one batch from the hub that arrived as bytes (HTTP); a refused one is quarantined.
    public func importBatch(_ bytes: [UInt8], label: String) throws -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> {
        try BatchInbox.importBytes(bytes, label: label, recipient: org, quarantine: directory.quarantine,
                                   nowMilliseconds: clock.nowMilliseconds, decryptionKey: try encryptionKeyFiles.loadPrivateKey(),
                                   originRule: .anyOrigin, resolveKey: resolveKey) { header, changes, hash in
            if self.hubOrg == nil { try self.store.setMeta("hub_org", header.sender.rawValue) }
            return try self.store.receive(IncomingBatch(header: header, changes: changes, fileHash: hash), policy: try self.policy())
        }
    }

    /// The batches for the hub, sealed, without writing files (HTTP push). Empty when there is nothing to send.
    public func sealedBatches() throws -> [[UInt8]] {
        guard let hub = hubOrg, try store.peersWithSomethingToSend().contains(hub) else { return [] }
        return try store.prepareExport(to: hub).map { batch in
            let bytes = try BatchSealer.seal(batch.addressing(from: org, at: clock.nowMilliseconds()), records: batch.records, signingKey: signingKey)
            try store.markAcknowledgementSent(to: hub, position: batch.ackStreamPosition)
            return bytes
        }
    }

    /// Keys a node accepts: the hub key it was given at `init`, and keys of the hub's org in the registry the hub
    /// sent (rotation). Batches from anyone else are refused.
    /// - Throws: only when the registry cannot be read (the batch then waits for a retry, unjudged).
    func resolveKey(_ keyID: String, sender: OrgCode) throws -> KeyResolution {
        if let hub = hubOrg, sender != hub { return .unknown }
        if keyID == hubKey.keyID {
            if let record = try store.read({ try $0.nodeKey(keyID) }), record.status == .revoked { return .revoked }
            return .key(hubKey)
        }
        guard let hub = hubOrg, let record = try store.read({ try $0.nodeKey(keyID) }) else { return .unknown }
        guard record.org == hub else { return .otherOrg(record.org) }
        guard record.status == .active else { return .revoked }
        do { return .key(try PublicKey(pem: record.publicKeyPEM)) } catch { return .unknown }  // an unusable key on file
    }

    /// Writes the batch files for the hub into `folder` (none when there is nothing to send).
    /// - Parameter encrypt: encrypt them for the hub's encryption key (given at `initialize`).
    public func export(to folder: URL, encrypt: Bool = false) throws -> [URL] {
        guard let hub = hubOrg else { return [] }
        let hubEncryptionKey = encrypt ? try self.hubEncryptionKey() : nil
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard try store.peersWithSomethingToSend().contains(hub) else { return [] }
        return try store.prepareExport(to: hub).map { batch in
            let url = try BatchInbox.writeBatch(batch.addressing(from: org, at: clock.nowMilliseconds()), records: batch.records,
                                                signingKey: signingKey, encryptFor: hubEncryptionKey, folder: folder)
            try store.markAcknowledgementSent(to: hub, position: batch.ackStreamPosition)
            return url
        }
    }
}

extension Node {
    /// The node's encryption-key files: its own key pair and the hub's public key given at `initialize`.
    public var encryptionKeyFiles: EncryptionKeyFiles { EncryptionKeyFiles(root: directory.root) }

    func hubEncryptionKey() throws -> EncryptionPublicKey {
        guard let key = try encryptionKeyFiles.loadPeerKey(encryptionKeyFiles.hubPublicKey) else {
            throw NodeError("the hub's encryption key is not on file: give the hub's encryption-public.key to 'node init "
                            + "--hub-encryption-key' (or put it at \(encryptionKeyFiles.hubPublicKey.path))")
        }
        return key
    }
}

extension OutgoingBatch {
    func addressing(from sender: OrgCode, at nowMilliseconds: Int64) -> BatchAddressing {
        BatchAddressing(sender: sender, recipient: peer, batchSequence: batchSequence, firstStreamPosition: firstStreamPosition,
                        ackStreamPosition: ackStreamPosition, ackVector: ackVector, createdAtMilliseconds: nowMilliseconds)
    }
}

extension IncomingBatch {
    init(header: BatchHeader, changes: [DecodedChange], fileHash: String) {
        self.init(sender: header.sender, batchSequence: header.batchSequence, firstStreamPosition: header.firstStreamPosition,
                  ackStreamPosition: header.ackStreamPosition, ackVector: header.ackVector, fileHash: fileHash,
                  changes: changes.map { ($0.change, $0.record) })
    }
}
