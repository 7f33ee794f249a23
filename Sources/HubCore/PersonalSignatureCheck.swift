import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// The hub's check of the people's signatures on a node's document (4/6, PROTOCOL.md §14.5), against the registry as
/// of the version each signature names — never an office's clock (DECISIONS, People).
///
/// Runs after the document's own checks, so it reads fields already known to be well formed. Each failure is a
/// ``SignatureRule``, the rule's name travelling as the rejection's code.
struct PersonalSignatureCheck {
    let hub: OrgCode
    let transaction: ReplicaTransaction

    /// The parameter that ends the compatibility window: `refused` refuses every unsigned document, whatever the
    /// office's release (DECISIONS: unsigned documents are accepted from a node one release behind only during it).
    static let unsignedDocumentsParameter = "unsigned_documents"

    func check(_ change: Change, table: ReplicatedTable) throws {
        let optional = DocumentSigning.optionallySignedTables.contains(table)
        guard DocumentSigning.signedTables.contains(table) || optional else { return }
        let origin = change.id.origin
        if DocumentSigning.isAutomaticBooking(table: table, fields: change.fields) {
            // Exempt only when it books a document the hub holds: otherwise any voucher could claim a source and
            // go unsigned.
            guard try automaticSourceExists(change.fields["source"]?.textValue ?? "", origin: origin) else {
                throw violation(.missing, "voucher \(change.key) claims to book \(change.fields["source"]?.textValue ?? "") automatically, "
                                + "but the hub holds no such document; a person's voucher is signed")
            }
            return
        }
        if change.fields["preparer"]?.textValue == DocumentSigning.softwareActor {
            throw violation(.missing, "only an automatic booking is prepared by the software; this \(table.rawValue) names no person")
        }
        let named = DocumentSigning.signers(in: change.fields)
        guard let signatures = try PersonalSignature.read(change.fields["signatures"]) else {
            guard !named.isEmpty, !optional else { return }
            if try transaction.signsDocuments(origin) {
                throw violation(.unsignedAfterUpgrade, "\(origin) signs its documents with personal keys since its first signed document; "
                                + "this \(table.rawValue) is unsigned")
            }
            if try transaction.unsignedDocumentsSetting() == "refused" {
                throw violation(.unsignedAfterUpgrade, "the hub has closed the window for unsigned documents (parameter unsigned_documents)")
            }
            return  // accepted unsigned: an office of the previous release (reports mark it "unsigned (older release)")
        }
        for signature in signatures where !named.contains(where: { $0.role == signature.role && $0.staff == signature.staff }) {
            throw violation(.unexpected, "\(signature.staff) signed as \(signature.role.rawValue), but the document names "
                            + (named.first { $0.role == signature.role }.map { "\($0.staff)" } ?? "nobody") + " in that role")
        }
        for person in named where !signatures.contains(where: { $0.role == person.role }) {
            throw violation(.missing, "\(person.staff) is named as \(person.role.rawValue) but has not signed")
        }
        let current = transaction.vector[hub]
        let acknowledged = try transaction.acknowledgedVector(of: origin)[hub]
        let date = change.fields["date"]?.textValue.flatMap(BusinessDate.init)
        let content = DocumentSigning.encodedContent(change.fields)
        for signature in signatures {
            try check(signature, change: change, table: table, current: current, acknowledged: acknowledged, date: date, content: content)
        }
        if !optional {
            let document = "\(table.rawValue):\(change.key)"
            transaction.afterApply.append { try $0.recordSigningOffice(origin, document: document) }
        }
    }

