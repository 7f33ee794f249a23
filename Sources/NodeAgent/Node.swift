import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// Why a node refused a command.
///
/// `code` says what kind of refusal it is, for programs (the CLI's exit and JSON output, the console); `description`
/// is the sentence for people, with the context (which account, document or person).
public struct NodeError: CodedError {
    public enum Code: String, Sendable, CaseIterable {
        /// The document, slip, notice or account named is not this office's or does not exist here.
        case notFound
        /// The person may not do this here, or it must go to the hub.
        case notPermitted
        /// The document is not in the state the command needs.
        case wrongState
        /// An amount does not match the document it settles.
        case mismatch
        /// It was done before and is never changed (a balance report).
        case alreadyDone
        /// The ledger rules refused a voucher (the rule's own code is in the sentence).
        case ruleViolation
        /// A value is malformed, empty or out of range.
        case invalidValue
        /// The node has not received its registry from the hub yet.
        case notConnected
        /// A key file the command needs is not on file.
        case keyFileMissing
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// A county, city or subsidiary office: its own replica, posting offline, exchanging batch files with the hub.
///
/// ```swift
/// let node = try Node.initialize(directory: DataDirectory("/srv/fundsync/340122"), org: county, hubKeyPEM: pem, clock: clock)
/// try node.post([draft])           // offline: checked against the registry the hub sent
/// try node.export(to: usbStick)    // carry to the hub
/// ```
public final class Node: Sendable {
    public let directory: DataDirectory
    public let store: ReplicaStore
    public let signingKey: SigningKey
    let hubKey: PublicKey
    let clock: any WallClock
    /// The release this node reads and writes as: this build's, except in the simulation of a network upgraded over
    /// several days (issue 10), where a node runs as the release before until its upgrade day
    /// (``running(asRelease:)``).
    public let release: Int

    init(directory: DataDirectory, store: ReplicaStore, signingKey: SigningKey, hubKey: PublicKey, clock: any WallClock,
         release: Int = FundSyncRelease.number) {
        self.directory = directory
        self.store = store
        self.signingKey = signingKey
        self.hubKey = hubKey
        self.clock = clock
        self.release = release
        // Release 1 announced nothing; every later release announces itself before its first change (§6.28).
        store.releaseToAnnounce = release >= 2 ? release : nil
    }

    /// This node, reading and writing as `release` (from `FundSyncRelease.oldestReadable` to this build's): as release 1
    /// it announces no release and rejects, as release 1 did, what release 1 cannot represent; its workload must
    /// then write only what release 1 wrote. The simulation's compatibility writer; a real office runs its build.
    public func running(asRelease release: Int) -> Node {
        let release = min(max(release, FundSyncRelease.oldestReadable), FundSyncRelease.number)
        return Node(directory: directory, store: store, signingKey: signingKey, hubKey: hubKey, clock: clock, release: release)
    }

    public var org: OrgCode { store.org }

    /// The hub's org code, known once the first batch from the hub has been imported.
    /// For display (status, the audit trail's "nothing to send yet"): an unreadable replica reads as "not yet". Every
    /// decision — which key to trust, whether to record the hub, what to seal — reads `knownHub()`, which rethrows.
    public var hubOrg: OrgCode? { try? knownHub() }

    /// The hub's org code once the first batch from the hub has been imported, `nil` before.
    /// - Throws: a storage error as it is, never read as "no hub yet" (that would let the next batch name the hub).
    public func knownHub() throws -> OrgCode? {
        try store.meta("hub_org").flatMap(OrgCode.init)
    }

    /// Creates a node in `directory` with a new key pair, trusting `hubKeyPEM` as the hub's key.
    /// - Parameter hubEncryptionKeyPEM: the hub's `encryption-public.key`, needed for `export(to:encrypt:)`.
    public static func initialize(directory: DataDirectory, org: OrgCode, hubKeyPEM: String, clock: any WallClock,
                                  algorithm: SignatureAlgorithm = .ed25519, signingKey: SigningKey? = nil,
                                  hubEncryptionKeyPEM: String? = nil) throws -> Node {
        let hubKey = try PublicKey(pem: hubKeyPEM)
        let hubEncryptionKey = try hubEncryptionKeyPEM.map { pem throws(CryptoError) in try EncryptionPublicKey(pem: pem) }
        try directory.prepareNew()
        let key = try signingKey ?? SigningKey.generate(algorithm)
        try directory.writeKeys(privatePEM: key.privateKeyPEM, publicPEM: key.publicKey.pem)
        try Data(hubKey.pem.utf8).write(to: directory.hubKey)
        let encryptionFiles = EncryptionKeyFiles(root: directory.root)
        try encryptionFiles.writeKeyPair(.generate(EncryptionAlgorithm(companionOf: key.algorithm)))
        if let hubEncryptionKey { try encryptionFiles.writePeerKey(hubEncryptionKey, to: encryptionFiles.hubPublicKey) }
        let store = try ReplicaStore.create(path: directory.replica.path, role: .node, org: org, clock: clock)
        return Node(directory: directory, store: store, signingKey: key, hubKey: hubKey, clock: clock)
    }

    /// Replaces this office's signing key (rotation): the new private key is written to `private.key` and the
    /// public one to `public.key`; give it to the hub (`hub key add`), which then revokes the old one. Returns the
    /// node reopened with the new key.
    public func rotateSigningKey(to key: SigningKey) throws -> Node {
        try directory.replaceKeys(privatePEM: key.privateKeyPEM, publicPEM: key.publicKey.pem)
        return Node(directory: directory, store: store, signingKey: key, hubKey: hubKey, clock: clock, release: release)
    }

    /// Opens the node in `directory`.
    public static func open(directory: DataDirectory, clock: any WallClock) throws -> Node {
        let store = try ReplicaStore.open(path: directory.replica.path, clock: clock)
        guard store.role == .node else { throw ReplicaStoreError(.wrongRole(expected: "node", actual: store.role.rawValue)) }
        let key = try SigningKey(pem: try directory.readText(directory.privateKey))
        let hubKey = try PublicKey(pem: try directory.readText(directory.hubKey))
        return Node(directory: directory, store: store, signingKey: key, hubKey: hubKey, clock: clock)
    }

    func policy() throws -> NodePolicy {
        guard let hub = try knownHub() else {
            throw NodeError(.notConnected, "this node has not received anything from the hub yet: import the hub's first batch file")
        }
        return NodePolicy(node: org, hub: hub, release: release)
    }

    /// The policy the node applies (for tools that drive the store directly, such as the simulator).
    public var replicaPolicy: any ReplicaPolicy {
        get throws { try policy() }
    }

    /// Integrity problems of the node's replica (empty when sound).
    public func verify() throws -> [String] {
        try store.verify(receivesEveryChange: { $0 == self.org })
    }
}
