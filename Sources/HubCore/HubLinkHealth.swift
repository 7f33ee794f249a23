import BatchExchange
import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// The hub's view of each link's health, kept in hub storage (DECISIONS, "trust boundaries"):
/// - a refusal whose signature verified raises a **security alert** on the signer's link, shown in status and metrics
///   until an operator clears it with a signed acknowledgement (`Hub.clearSecurityAlert`); the signer's valid batches
///   still apply;
/// - a verified batch that cannot be applied for a reason that is not a rule violation counts towards a **blocked
///   link** (`LinkFailure`: 5 attempts and one hour, whichever comes later); a batch from the link that applies again
///   clears it.
///
/// A refusal that proves nothing about its sender (bad signature, unknown key, truncated file) raises nothing and
/// blocks nothing: anyone on the way could have made it.
struct HubLinkHealth: ExchangeObserver {
    let storage: any HubStorage
    let clock: any WallClock

    func verifiedRefusal(of header: BatchHeader, error: BatchDecodingError, fileHash: String) {
        // Best effort (`ExchangeObserver`): the refused bytes and their reason are in the quarantine either way.
        try? storage.raiseSecurityAlert(link: header.sender, keyID: header.keyID, code: error.name, detail: error.description,
                                        fileHash: fileHash, atMilliseconds: clock.nowMilliseconds())
    }

    func applyFailed(sender: OrgCode, error: any Error) {
        // Best effort: the batch was not applied and is retried; failing to count it only delays the blocked state.
        try? storage.recordApplyFailure(peer: sender, message: String(describing: error), atMilliseconds: clock.nowMilliseconds())
    }
}

/// The signed acknowledgement with which an operator clears a security alert: the hub's key signs what was seen and
/// who cleared it, so the audit can prove the clearance was made at this hub and not written into its database later.
public enum SecurityAlertClearance {
    /// The signed message: a domain line, then the alert and the clearance, one per line.
    public static func message(for alert: SecurityAlert, by operatorName: String, note: String, atMilliseconds: Int64) -> [UInt8] {
        Array(["FundSync security-alert clearance v1", String(alert.id), alert.link, alert.keyID, alert.code, alert.fileHash,
               String(alert.raisedAtMilliseconds), operatorName, note, String(atMilliseconds)].joined(separator: "\n").utf8)
    }

    /// True when `alert` is cleared and its clearance verifies with `key` (the hub's public key).
    public static func verify(_ alert: SecurityAlert, with key: PublicKey) -> Bool {
        guard let at = alert.clearedAtMilliseconds, let by = alert.clearedBy, let note = alert.clearanceNote,
              let text = alert.clearanceSignature, let signature = Data(base64Encoded: text) else { return false }
        let message = Self.message(for: alert, by: by, note: note, atMilliseconds: at)
        return key.verify(signature: [UInt8](signature)[...], message: message[...])
    }
}

extension Hub {
    /// Open security alerts and links with failing applies (blocked or not yet), for status, metrics and the console.
    public func linkHealth() throws -> (openAlerts: [SecurityAlert], failingLinks: [LinkFailure]) {
        (try storage.securityAlerts().filter(\.isOpen), try storage.linkFailures())
    }

    /// The links blocked now: verified batches have failed to apply `LinkFailure.attemptCountBlocked` times over at
    /// least `LinkFailure.blockedAfterMilliseconds`.
    public func blockedLinks() throws -> [LinkFailure] {
        let now = clock.nowMilliseconds()
        return try storage.linkFailures().filter { $0.isBlocked(atMilliseconds: now) }
    }

    /// Clears an open security alert with a signed acknowledgement by `operatorName` (the hub's key signs it).
    /// - Throws: `RegistryError.notFound` when no open alert has that id.
    public func clearSecurityAlert(_ id: Int64, by operatorName: String, note: String) throws {
        guard !operatorName.trimmingCharacters(in: .whitespaces).isEmpty, !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RegistryError(.invalidValue, "clearing an alert needs the operator's name and a note of what was found")
        }
        guard let alert = try storage.securityAlerts().first(where: { $0.id == id && $0.isOpen }) else {
            throw RegistryError(.notFound, "no open security alert has id \(id)")
        }
        let now = clock.nowMilliseconds()
        let signature = try signingKey.sign(SecurityAlertClearance.message(for: alert, by: operatorName, note: note, atMilliseconds: now)[...])
        guard try storage.clearSecurityAlert(id: id, by: operatorName, note: note, signature: Data(signature).base64EncodedString(),
                                             atMilliseconds: now) else {
            throw RegistryError(.notFound, "security alert \(id) was cleared meanwhile")
        }
    }
}