    private func check(_ signature: PersonalSignature, change: Change, table: ReplicatedTable, current: Int64, acknowledged: Int64,
                       date: BusinessDate?, content: [UInt8]) throws {
        let origin = change.id.origin, who = "\(signature.staff) (\(signature.role.rawValue))"
        guard let certificate = try transaction.staffCertificate(signature.keyID), certificate.staff == signature.staff else {
            throw violation(.signerUnknown, "no certificate binds key \(signature.keyID) to \(who)")
        }
        guard signature.registryVersion <= current else {
            throw violation(.registryVersionAhead, "\(who) signed against registry version \(signature.registryVersion); the hub has written \(current)")
        }
        guard signature.registryVersion >= acknowledged else {
            throw violation(.registryVersionStale, "\(who) signed against registry version \(signature.registryVersion), but \(origin) "
                            + "had already acknowledged version \(acknowledged)")
        }
        guard certificate.certifiedIn <= signature.registryVersion else {
            throw violation(.keyNotYetCertified, "key \(signature.keyID) of \(signature.staff) was certified in version \(certificate.certifiedIn), "
                            + "after the version \(signature.registryVersion) the signature names")
        }
        if let revocation = certificate.revocation, revocation.revokedIn <= signature.registryVersion {
            throw violation(.keyRevoked, "key \(signature.keyID) of \(signature.staff) was revoked in version \(revocation.revokedIn) "
                            + "(\(revocation.reason)), which \(origin) had applied when it signed")
        }
        if let date, date > certificate.validUntil {
            throw violation(.keyExpired, "key \(signature.keyID) of \(signature.staff) is valid until \(certificate.validUntil); the document is dated \(date)")
        }
        guard try certificate.org == origin || transaction.lookup(asOf: BusinessDate("9999-12-31")!).keepsBooks(of: certificate.org, origin: origin) else {
            throw violation(.signerOfOtherUnit, "\(signature.staff) is certified at \(certificate.org), not at \(origin) or a unit whose books it keeps")
        }
        if signature.role == .approver, certificate.roles.allSatisfy({ $0.approvalRank == 0 }) {
            throw violation(.signerLacksPost, "\(signature.staff) holds no approving post (\(certificate.rolesText)) and may not sign as approver")
        }
        let message = DocumentSigning.message(table: table.rawValue, key: change.key, origin: origin, role: signature.role,
                                              staff: signature.staff, keyID: signature.keyID,
                                              registryVersion: signature.registryVersion, encodedContent: content)
        guard try PublicKeyCache.shared.key(certificate).verify(signature: signature.signature[...], message: message[...]) else {
            throw violation(.invalid, "the signature of \(who) does not verify with key \(signature.keyID)")
        }
        if let revocation = certificate.revocation {
            // Revoked in a version the office had not applied when it signed: it could not know. Accepted, and flagged
            // once the document is applied.
            let key = change.key, keyID = signature.keyID, staff = signature.staff
            let reason = "signed against version \(signature.registryVersion); the key was revoked in version \(revocation.revokedIn) (\(revocation.reason))"
            transaction.afterApply.append {
                try $0.flagSignatureForReview(table: table, document: key, keyID: keyID, origin: origin, staff: staff, reason: reason)
            }
        }
    }

    /// Whether the hub holds the document an automatic booking's `source` names, and it concerns the origin: a slip
    /// the origin issued or receives (its booking, or the receipt that clears it), or a payment of the origin's. The
    /// hub's own sources (interest, contracts) never come from a node. Citing another office's slip buys nothing.
    private func automaticSourceExists(_ source: String, origin: OrgCode) throws -> Bool {
        let parts = source.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return false }
        switch parts[0] {
        case "slip", "receipt":
            guard let slip = try transaction.document(.slip, parts[1]) else { return false }
            return [slip["issuer"], slip["receiver"]].contains { $0?.textValue == origin.rawValue }
        case "payment":
            return try transaction.document(.payment, parts[1])?["org"]?.textValue == origin.rawValue
        default:
            return false
        }
    }

    private func violation(_ rule: SignatureRule, _ detail: String) -> LedgerRuleViolation {
        LedgerRuleViolation(.signature(rule, detail))
    }
}

/// Parsed certified keys, by key id: a key id is the hash of the key's bytes, so an entry never goes stale. Bounded,
/// so a registry of 100,000 people does not keep every key in memory.
final class PublicKeyCache: @unchecked Sendable {
    static let shared = PublicKeyCache()
    static let capacity = 20_000
    private let lock = NSLock()
    private var keys: [String: PublicKey] = [:]

    func key(_ certificate: StaffCertificate) throws -> PublicKey {
        if let key = lock.withLock({ keys[certificate.keyID] }) { return key }
        let key: PublicKey
        do {
            key = try PublicKey(der: certificate.publicKey)
        } catch {
            throw LedgerRuleViolation(.signature(.signerUnknown, "certificate \(certificate.keyID) holds no readable public key: \(error)"))
        }
        guard key.keyID == certificate.keyID else {
            throw LedgerRuleViolation(.signature(.signerUnknown, "certificate \(certificate.keyID) holds a key whose id is \(key.keyID)"))
        }
        lock.withLock {
            if keys.count >= Self.capacity { keys.removeAll(keepingCapacity: true) }
            keys[certificate.keyID] = key
        }
        return key
    }
}
