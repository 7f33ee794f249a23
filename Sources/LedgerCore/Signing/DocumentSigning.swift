/// Which documents people sign, in which roles, and the exact bytes each signature covers (PROTOCOL.md §14).
///
/// Signatures are per document, not per change (DECISIONS, People). A document's signatures travel in its own
/// `signatures` field, which the signed bytes leave out; every other field is covered, including the names of the
/// people, so a signature cannot be moved to another document, another office or another role.
public enum DocumentSigning {
    /// The documents people sign: everything an office writes as a person's act. Registry records, rejections, the
    /// audit log, difference notices, resync answers and the hub's allocation orders and contracts are not in it:
    /// the hub's administrative acts are signed as audit entries (§14.7).
    public static let signedTables: Set<ReplicatedTable> = [
        .voucher, .bankJournal, .balanceReport, .slip, .forecast, .application, .accountRequest, .payment, .explanation,
        .confirmation, .transition, .statement,
    ]

    /// Records signed when the person they name holds a key here, and left unsigned otherwise, without the rule
    /// that an office which has signed once signs always (§14.7): the audit log, whose entry names the person who ran
    /// a command (or the operating-system account, `os:<user>`, when no person is named).
    public static let optionallySignedTables: Set<ReplicatedTable> = [.audit]

    /// The name an office writes where the software, not a person, acted (a counterpart booking, a slip the hub
    /// derives during an import). It names nobody, so nobody signs for it (§14.2).
    public static let softwareActor = "system (document collaboration)"

    /// The document fields that name a signer, by role: every role field that is non-empty text other than
    /// ``softwareActor``.
    public static func signers(in fields: [String: FieldValue]) -> [(role: SigningRole, staff: String)] {
        SigningRole.allCases.compactMap { role in
            guard case .text(let staff)? = fields[role.rawValue], !staff.isEmpty, staff != softwareActor else { return nil }
            return (role, staff)
        }
    }

    /// True when `fields` are a booking an office writes by itself, as the counterpart of a document another office
    /// or another act recorded — a slip's booking, a released payment's, the bank receipt that clears an allocation
    /// slip, an interest settlement, a contract's postings (§14.4). Its `source` names that document, whose own
    /// signatures are the people's; the booking is written during an import, when none of them is at the keyboard,
    /// so nobody signs it.
    public static func isAutomaticBooking(table: ReplicatedTable, fields: [String: FieldValue]) -> Bool {
        guard table == .voucher, case .text(let source)? = fields["source"] else { return false }
        return automaticSources.contains { source.hasPrefix($0) }
    }

    /// The `source` prefixes of automatic bookings (§6.4).
    public static let automaticSources = ["slip:", "receipt:", "payment:", "interest:", "contract:"]

    /// The magic that starts every signed message, so a personal signature can never be taken for a batch
    /// signature or a certificate's.
    public static let magic = Array("FundSync personal signature 1".utf8) + [0]

    /// The bytes a signature covers (§14.3): the magic, then the table, key, origin, role, staff id and key id as
    /// 32-bit-length strings, the registry version as a big-endian int64, then the document's field map in its
    /// canonical form (§5.2) without `signatures`.
    public static func message(table: String, key: String, origin: OrgCode, role: SigningRole, staff: String, keyID: String,
                               registryVersion: Int64, fields: [String: FieldValue]) -> [UInt8] {
        message(table: table, key: key, origin: origin, role: role, staff: staff, keyID: keyID, registryVersion: registryVersion,
                encodedContent: encodedContent(fields))
    }

    /// The canonical field map of `fields` without `signatures`: the part of the message every signer of one
    /// document shares, encoded once.
    public static func encodedContent(_ fields: [String: FieldValue]) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        var content = fields
        content["signatures"] = nil
        ChangeCodec.encodeMap(content, into: &writer)
        return writer.bytes
    }

    /// The message of one signer, with the document's content already encoded (``encodedContent(_:)``).
    public static func message(table: String, key: String, origin: OrgCode, role: SigningRole, staff: String, keyID: String,
                               registryVersion: Int64, encodedContent: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: 128 + encodedContent.count)
        writer.write(contentsOf: magic)
        for text in [table, key, origin.rawValue, role.rawValue, staff, keyID] { writer.writeString32(text) }
        writer.write(registryVersion)
        writer.write(contentsOf: encodedContent)
        return writer.bytes
    }

    /// Signs a document about to be written: one signature per named person, each with the key `signer` holds for
    /// them, against `registryVersion`. `certifiedKey` answers whether the office's registry holds an unrevoked
    /// certificate of that key for that person (an office never signs with a key it could not vouch for).
    /// - Throws: `signer-unknown` when `signer` has no key for a named person, or the registry has not certified it.
    public static func sign(table: ReplicatedTable, key: String, origin: OrgCode, fields: [String: FieldValue],
                            registryVersion: Int64, signer: any StaffSigner,
                            certifiedKey: (_ staff: String, _ keyID: String) throws -> Bool) throws -> FieldValue {
        var signatures: [PersonalSignature] = []
        let content = encodedContent(fields)
        for (role, staff) in signers(in: fields) {
            guard let keyID = try signer.keyID(for: staff) else {
                throw LedgerRuleViolation(.signature(.signerUnknown, "no key of \(staff) is unlocked here to sign as \(role.rawValue)"))
            }
            guard try certifiedKey(staff, keyID) else {
                throw LedgerRuleViolation(.signature(.signerUnknown,
                    "key \(keyID) of \(staff) is not certified (or is revoked) in this office's registry at version \(registryVersion)"))
            }
            let bytes = message(table: table.rawValue, key: key, origin: origin, role: role, staff: staff, keyID: keyID,
                                registryVersion: registryVersion, encodedContent: content)
            signatures.append(PersonalSignature(role: role, staff: staff, keyID: keyID, registryVersion: registryVersion,
                                                signature: try signer.sign(bytes, as: staff)))
        }
        return PersonalSignature.field(signatures)
    }
}
