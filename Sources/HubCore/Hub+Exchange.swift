import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Imports batch files from nodes. Each file is verified against the node's enrolled key and applied in its
    /// own transaction; refused files go to the quarantine.
    public func importFiles(_ files: [URL]) -> [FileImportResult<ReceiveOutcome>] {
        let decryptionKey: EncryptionPrivateKey?
        do {
            decryptionKey = try encryptionKeyFiles.loadPrivateKey()
        } catch {
            return files.map { .failed(file: $0, message: "cannot read this office's encryption key: \(error)") }
        }
        return BatchInbox.importFiles(files, recipient: org, quarantine: directory.quarantine, nowMilliseconds: clock.nowMilliseconds,
                                      decryptionKey: decryptionKey, originRule: Self.originRule, resolveKey: resolveKey) { header, changes, hash in
            try self.store.receive(IncomingBatch(header: header, changes: changes, fileHash: hash), policy: self.policy)
        }
    }

    /// Receives one batch uploaded as bytes (HTTP): verified like a file; a refused upload is quarantined.
    public func importBatch(_ bytes: [UInt8], label: String) throws -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> {
        try BatchInbox.importBytes(bytes, label: label, recipient: org, quarantine: directory.quarantine,
                                   nowMilliseconds: clock.nowMilliseconds, decryptionKey: try encryptionKeyFiles.loadPrivateKey(),
                                   originRule: Self.originRule, resolveKey: resolveKey) { header, changes, hash in
            try self.store.receive(IncomingBatch(header: header, changes: changes, fileHash: hash), policy: self.policy)
        }
    }

    /// The next batches for `peer`, sealed (built on demand; empty when there is nothing to send). The
    /// acknowledgement they carry counts as sent.
    public func sealedBatches(for peer: OrgCode) throws -> [[UInt8]] {
        try store.prepareExport(to: peer).map { batch in
            let bytes = try BatchSealer.seal(batch.addressing(from: org, at: clock.nowMilliseconds()), records: batch.records, signingKey: signingKey)
            try store.markAcknowledgementSent(to: peer, position: batch.ackStreamPosition)
            return bytes
        }
    }

    /// A node's batch carries only that node's own changes (`BatchOriginRule.senderOnly`).
    static let originRule = BatchOriginRule.senderOnly

    /// - Throws: only when the registry cannot be read (the batch then waits for a retry, unjudged).
    func resolveKey(_ keyID: String, sender: OrgCode) throws -> KeyResolution {
        guard let record = try store.read({ try $0.nodeKey(keyID) }) else { return .unknown }
        guard record.org == sender, record.org != org else { return .otherOrg(record.org) }
        guard record.status == .active else { return .revoked }
        do { return .key(try PublicKey(pem: record.publicKeyPEM)) } catch { return .unknown }  // an unusable key on file
    }

    /// Writes one batch file per node with something to send into `folder`. Returns the files written.
    /// - Parameter encrypt: encrypt each batch for its node's encryption key (`enroll(…encryptionKeyPEM:)`).
    public func export(to folder: URL, encrypt: Bool = false) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let peers = try store.peersWithSomethingToSend()
        // Every key is looked up before anything is written, so a missing one leaves nothing half exported.
        let keys = try peers.map { peer in encrypt ? try encryptionKey(of: peer) : nil }
        var files: [URL] = []
        for (peer, key) in zip(peers, keys) {
            files += try export(to: peer, folder: folder, encryptFor: key)
        }
        return files
    }

    /// Writes the batch files for one node, encrypted for it if `encrypt`.
    public func export(to peer: OrgCode, folder: URL, encrypt: Bool = false) throws -> [URL] {
        try export(to: peer, folder: folder, encryptFor: encrypt ? try encryptionKey(of: peer) : nil)
    }

    private func export(to peer: OrgCode, folder: URL, encryptFor key: EncryptionPublicKey?) throws -> [URL] {
        try store.prepareExport(to: peer).map { batch in
            let url = try BatchInbox.writeBatch(batch.addressing(from: org, at: clock.nowMilliseconds()), records: batch.records,
                                                signingKey: signingKey, encryptFor: key, folder: folder)
            try store.markAcknowledgementSent(to: peer, position: batch.ackStreamPosition)
            return url
        }
    }
}

extension Hub {
    /// The hub's encryption-key files: its own key pair and the nodes' public keys given at enrolment.
    public var encryptionKeyFiles: EncryptionKeyFiles { EncryptionKeyFiles(root: directory.root) }

    /// The encryption public key of `peer`, as given at enrolment.
    func encryptionKey(of peer: OrgCode) throws -> EncryptionPublicKey {
        let file = encryptionKeyFiles.peerPublicKey(peer)
        guard let key = try encryptionKeyFiles.loadPeerKey(file) else {
            throw RegistryError("no encryption key is on file for \(peer): enrol it with --encryption-key "
                                + "(or put its encryption-public.key at \(file.path))")
        }
        return key
    }
}

extension OutgoingBatch {
    /// The header fields of this batch as sent by `sender`.
    func addressing(from sender: OrgCode, at nowMilliseconds: Int64) -> BatchAddressing {
        BatchAddressing(sender: sender, recipient: peer, batchSequence: batchSequence, firstStreamPosition: firstStreamPosition,
                        ackStreamPosition: ackStreamPosition, ackVector: ackVector, createdAtMilliseconds: nowMilliseconds)
    }
}

extension IncomingBatch {
    /// The replica's view of a verified batch.
    init(header: BatchHeader, changes: [DecodedChange], fileHash: String) {
        self.init(sender: header.sender, batchSequence: header.batchSequence, firstStreamPosition: header.firstStreamPosition,
                  ackStreamPosition: header.ackStreamPosition, ackVector: header.ackVector, fileHash: fileHash,
                  changes: changes.map { ($0.change, $0.record) })
    }
}
