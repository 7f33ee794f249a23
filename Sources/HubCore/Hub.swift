import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// The provincial hub: the authority over the registry, the validator of every incoming change, and the
/// sender of registry updates and rejection notices to the nodes.
///
/// ```swift
/// let hub = try Hub.initialize(directory: DataDirectory("/srv/fundsync/hub"), org: province, name: "Anhui", clock: clock)
/// try hub.enroll(org: county, parent: city, name: "Feidong County", level: .county, publicKeyPEM: pem)
/// let results = hub.exchange.importFiles([inbox])
/// let files = try hub.export(to: outbox)
/// ```
public final class Hub: Sendable {
    public let directory: DataDirectory
    public let store: ReplicaStore
    public let signingKey: SigningKey
    let policy: HubPolicy
    let clock: any WallClock

    init(directory: DataDirectory, store: ReplicaStore, signingKey: SigningKey, clock: any WallClock) {
        self.directory = directory
        self.store = store
        self.signingKey = signingKey
        self.policy = HubPolicy(hub: store.org)
        self.clock = clock
    }

    public var org: OrgCode { store.org }

    /// The hub's own storage (reconciliation, statements, reports, stream findings): `HubStorage`, the seam a second
    /// backend implements. Embedded in the replica's SQLite file today.
    public var storage: any HubStorage { store }

    /// Creates a hub in `directory`: a new signing key, a new replica, and the root org unit with the hub's key.
    public static func initialize(directory: DataDirectory, org: OrgCode, name: String, clock: any WallClock,
                                  algorithm: SignatureAlgorithm = .ed25519, signingKey: SigningKey? = nil) throws -> Hub {
        try directory.prepareNew()
        let key = try signingKey ?? SigningKey.generate(algorithm)
        try directory.writeKeys(privatePEM: key.privateKeyPEM, publicPEM: key.publicKey.pem)
        try EncryptionKeyFiles(root: directory.root).writeKeyPair(.generate(EncryptionAlgorithm(companionOf: key.algorithm)))
        let store = try ReplicaStore.create(path: directory.replica.path, role: .hub, org: org, clock: clock)
        let hub = Hub(directory: directory, store: store, signingKey: key, clock: clock)
        try store.write(policy: hub.policy) { transaction in
            try transaction.appendLocal(table: .orgUnit, key: org.rawValue, operation: .insert,
                                        fields: OrgUnit(code: org, parent: nil, name: name, level: .province).fields)
            for (code, title) in [(LedgerAccounts.interestIncome, "Interest income"), (LedgerAccounts.interestExpense, "Interest expense")] {
                let id = LedgerAccounts.subject(org, code)
                try transaction.appendLocal(table: .account, key: id, operation: .insert, fields: AccountRecord(
                    id: id, org: org, kind: .subject, code: code, name: title, currency: .cny, status: .active).fields)
            }
            try transaction.appendLocal(table: .nodeKey, key: key.publicKey.keyID, operation: .insert,
                                        fields: NodeKeyRecord(keyID: key.publicKey.keyID, org: org, algorithm: key.algorithm,
                                                              publicKeyPEM: key.publicKey.pem, status: .active).fields)
        }
        return hub
    }

    /// Opens the hub in `directory`.
    public static func open(directory: DataDirectory, clock: any WallClock) throws -> Hub {
        let store = try ReplicaStore.open(path: directory.replica.path, clock: clock)
        guard store.role == .hub else { throw ReplicaStoreError(.wrongRole(expected: "hub", actual: store.role.rawValue)) }
        let key = try SigningKey(pem: try directory.readText(directory.privateKey))
        return Hub(directory: directory, store: store, signingKey: key, clock: clock)
    }

    /// Runs `body` in one write transaction with the hub's policy and books.
    @discardableResult
    func write<T>(_ body: (ReplicaTransaction, HubBooks) throws -> T) throws -> T {
        try store.write(policy: policy) { transaction in try body(transaction, HubBooks(hub: org, transaction: transaction)) }
    }

    /// The policy the hub applies, for callers that write through the store directly (tests, tools).
    public var replicaPolicy: any ReplicaPolicy { policy }

    /// Integrity problems of the hub's replica (empty when sound).
    public func verify() throws -> [String] {
        try store.verify(receivesEveryChange: policy.receivesEveryChange(of:))
    }
}

extension OrgUnit {
    /// The field map of an org unit's registry change.
    public var fields: [String: FieldValue] {
        ["name": .text(name), "level": .text(level.rawValue), "parent": parent.map { .text($0.rawValue) } ?? .null]
    }
}

extension AccountRecord {
    /// The field map of an account's registry change.
    public var fields: [String: FieldValue] {
        ["org": .text(org.rawValue), "kind": .text(kind.rawValue), "code": .text(code), "name": .text(name),
         "currency": .text(currency.code), "status": .text(status.rawValue)]
    }
}

extension NodeKeyRecord {
    /// The field map of a key's registry change.
    public var fields: [String: FieldValue] {
        ["org": .text(org.rawValue), "algorithm": .text(algorithm.name), "public_key_pem": .text(publicKeyPEM),
         "status": .text(status.rawValue)]
    }
}
