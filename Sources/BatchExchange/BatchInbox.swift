import BatchWire
import Foundation
import LedgerCore

/// What happened to one file of an import.
public enum FileImportResult<Outcome: Sendable>: Sendable {
    /// Verified and handed to the replica.
    case received(file: URL, header: BatchHeader, outcome: Outcome)
    /// Refused as bad input and moved to the quarantine with a `.reason` file.
    case refused(file: URL, error: BatchDecodingError, quarantinedAt: URL)
    /// Could not be processed for a reason that is not the file's fault (unreadable, disk full); left in place.
    case failed(file: URL, message: String)
    /// A batch addressed to another office (a shared stick): left where it is, for that office, and not quarantined.
    case skipped(file: URL, recipient: OrgCode)

    public var file: URL {
        switch self {
        case .received(let file, _, _), .refused(let file, _, _), .failed(let file, _), .skipped(let file, _): file
        }
    }
}

/// Imports batch files one by one: each is opened and verified, handed to `receive` (one transaction per file),
/// or refused and quarantined (a copy: the original is never moved) and reported to `refused`. A refused file never
/// stops the others, and a file addressed to another office is skipped.
public enum BatchInbox {
    public static func importFiles<Outcome: Sendable>(
        _ files: [URL], recipient: OrgCode, quarantine: URL, nowMilliseconds: () -> Int64, decryptionKey: EncryptionPrivateKey? = nil,
        originRule: BatchOriginRule, resolveKey: (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution,
        refused: (_ bytes: [UInt8], _ error: BatchDecodingError) -> Void = { _, _ in },
        receive: (_ header: BatchHeader, _ changes: [DecodedChange], _ fileHash: String) throws -> Outcome
    ) -> [FileImportResult<Outcome>] {
        files.map { file in
            var bytes: [UInt8]?
            do {
                let read = try BatchFiles.read(file)
                bytes = read
                let (header, changes) = try BatchOpener.open(read, recipient: recipient, decryptionKey: decryptionKey,
                                                             originRule: originRule, lookUpKey: resolveKey)
                let outcome = try receive(header, changes, hexString(PayloadHashAlgorithm.sha256.digest(read)))
                return .received(file: file, header: header, outcome: outcome)
            } catch let error as BatchDecodingError {
                if case .wrongRecipient(let addressee, _) = error.code, let other = OrgCode(addressee) {
                    return .skipped(file: file, recipient: other)
                }
                if let bytes { refused(bytes, error) }
                do {
                    let target = try BatchFiles.quarantine(file, bytes: bytes, in: quarantine, reasonCode: error.name,
                                                           reason: error.description, atMilliseconds: nowMilliseconds())
                    return .refused(file: file, error: error, quarantinedAt: target)
                } catch {
                    return .failed(file: file, message: "could not quarantine the refused file: \(error.localizedDescription)")
                }
            } catch {
                return .failed(file: file, message: String(describing: error))
            }
        }
    }

    /// Receives one batch that arrived as bytes (an HTTP upload): the same pipeline as a file. A refused upload is
    /// kept in `quarantine` as `<label>` with its `.reason`, so a person can see it.
    public static func importBytes<Outcome: Sendable>(
        _ bytes: [UInt8], label: String, recipient: OrgCode, quarantine: URL, nowMilliseconds: () -> Int64,
        decryptionKey: EncryptionPrivateKey? = nil, originRule: BatchOriginRule,
        resolveKey: (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution,
        refused: (_ bytes: [UInt8], _ error: BatchDecodingError) -> Void = { _, _ in },
        receive: (_ header: BatchHeader, _ changes: [DecodedChange], _ fileHash: String) throws -> Outcome
    ) throws -> Result<(header: BatchHeader, outcome: Outcome), BatchDecodingError> {
        switch try openBytes(bytes, label: label, recipient: recipient, quarantine: quarantine, nowMilliseconds: nowMilliseconds,
                             decryptionKey: decryptionKey, originRule: originRule, resolveKey: resolveKey, refused: refused) {
        case .failure(let error):
            return .failure(error)
        case .success(let opened):
            return .success((opened.header, try receive(opened.header, opened.changes, opened.fileHash)))
        }
    }

    /// Opens one batch that arrived as bytes without applying it: verified like a file, and a refused upload kept in
    /// `quarantine` as `<label>` with its `.reason`. The hub's server opens uploads this way, in parallel, and applies
    /// them in a group commit.
    /// - Throws: only when a refused upload cannot be quarantined (storage).
    public static func openBytes(
        _ bytes: [UInt8], label: String, recipient: OrgCode, quarantine: URL, nowMilliseconds: () -> Int64,
        decryptionKey: EncryptionPrivateKey? = nil, originRule: BatchOriginRule,
        resolveKey: (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution,
        refused: (_ bytes: [UInt8], _ error: BatchDecodingError) -> Void = { _, _ in }
    ) throws -> Result<OpenedBatch, BatchDecodingError> {
        do {
            guard bytes.count <= Limits.batchFileBytesMax else {
                throw BatchDecodingError(.fileTooLarge(sizeBytes: bytes.count, sizeBytesMax: Limits.batchFileBytesMax))
            }
            let (header, changes) = try BatchOpener.open(bytes, recipient: recipient, decryptionKey: decryptionKey,
                                                         originRule: originRule, lookUpKey: resolveKey)
            return .success(OpenedBatch(header: header, changes: changes, fileHash: hexString(PayloadHashAlgorithm.sha256.digest(bytes))))
        } catch let error as BatchDecodingError {
            // Authenticate before storing: only a body whose signature verified is kept, within the quarantine's caps.
            try BatchFiles.quarantineUpload(label: "\(nowMilliseconds())-\(label)", bytes: error.isAuthenticated ? bytes : nil,
                                            in: quarantine, error: error, atMilliseconds: nowMilliseconds())
            refused(bytes, error)
            return .failure(error)
        }
    }

    /// Seals one outgoing batch (encrypted for `encryptFor` when given) and writes it into `folder` under its
    /// standard name. Returns the file.
    public static func writeBatch(_ addressing: BatchAddressing, records: [[UInt8]], signingKey: SigningKey,
                                  encryptFor recipientKey: EncryptionPublicKey? = nil, folder: URL) throws -> URL {
        let bytes = try BatchSealer.seal(addressing, records: records, signingKey: signingKey, encryptFor: recipientKey)
        let url = folder.appendingPathComponent(BatchFiles.fileName(sender: addressing.sender, recipient: addressing.recipient,
                                                                    batchSequence: addressing.batchSequence))
        try BatchFiles.writeAtomically(bytes, to: url)
        return url
    }
}
