import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// What an exchange reports beyond each call's result, for the office to keep: the hub raises a security alert on a
/// verified refusal and counts failed applies towards a blocked link (`HubLinkHealth`).
///
/// Recording is best effort by design: the refusal is already in the quarantine with its reason, and the failed
/// batch is still where it was for a retry, so an observer that cannot write loses no data, only the alert.
public protocol ExchangeObserver: Sendable {
    /// A batch whose signature verified was refused (`BatchDecodingError.isAuthenticated`): evidence against its
    /// signer, unlike a bad signature or a truncated file.
    func verifiedRefusal(of header: BatchHeader, error: BatchDecodingError, fileHash: String)
    /// A verified batch from `sender` could not be applied for a reason that is not its fault (storage, I/O, a bug):
    /// nothing was applied, and it waits for a retry.
    func applyFailed(sender: OrgCode, error: any Error)
}

/// One office's end of its links: the whole trip of a batch, written once for the hub, the nodes, the HTTP server
/// and the simulation.
///
/// In: bytes or files are opened (structure → addressee → key → signature → hash → decryption → payload → origin
/// rule, `BatchOpener`), handed to the replica under the office's policy in one transaction, or refused and kept in
/// the quarantine (`BatchInbox`). Out: the outbox is sealed for a peer — exactly one batch for an online pull, all
/// of them for a push or an export — and the acknowledgement it carries is recorded as sent in the same transaction.
///
/// ```swift
/// let results = hub.exchange.importFiles(files)          // a USB stick
/// let next = try hub.exchange.sealNext(for: county)      // GET …/batches/next
/// let written = try node.exchange.export(to: hub, folder: stick)
/// ```
public struct BatchExchange: Sendable {
    /// Everything one office brings to the exchange.
    public struct Office: Sendable {
        public var store: ReplicaStore
        public var quarantine: URL
        public var signingKey: SigningKey
        public var encryptionKeys: EncryptionKeyFiles
        public var clock: any WallClock
        /// Which origins a sender may carry on its link (a node: only its own; the hub: any).
        public var originRule: BatchOriginRule
        /// Looks a key id up in the office's registry. Throws only when the registry cannot be read.
        public var resolveKey: @Sendable (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution
        /// The policy a verified batch is received under; called once per batch, before its transaction.
        public var policy: @Sendable (_ header: BatchHeader) throws -> any ReplicaPolicy
        /// Told of verified refusals and failed applies (`nil`: nobody keeps them, as at a node).
        public var observer: (any ExchangeObserver)?

        public init(store: ReplicaStore, quarantine: URL, signingKey: SigningKey, encryptionKeys: EncryptionKeyFiles,
                    clock: any WallClock, originRule: BatchOriginRule,
                    resolveKey: @escaping @Sendable (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution,
                    policy: @escaping @Sendable (_ header: BatchHeader) throws -> any ReplicaPolicy,
                    observer: (any ExchangeObserver)? = nil) {
            self.observer = observer
            self.store = store
            self.quarantine = quarantine
            self.signingKey = signingKey
            self.encryptionKeys = encryptionKeys
            self.clock = clock
            self.originRule = originRule
            self.resolveKey = resolveKey
            self.policy = policy
        }
    }

    public let office: Office
    /// Wraps the office's policy for one import. The simulation injects crashes here, so its imports run exactly
    /// the code the binary runs; `nil` in production.
    public var policyHook: (@Sendable (any ReplicaPolicy) -> any ReplicaPolicy)?

    public init(office: Office, policyHook: (@Sendable (any ReplicaPolicy) -> any ReplicaPolicy)? = nil) {
        self.office = office
        self.policyHook = policyHook
    }

    public var org: OrgCode { office.store.org }

    // MARK: In

    /// Imports batch files: each is verified and applied in its own transaction; a refused one is copied to the
    /// quarantine with its reason, and one addressed to another office is skipped.
    public func importFiles(_ files: [URL]) -> [FileImportResult<ReceiveOutcome>] {
        let decryptionKey: EncryptionPrivateKey?
        do {
            decryptionKey = try office.encryptionKeys.loadPrivateKey()
        } catch {
            return files.map { .failed(file: $0, message: "cannot read this office's encryption key: \(error)") }
        }
        return BatchInbox.importFiles(files, recipient: org, quarantine: office.quarantine, nowMilliseconds: office.clock.nowMilliseconds,
                                      decryptionKey: decryptionKey, originRule: office.originRule, resolveKey: office.resolveKey,
                                      refused: noteRefusal, receive: receive)
    }

    /// Receives one batch that arrived as bytes (HTTP): verified like a file; a refused one is quarantined.
    /// - Throws: anything that is not the batch's fault (storage, a policy that cannot be built): nothing is applied
    ///   and nothing is quarantined, so the same bytes can be tried again.
    public func importBytes(_ bytes: [UInt8], label: String) throws
        -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> {
        try BatchInbox.importBytes(bytes, label: label, recipient: org, quarantine: office.quarantine,
                                   nowMilliseconds: office.clock.nowMilliseconds, decryptionKey: try office.encryptionKeys.loadPrivateKey(),
                                   originRule: office.originRule, resolveKey: office.resolveKey, refused: noteRefusal, receive: receive)
    }

    /// The sender of `bytes` when the header's signature verifies against that sender's enrolled, active key; `nil`
    /// otherwise (not a batch, an unknown or revoked key, a bad signature). Checks only the header, which is cheap:
    /// the server keys its per-node upload budget on it, so nobody can spend another office's budget.
    /// - Throws: a storage error while looking the key up, as it is.
    public func authenticatedSender(of bytes: [UInt8]) throws -> OrgCode? {
        // Only the bytes' own faults mean "not authenticated" here; the import then refuses them with their reason.
        let envelope: BatchEnvelope
        do {
            envelope = try BatchEnvelope.parse(bytes)
        } catch {
            return nil
        }
        guard envelope.header.recipient == org else { return nil }
        guard case .key(let key) = try office.resolveKey(envelope.header.keyID, envelope.header.sender) else { return nil }
        do {
            try envelope.verify(with: key)
        } catch {
            return nil
        }
        return envelope.header.sender
    }

    /// Opens a batch addressed to this office without applying anything (inspection and tools).
    /// - Throws: `BatchDecodingError` for a refused batch; a storage error as it is.
    public func open(_ bytes: [UInt8]) throws -> (header: BatchHeader, changes: [DecodedChange]) {
        try BatchOpener.open(bytes, recipient: org, decryptionKey: try office.encryptionKeys.loadPrivateKey(),
                             originRule: office.originRule, lookUpKey: office.resolveKey)
    }

    private func receive(_ header: BatchHeader, _ changes: [DecodedChange], _ fileHash: String) throws -> ReceiveOutcome {
        do {
            let base = try office.policy(header)
            let policy = policyHook.map { $0(base) } ?? base
            return try office.store.receive(IncomingBatch(header: header, changes: changes, fileHash: fileHash), policy: policy)
        } catch {
            office.observer?.applyFailed(sender: header.sender, error: error)
            throw error
        }
    }

    /// Tells the observer of a refusal whose signature verified; the signer is then known from the header.
    func noteRefusal(_ bytes: [UInt8], _ error: BatchDecodingError) {
        guard error.isAuthenticated, let observer = office.observer,
              let header = try? BatchEnvelope.parse(bytes).header else { return }  // verified bytes: they parse
        observer.verifiedRefusal(of: header, error: error, fileHash: hexString(PayloadHashAlgorithm.sha256.digest(bytes)))
    }

    // MARK: Out

    /// The peers this office has something for: unacknowledged changes, or an acknowledgement not yet sent.
    public func peersWithSomethingToSend() throws -> [OrgCode] {
        try office.store.peersWithSomethingToSend()
    }

    /// The next batch for `peer`, sealed now in one transaction, or `nil` when there is nothing to send. An online
    /// pull serves exactly this: one batch sealed per request, never the whole outbox.
    /// - Parameter key: encrypt the batch for this key (format version 2), as an encrypted file would be.
    public func sealNext(for peer: OrgCode, encryptFor key: EncryptionPublicKey? = nil) throws -> [UInt8]? {
        try office.store.sealOutgoing(to: peer, batchCountMax: 1) { try seal($0, encryptFor: key) }.first
    }

    /// Every batch for `peer`, sealed (a push uploads them in order). Empty when there is nothing to send.
    public func sealAll(for peer: OrgCode, encryptFor key: EncryptionPublicKey? = nil) throws -> [[UInt8]] {
        try office.store.sealOutgoing(to: peer) { try seal($0, encryptFor: key) }
    }

    /// Writes the batch files for `peer` into `folder` under their standard names, encrypted for `encryptFor` when
    /// given. A file that cannot be written leaves the link as it was: no sequence used, no acknowledgement counted.
    public func export(to peer: OrgCode, folder: URL, encryptFor key: EncryptionPublicKey? = nil) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try office.store.sealOutgoing(to: peer) { batch in
            try BatchInbox.writeBatch(batch.addressing(from: org, at: office.clock.nowMilliseconds()), records: batch.records,
                                      signingKey: office.signingKey, encryptFor: key, folder: folder)
        }
    }

    func seal(_ batch: OutgoingBatch, encryptFor key: EncryptionPublicKey?) throws -> [UInt8] {
        try BatchSealer.seal(batch.addressing(from: org, at: office.clock.nowMilliseconds()), records: batch.records,
                             signingKey: office.signingKey, encryptFor: key)
    }
}
