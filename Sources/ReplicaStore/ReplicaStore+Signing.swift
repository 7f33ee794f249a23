import Foundation
import GRDB
import LedgerCore

/// The people's keys an office process holds unlocked (4/6), shared by its transactions like the audit context.
final class StaffSignerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var signer: (any StaffSigner)?

    var value: (any StaffSigner)? {
        get { lock.withLock { signer } }
        set { lock.withLock { signer = newValue } }
    }
}

extension ReplicaStore {
    /// Who signs the documents this process writes: `nil` writes them unsigned, as an office of release 1 does, which
    /// the hub accepts only until the office's first signed document or until it closes the compatibility window
    /// (PROTOCOL.md §14.6). Set by the composition root from the people's unlocked key files.
    public var signer: (any StaffSigner)? {
        get { signerBox.value }
        set { signerBox.value = newValue }
    }

    /// Whether this office has written a signed document: from then on it writes none unsigned (§14.6).
    public func signsDocuments() throws -> Bool {
        try meta(ReplicaTransaction.signingSinceKey) != nil
    }
}

extension ReplicaTransaction {
    static let signingSinceKey = "personal_signatures_since"

    /// Whether this node has written a signed document (read once per transaction).
    func hasSignedBefore() throws -> Bool {
        if let known = signsSinceCache { return known }
        let known = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.signingSinceKey]) != nil
        signsSinceCache = known
        return known
    }

    /// The registry version this office has applied: the hub's counter in its version vector (the hub's own
    /// counter at the hub). A signature names it (§14.2).
    public func registryVersion() throws -> Int64 {
        if role == .hub { return vector[org] }
        guard let hub = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hub_org'").flatMap(OrgCode.init) else { return 0 }
        return vector[hub]
    }

    /// The certificate of `keyID`, revoked or not.
    public func staffCertificate(_ keyID: String) throws -> StaffCertificate? {
        if let cached = certificateCache[keyID] { return cached }
        let certificate = try document(.staffKey, keyID).map { try StaffCertificate(key: keyID, fields: $0) }
        certificateCache[keyID] = certificate
        return certificate
    }

    /// The certificates of `staff`, newest first.
    public func staffCertificates(of staff: String) throws -> [StaffCertificate] {
        try String.fetchAll(db, sql: "SELECT id FROM staff_key WHERE staff = ? ORDER BY certified_in DESC", arguments: [staff])
            .compactMap { try staffCertificate($0) }
    }

    /// The newest version vector `peer` had acknowledged in a batch before the one being received, other than the
    /// one this batch carries: the hub's evidence of "the registry version that office had already applied" when it
    /// wrote the batch's changes (§14.5). The acknowledgement the batch itself carries is no evidence (the node may
    /// have written the changes before it applied what it acknowledges), nor is that of an earlier batch of the
    /// same export (a large export is split into batches sealed together, all with the same acknowledgement).
    public func acknowledgedVector(of peer: OrgCode) throws -> VersionVector {
        if let cached = acknowledgedVectors[peer] { return cached }
        let row = try Row.fetchOne(db, sql: "SELECT reported_vector, previous_reported_vector FROM stream_in WHERE peer = ?",
                                   arguments: [peer.rawValue])
        let reported = TransitionApplier.parseVector(row?["reported_vector"] ?? "{}")
        let vector = reported == receivingAck ? TransitionApplier.parseVector(row?["previous_reported_vector"] ?? "{}") : reported
        acknowledgedVectors[peer] = vector
        return vector
    }

    /// Whether `org` has announced personal keys at this hub: its first signed document was applied (§14.6).
    public func signsDocuments(_ office: OrgCode) throws -> Bool {
        if let known = signingOfficeCache[office] { return known }
        let signs = try Bool.fetchOne(db, sql: "SELECT 1 FROM signing_office WHERE org = ?", arguments: [office.rawValue]) ?? false
        signingOfficeCache[office] = signs
        return signs
    }

    /// The latest value of the parameter `unsigned_documents` (§14.6), read once per transaction.
    public func unsignedDocumentsSetting() throws -> String? {
        if let cached = unsignedDocumentsCache { return cached }
        let value = try parameter("unsigned_documents", asOf: BusinessDate("9999-12-31")!)
        unsignedDocumentsCache = .some(value)
        return value
    }

    /// Records that `office` has announced personal keys with `document`, its first signed document.
    public func recordSigningOffice(_ office: OrgCode, document: String) throws {
        guard signingOfficeCache[office] != true else { return }
        try db.execute(sql: "INSERT INTO signing_office (org, first_signed) VALUES (?, ?) ON CONFLICT(org) DO NOTHING",
                       arguments: [office.rawValue, document])
        signingOfficeCache[office] = true
    }

    /// Flags an accepted document for a review of one signature (the key was revoked after the version it names).
    public func flagSignatureForReview(table: ReplicatedTable, document: String, keyID: String, origin: OrgCode, staff: String,
                                       reason: String) throws {
        try db.execute(sql: """
            INSERT INTO signature_review (doc_table, doc_id, key_id, origin, staff, reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [table.rawValue, document, keyID, origin.rawValue, staff, reason, nowMilliseconds()])
    }

    /// Whether this replica's registry holds an unrevoked certificate of `keyID` for `staff`.
    func isCertified(staff: String, keyID: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM staff_key WHERE id = ? AND staff = ? AND revoked_in IS NULL", arguments: [keyID, staff]) ?? false
    }

    /// Every registered staff id, in order.
    public func staffIDs() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM staff ORDER BY id")
    }

    /// Every certificate, by staff id, newest first.
    public func allStaffCertificates() throws -> [StaffCertificate] {
        try String.fetchAll(db, sql: "SELECT id FROM staff_key ORDER BY staff, certified_in DESC").compactMap { try staffCertificate($0) }
    }

    /// The fields of a document about to be written, with the signatures of the people it names when this process
    /// holds their keys (§14.3). An office that has signed once refuses to write a document unsigned.
    func signedFields(table: ReplicatedTable, key: String, operation: ChangeOperation,
                      fields: [String: FieldValue]) throws -> [String: FieldValue] {
        // An audit entry is signed when its actor's key is here and certified in this office's registry, and stays
        // unsigned otherwise (before the key ceremony, or by an operating-system account): it never stops a command.
        if table == .audit, operation == .insert, fields["signatures"] == nil, let signer,
           case .text(let actor)? = fields["actor"], !actor.hasPrefix("os:"), let keyID = try signer.keyID(for: actor),
           try isCertified(staff: actor, keyID: keyID) {
            var signed = fields
            signed["signatures"] = try DocumentSigning.sign(
                table: table, key: key, origin: org, fields: fields, registryVersion: try registryVersion(), signer: signer,
                certifiedKey: { staff, keyID in try isCertified(staff: staff, keyID: keyID) })
            return signed
        }
        guard operation == .insert, DocumentSigning.signedTables.contains(table), fields["signatures"] == nil,
              !DocumentSigning.isAutomaticBooking(table: table, fields: fields),
              !DocumentSigning.signers(in: fields).isEmpty else { return fields }
        guard let signer else {
            if role == .node, try hasSignedBefore() {
                throw LedgerRuleViolation(.signature(.unsignedAfterUpgrade,
                    "this office signs its documents with personal keys since its first signed document; unlock the signers' keys"))
            }
            return fields
        }
        let version = try registryVersion()
        var signed = fields
        signed["signatures"] = try DocumentSigning.sign(
            table: table, key: key, origin: org, fields: fields, registryVersion: version, signer: signer,
            certifiedKey: { staff, keyID in try isCertified(staff: staff, keyID: keyID) })
        if role == .node, try !hasSignedBefore() {
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                           arguments: [Self.signingSinceKey, "\(table.rawValue) \(key)"])
            signsSinceCache = true
        }
        return signed
    }
}

/// A document the hub accepted whose signature a person should look at: the key was revoked in a registry version
/// the signer's office had not applied when it signed (§14.5).
public struct SignatureReview: Codable, Sendable, Equatable {
    public var table: String
    public var document: String
    public var keyID: String
    public var origin: String
    public var staff: String
    public var reason: String
    public var atMilliseconds: Int64
}

extension ReplicaStore {
    /// The hub's signatures flagged for review, oldest first (empty at a node).
    public func signatureReviews() throws -> [SignatureReview] {
        guard role == .hub else { return [] }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT doc_table, doc_id, key_id, origin, staff, reason, at_ms FROM signature_review ORDER BY at_ms, doc_id")
                .map { SignatureReview(table: $0["doc_table"], document: $0["doc_id"], keyID: $0["key_id"], origin: $0["origin"],
                                       staff: $0["staff"], reason: $0["reason"], atMilliseconds: $0["at_ms"]) }
        }
    }
}
