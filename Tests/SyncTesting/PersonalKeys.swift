import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// Personal keys for a test province (4/6): a deterministic Ed25519 key per staff id (its seed is SHA-256 of the id,
/// so a run replays byte for byte), certified at the hub by its key officer and delivered to the nodes.
public enum PersonalKeys {
    /// The key officer who certifies the test provinces' keys (a fund-centre manager).
    public static let officer = "hub-manager"

    /// The seeded key of `staff`.
    public static func key(for staff: String) throws -> SigningKey {
        try SigningKey.ed25519(seed: PayloadHashAlgorithm.sha256.digest(Array("fundsync test staff key: \(staff)".utf8)))
    }
}

extension BusinessProvince {
    /// Certifies a seeded key for every registered person (the key officer's own by the hub's deputy), delivers the
    /// certificates, and gives every node and the hub a keyring holding all of them, so every document from here on
    /// is signed by the people it names.
    @discardableResult
    public func enrolPersonalKeys(validUntil: BusinessDate = BusinessDate("2027-12-31")!) throws -> PersonalKeyring {
        let keyring = PersonalKeyring()
        let staff = try hub.store.read { reader in try reader.staffIDs() }
        for id in staff {
            let key = try PersonalKeys.key(for: id)
            keyring.add(key, for: id)
            try hub.certifyStaffKey(staff: id, publicKey: key.publicKey, validUntil: validUntil,
                                    by: id == PersonalKeys.officer ? "hub-supervisor" : PersonalKeys.officer)
        }
        try base.deliverFromHub()
        hub.store.signer = keyring
        for node in base.nodes.values { node.store.signer = keyring }
        return keyring
    }
}
