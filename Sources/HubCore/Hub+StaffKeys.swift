import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// The posts that may enrol, rotate and revoke people's keys at the hub: the fund centre's manager and its
    /// supervisor (the key officer of D0's UKEY rollout).
    public static let keyOfficerPosts: Set<StaffRole> = [.fundCentreManager, .fundCentreSupervisor]

    /// Certifies `publicKey` as the signing key of registered staff member `staff` until `validUntil` (4/6): a
    /// `staff_key` record with the person's unit, name and posts as the registry holds them now, signed with the
    /// hub's key, pushed down to the node that keeps the person's unit.
    /// - Parameter by: the key officer (a hub staff member holding a post of ``keyOfficerPosts``), never the person.
    /// - Returns: the certificate.
    /// - Throws: ``RegistryError`` for an unknown person, a key already certified, an officer without the post.
    @discardableResult
    public func certifyStaffKey(staff: String, publicKey: PublicKey, validUntil: BusinessDate, by officer: String) throws -> StaffCertificate {
        try write { transaction, _ in try certify(staff: staff, publicKey: publicKey, validUntil: validUntil, by: officer, in: transaction) }
    }

    private func certify(staff: String, publicKey: PublicKey, validUntil: BusinessDate, by officer: String,
                         in transaction: ReplicaTransaction) throws -> StaffCertificate {
        try requireRegistryAuthority(officer, Self.keyOfficerPosts, to: "certify a person's key", in: transaction)
        guard officer != staff else { throw RegistryError(.notPermitted, "\(officer) may not certify their own key: another key officer does") }
        guard let member = try transaction.staffMember(staff) else { throw RegistryError(.notFound, "staff \(staff) is not registered") }
        if let existing = try transaction.staffCertificate(publicKey.keyID) {
            throw RegistryError(.conflict, "key \(publicKey.keyID) is already certified for \(existing.staff); a new key is generated for every person")
        }
        var certificate = StaffCertificate(
            keyID: publicKey.keyID, staff: staff, org: member.org, name: member.name, roles: member.roles,
            algorithm: publicKey.algorithm == .ed25519 ? "ed25519" : "sm2-sm3", publicKey: publicKey.derBytes, validUntil: validUntil,
            certifiedIn: transaction.vector[org] + 1, issuerKey: signingKey.publicKey.keyID)
        certificate.certificateSignature = try signingKey.sign(certificate.signedBytes[...])
        try transaction.appendLocal(table: .staffKey, key: certificate.keyID, operation: .insert, fields: certificate.fields)
        return certificate
    }

    /// Revokes a certified key (lost, compromised, the person left or changed post). Documents signed against a
    /// registry version that already held the revocation are refused from then on; those signed before the
    /// signer's office could know of it are accepted and flagged for review (§14.5).
    @discardableResult
    public func revokeStaffKey(_ keyID: String, reason: String, date: BusinessDate, by officer: String) throws -> StaffCertificate {
        try write { transaction, _ in try revoke(keyID, reason: reason, date: date, by: officer, in: transaction) }
    }

    private func revoke(_ keyID: String, reason: String, date: BusinessDate, by officer: String,
                        in transaction: ReplicaTransaction) throws -> StaffCertificate {
        try requireRegistryAuthority(officer, Self.keyOfficerPosts, to: "revoke a person's key", in: transaction)
        guard var certificate = try transaction.staffCertificate(keyID) else { throw RegistryError(.notFound, "no certified key \(keyID)") }
        guard certificate.revocation == nil else { throw RegistryError(.conflict, "key \(keyID) of \(certificate.staff) is already revoked") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RegistryError(.invalidValue, "a revocation states its reason") }
        certificate.revocation = .init(revokedIn: transaction.vector[org] + 1, reason: reason, date: date, by: officer)
        try transaction.appendLocal(table: .staffKey, key: keyID, operation: .update, fields: certificate.fields)
        return certificate
    }

    /// Certifies `staff`'s new key and revokes every key of theirs still valid, in one transaction: there is never a
    /// moment when the person has two valid keys, or none.
    @discardableResult
    public func rotateStaffKey(staff: String, to publicKey: PublicKey, validUntil: BusinessDate, reason: String, date: BusinessDate,
                               by officer: String) throws -> (certified: StaffCertificate, revoked: [String]) {
        try write { transaction, _ in
            let old = try transaction.staffCertificates(of: staff).filter { $0.revocation == nil }
            let new = try certify(staff: staff, publicKey: publicKey, validUntil: validUntil, by: officer, in: transaction)
            for certificate in old { _ = try revoke(certificate.keyID, reason: reason, date: date, by: officer, in: transaction) }
            return (new, old.map(\.keyID))
        }
    }

    /// Every certificate, newest first (`hub staff-key list`).
    public func staffCertificates(of staff: String? = nil) throws -> [StaffCertificate] {
        try store.read { reader in try staff.map { try reader.staffCertificates(of: $0) } ?? reader.allStaffCertificates() }
    }
}

extension Hub {
    /// Accepted documents whose signature waits for a person's review (`hub signatures --review`).
    public func signatureReviews() throws -> [SignatureReview] { try store.signatureReviews() }
}
