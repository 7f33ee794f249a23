/// The role in which a person signs a document: the name of the document field that names them (PROTOCOL.md §14.1).
public enum SigningRole: String, Hashable, Sendable, CaseIterable, Comparable {
    case preparer, reviewer, approver
    /// The person who made a state change (`transition.actor`): a withdrawal at the node, a decision or a release
    /// at the hub.
    case actor

    public static func < (lhs: SigningRole, rhs: SigningRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One person's signature on one document (4/6): who, in which role, with which certified key, against which
/// registry version, and the signature bytes over the document's canonical form (§14.3).
public struct PersonalSignature: Hashable, Sendable {
    public var role: SigningRole
    /// The staff id (§6.6 key).
    public var staff: String
    /// The key id of the signer's certified key (§3.5 over its SubjectPublicKeyInfo; the `staff_key` row's key).
    public var keyID: String
    /// The registry version the signer's office had applied when it signed: the hub counter in its version vector.
    /// Office clocks are never trusted for "valid at the time"; this is (DECISIONS, People).
    public var registryVersion: Int64
    /// Ed25519: 64 bytes; SM2 with SM3: DER, about 70–72 bytes.
    public var signature: [UInt8]

    public init(role: SigningRole, staff: String, keyID: String, registryVersion: Int64, signature: [UInt8]) {
        self.role = role
        self.staff = staff
        self.keyID = keyID
        self.registryVersion = registryVersion
        self.signature = signature
    }

    /// The record of §14.2.
    public var field: FieldValue {
        .record(["role": .text(role.rawValue), "staff": .text(staff), "key": .text(keyID),
                 "version": .integer(registryVersion), "signature": .bytes(signature)])
    }

    /// The signatures of a document: its `signatures` field, a list ordered by role (§14.2).
    public static func field(_ signatures: [PersonalSignature]) -> FieldValue {
        .list(signatures.sorted { $0.role < $1.role }.map(\.field))
    }

    /// Reads a document's `signatures` field: `nil` when absent or null (an unsigned document).
    /// - Throws: `signature-malformed` for any other shape: not a list, an item that is not a record with exactly the
    ///   five fields of their kinds, an unknown role, two signatures for one role, more signatures than roles.
    public static func read(_ value: FieldValue?) throws(LedgerRuleViolation) -> [PersonalSignature]? {
        guard let value, value != .null else { return nil }
        func malformed(_ why: String) -> LedgerRuleViolation { LedgerRuleViolation(.signature(.malformed, why)) }
        guard case .list(let items) = value else { throw malformed("`signatures` is not a list") }
        guard items.count <= SigningRole.allCases.count else { throw malformed("\(items.count) signatures; a document has at most one per role") }
        var result: [PersonalSignature] = []
        for (index, item) in items.enumerated() {
            guard case .record(let map) = item, map.count == 5,
                  case .text(let roleName)? = map["role"], let role = SigningRole(rawValue: roleName),
                  case .text(let staff)? = map["staff"], !staff.isEmpty,
                  case .text(let keyID)? = map["key"], !keyID.isEmpty,
                  case .integer(let version)? = map["version"], version >= 0,
                  case .bytes(let signature)? = map["signature"], !signature.isEmpty, signature.count <= 512 else {
                throw malformed("signature \(index + 1) is not a record of role, staff, key, version and signature")
            }
            guard !result.contains(where: { $0.role == role }) else { throw malformed("two signatures in the role \(role.rawValue)") }
            if let last = result.last, !(last.role < role) { throw malformed("signatures are listed in role order (preparer, reviewer, approver, actor)") }
            result.append(PersonalSignature(role: role, staff: staff, keyID: keyID, registryVersion: version, signature: signature))
        }
        return result
    }
}

/// Where a person's signature comes from: a key file unlocked with the person's passphrase (`PersonalKeyring` in
/// BatchWire), or — the seam a PKCS#11 token plugs into — a device that signs without the private key ever leaving
/// it. Writers ask it for the key id first, so an office refuses to sign with a key its registry has not certified.
public protocol StaffSigner: Sendable {
    /// The key id of the key `staff` signs with here, or `nil` when this signer holds no key for them.
    /// - Throws: when the key exists but cannot be unlocked (a wrong passphrase, a damaged file).
    func keyID(for staff: String) throws -> String?
    /// The signature of `message` by `staff`'s key.
    func sign(_ message: [UInt8], as staff: String) throws -> [UInt8]
}
