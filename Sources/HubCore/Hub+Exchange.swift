import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Imports batch files from nodes. Each file is verified against the node's enrolled key and applied in its
    /// own transaction; refused files go to the quarantine.
    public func importFiles(_ files: [URL]) -> [FileImportResult<ReceiveOutcome>] {
        BatchInbox.importFiles(files, recipient: org, quarantine: directory.quarantine,
                               nowMilliseconds: clock.nowMilliseconds, resolveKey: resolveKey) { header, changes, hash in
            try self.store.receive(IncomingBatch(header: header, changes: changes, fileHash: hash), policy: self.policy)
        }
    }

    /// Receives one batch uploaded as bytes (HTTP): verified like a file; a refused upload is quarantined.
    public func importBatch(_ bytes: [UInt8], label: String) throws -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> {
        try BatchInbox.importBytes(bytes, label: label, recipient: org, quarantine: directory.quarantine,
                                   nowMilliseconds: clock.nowMilliseconds, resolveKey: resolveKey) { header, changes, hash in
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

    func resolveKey(_ keyID: String, sender: OrgCode) -> KeyResolution {
        guard let record = try? store.read({ try $0.nodeKey(keyID) }) else { return .unknown }
        guard record.org == sender, record.org != org else { return .otherOrg(record.org) }
        guard record.status == .active else { return .revoked }
        guard let key = try? PublicKey(pem: record.publicKeyPEM) else { return .unknown }
        return .key(key)
    }

    /// Writes one batch file per node with something to send into `folder`. Returns the files written.
    public func export(to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [URL] = []
        for peer in try store.peersWithSomethingToSend() {
            files += try export(to: peer, folder: folder)
        }
        return files
    }

    /// Writes the batch files for one node.
    public func export(to peer: OrgCode, folder: URL) throws -> [URL] {
        try store.prepareExport(to: peer).map { batch in
            let url = try BatchInbox.writeBatch(batch.addressing(from: org, at: clock.nowMilliseconds()), records: batch.records,
                                                signingKey: signingKey, folder: folder)
            try store.markAcknowledgementSent(to: peer, position: batch.ackStreamPosition)
            return url
        }
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
