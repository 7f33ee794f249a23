/// The hub's certificate of one person's key (4/6): a registry record binding the staff id, name, unit, posts,
/// validity and public key, signed by the hub's own key so that anyone holding the registry can check it offline
/// (PROTOCOL.md §14.1, table `staff_key`). Enrolling, rotating and revoking a key are registry changes, pushed down
/// only to the node that keeps the person's unit.
public struct StaffCertificate: Hashable, Sendable {
    /// §3.5 key id of `publicKey`: the row's key.
    public var keyID: String
    public var staff: String
    public var org: OrgCode
    public var name: String
    public var roles: Set<StaffRole>
    /// `ed25519` or `sm2-sm3`.
    public var algorithm: String
    /// SubjectPublicKeyInfo DER.
    public var publicKey: [UInt8]
    /// The last business date a document signed with this key may carry.
    public var validUntil: BusinessDate
    /// The registry version (hub counter) of the change that issued the certificate.
    public var certifiedIn: Int64
    /// Key id of the hub key that signed the certificate.
    public var issuerKey: String
    public var certificateSignature: [UInt8]
    public var revocation: Revocation?

    public struct Revocation: Hashable, Sendable {
        /// The registry version (hub counter) of the change that revoked the key.
        public var revokedIn: Int64
        public var reason: String
        public var date: BusinessDate
        /// The staff id of the administrator who revoked it.
        public var by: String

        public init(revokedIn: Int64, reason: String, date: BusinessDate, by: String) {
            self.revokedIn = revokedIn
            self.reason = reason
            self.date = date
            self.by = by
        }
    }

    public init(keyID: String, staff: String, org: OrgCode, name: String, roles: Set<StaffRole>, algorithm: String,
                publicKey: [UInt8], validUntil: BusinessDate, certifiedIn: Int64, issuerKey: String,
                certificateSignature: [UInt8] = [], revocation: Revocation? = nil) {
        self.keyID = keyID
        self.staff = staff
        self.org = org
        self.name = name
        self.roles = roles
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.validUntil = validUntil
        self.certifiedIn = certifiedIn
        self.issuerKey = issuerKey
        self.certificateSignature = certificateSignature
        self.revocation = revocation
    }

    /// The posts as the registry writes them: comma-separated, in byte order (§6.6).
    public var rolesText: String { roles.map(\.rawValue).sorted().joined(separator: ",") }

    /// The fields the hub's signature covers: everything but the signature itself and the revocation (§14.1).
    public var certifiedFields: [String: FieldValue] {
        ["staff": .text(staff), "org": .text(org.rawValue), "name": .text(name), "roles": .text(rolesText),
         "algorithm": .text(algorithm), "public_key": .bytes(publicKey), "valid_until": .text(validUntil.description),
         "certified_in": .integer(certifiedIn), "issuer_key": .text(issuerKey)]
    }

    /// The record's change fields.
    public var fields: [String: FieldValue] {
        var all = certifiedFields
        all["certificate_signature"] = .bytes(certificateSignature)
        all["revoked_in"] = revocation.map { .integer($0.revokedIn) } ?? .null
        all["revoked_reason"] = revocation.map { .text($0.reason) } ?? .null
        all["revoked_on"] = revocation.map { .text($0.date.description) } ?? .null
        all["revoked_by"] = revocation.map { .text($0.by) } ?? .null
        return all
    }

    public static let magic = Array("FundSync staff certificate 1".utf8) + [0]

    /// The bytes the hub signs: the magic, the key id as a 32-bit-length string, then the certified fields as a
    /// canonical field map (§5.2).
    public var signedBytes: [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.write(contentsOf: Self.magic)
        writer.writeString32(keyID)
        ChangeCodec.encodeMap(certifiedFields, into: &writer)
        return writer.bytes
    }

    /// Reads a `staff_key` record.
    public init(key: String, fields: [String: FieldValue]) throws(LedgerRuleViolation) {
        let reader = FieldReader(fields, context: "staff_key")
        guard case .bytes(let publicKey)? = fields["public_key"], case .bytes(let signature)? = fields["certificate_signature"] else {
            throw .malformed("staff_key \(key): public_key and certificate_signature are bytes")
        }
        guard let validUntil = BusinessDate(try reader.text("valid_until")) else {
            throw LedgerRuleViolation(.invalidDate(try reader.text("valid_until")))
        }
        var revocation: Revocation?
        if let revokedIn = try reader.optionalInteger("revoked_in") {
            guard let on = BusinessDate(try reader.text("revoked_on")) else { throw LedgerRuleViolation(.invalidDate(try reader.text("revoked_on"))) }
            revocation = Revocation(revokedIn: revokedIn, reason: try reader.text("revoked_reason"), date: on, by: try reader.text("revoked_by"))
        }
        self.init(keyID: key, staff: try reader.text("staff"), org: try reader.orgCode("org"), name: try reader.text("name"),
                  roles: Set(try reader.text("roles").split(separator: ",").compactMap { StaffRole(rawValue: String($0)) }),
                  algorithm: try reader.text("algorithm"), publicKey: publicKey, validUntil: validUntil,
                  certifiedIn: try reader.integer("certified_in"), issuerKey: try reader.text("issuer_key"),
                  certificateSignature: signature, revocation: revocation)
    }
}
