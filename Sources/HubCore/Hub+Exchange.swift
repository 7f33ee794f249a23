import BatchExchange
import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// The hub's end of every link (`BatchExchange`): imports from nodes under the hub's policy, and the batches
    /// for each node. A node's batch may carry only that node's own changes (`BatchOriginRule.senderOnly`); verified
    /// refusals and failed applies are kept as link health (`HubLinkHealth`).
    public var exchange: BatchExchange {
        BatchExchange(office: BatchExchange.Office(
            store: store, quarantine: directory.quarantine, signingKey: signingKey, encryptionKeys: encryptionKeyFiles, clock: clock,
            originRule: .senderOnly, resolveKey: { keyID, sender in try self.resolveKey(keyID, sender: sender) },
            policy: { _ in self.policy }, observer: HubLinkHealth(storage: storage, clock: clock)))
    }

    /// - Throws: only when the registry cannot be read (the batch then waits for a retry, unjudged).
    func resolveKey(_ keyID: String, sender: OrgCode) throws -> KeyResolution {
        guard let record = try store.read({ try $0.nodeKey(keyID) }) else { return .unknown }
        guard record.org == sender, record.org != org else { return .otherOrg(record.org) }
        guard record.status == .active else { return .revoked }
        do { return .key(try PublicKey.cached(pem: record.publicKeyPEM)) } catch { return .unknown }  // an unusable key on file
    }

    /// Writes one batch file per node with something to send into `folder`. Returns the files written.
    /// - Parameter encrypt: encrypt each batch for its node's encryption key (`enroll(…encryptionKeyPEM:)`).
    public func export(to folder: URL, encrypt: Bool = false) throws -> [URL] {
        let exchange = self.exchange
        let peers = try exchange.peersWithSomethingToSend()
        // Every key is looked up before anything is written, so a missing one leaves nothing half exported.
        let keys = try peers.map { peer in encrypt ? try encryptionKey(of: peer) : nil }
        var files: [URL] = []
        for (peer, key) in zip(peers, keys) {
            files += try exchange.export(to: peer, folder: folder, encryptFor: key)
        }
        return files
    }

    /// The next batch for `peer` for an online pull (`GET …/batches/next`), encrypted for the node's encryption key when
    /// one was given at enrolment, as an exported file would be; `nil` when there is nothing to send.
    public func sealNextForPull(by peer: OrgCode) throws -> [UInt8]? {
        try exchange.sealNext(for: peer, encryptFor: try encryptionKeyFiles.loadPeerKey(encryptionKeyFiles.peerPublicKey(peer)))
    }

    /// The hub's encryption-key files: its own key pair and the nodes' public keys given at enrolment.
    public var encryptionKeyFiles: EncryptionKeyFiles { EncryptionKeyFiles(root: directory.root) }

    /// The encryption public key of `peer`, as given at enrolment.
    func encryptionKey(of peer: OrgCode) throws -> EncryptionPublicKey {
        let file = encryptionKeyFiles.peerPublicKey(peer)
        guard let key = try encryptionKeyFiles.loadPeerKey(file) else {
            throw RegistryError(.keyFileMissing, "no encryption key is on file for \(peer): enrol it with --encryption-key "
                                + "(or put its encryption-public.key at \(file.path))")
        }
        return key
    }
}
