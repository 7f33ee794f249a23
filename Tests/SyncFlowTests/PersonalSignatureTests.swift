import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// 4/6 A: every document is signed by the people it names, and the hub checks each signature against the registry
/// as of the version the signer's office had applied. One test per rule of PROTOCOL.md §14.5: a forged or wrong-role
/// signature is rejected with the rule's name.
@Suite struct PersonalSignatureTests {
    static let county = "340121"
    static let cashier = "340121-cashier", manager = "340121-manager"

    /// A province whose people all hold certified keys, with the county's opening already at the hub.
    func province() throws -> BusinessProvince {
        let province = try BusinessProvince(counties: [Self.county, "340122"])
        try province.enrolPersonalKeys()
        return province
    }

    /// A voucher of the county: Dr expense subject / Cr its expense bank account, ¥12.34.
    func voucherFields(id: String, date: String = "2026-11-02", memo: String = "office supplies",
                       preparer: String = cashier, reviewer: String? = manager, approver: String? = nil) -> [String: FieldValue] {
        Voucher(id: id, org: OrgCode(Self.county)!, date: BusinessDate(date)!, currency: .cny, memo: memo, preparer: preparer,
                reverses: nil, lines: [
                    VoucherLine(account: "\(Self.county):6602", side: .debit, amount: AmountMinorUnits(1234)),
                    VoucherLine(account: BusinessProvince.expense(Self.county), side: .credit, amount: AmountMinorUnits(1234)),
                ], reviewer: reviewer, approver: approver).fields
    }

    /// `role`'s signature by `staff` with `key` over `fields` of voucher `id`, against `version`.
    func signature(_ fields: [String: FieldValue], id: String, role: SigningRole, staff: String, key: SigningKey,
                   version: Int64) throws -> PersonalSignature {
        let message = DocumentSigning.message(table: "voucher", key: id, origin: OrgCode(Self.county)!, role: role, staff: staff,
                                              keyID: key.publicKey.keyID, registryVersion: version, fields: fields)
        return PersonalSignature(role: role, staff: staff, keyID: key.publicKey.keyID, registryVersion: version,
                                 signature: try key.sign(message[...]))
    }

    /// The county's registry version now.
    func version(_ province: BusinessProvince) throws -> Int64 {
        try province.node(Self.county).store.read { try $0.registryVersion() }
    }

    /// Writes `fields` as voucher `id` at the county exactly as given (a node that skipped its own checks), carries it to
    /// the hub, and returns the code of the hub's rejection, or `nil` when the hub accepted it.
    func send(_ fields: [String: FieldValue], id: String, in province: BusinessProvince) throws -> String? {
        let node = province.node(Self.county)
        _ = try node.store.write(policy: try node.replicaPolicy) { transaction in
            try transaction.appendLocal(table: .voucher, key: id, operation: .insert, businessDate: fields["date"]?.textValue ?? "",
                                        fields: fields)
        }
        try province.sync(Self.county)
        return try province.hub.store.rejectedChanges().first { $0.key == id }.map { $0.code ?? "(none)" }
    }

    /// Signs `fields` as preparer and reviewer with the people's certified keys against the county's version.
    func signedByBoth(_ fields: [String: FieldValue], id: String, in province: BusinessProvince) throws -> [String: FieldValue] {
        var signed = fields
        let version = try version(province)
        signed["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: PersonalKeys.key(for: Self.cashier), version: version),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: PersonalKeys.key(for: Self.manager), version: version),
        ])
        return signed
    }

    @Test func aDocumentSignedByItsPeopleIsAcceptedAndKeepsItsSignatures() throws {
        let province = try province()
        defer { province.remove() }
        let node = province.node(Self.county)
        let voucher = try node.post([VoucherDraft(date: "2026-11-02", memo: "signed", preparer: Self.cashier, lines: [
            .init(account: "\(Self.county):6602", debit: "12.34"), .init(account: BusinessProvince.expense(Self.county), credit: "12.34"),
        ], reviewer: Self.manager)])[0]
        try province.sync(Self.county)
        #expect(try province.hub.store.rejectedChanges().isEmpty)
        let stored = try province.hub.store.read { try $0.document(.voucher, voucher.id) }
        let text = stored?["signatures"]?.textValue ?? ""
        #expect(text.contains("\"role\":\"preparer\"") && text.contains("\"role\":\"reviewer\"") && text.contains(Self.manager), "\(text)")
        // The forged-signature path of the tests below is the real one: the same fields signed by hand are accepted.
        let id = "\(Self.county)-V900001"
        #expect(try send(try signedByBoth(voucherFields(id: id), id: id, in: province), id: id, in: province) == nil)
    }

    @Test func eachBrokenRuleIsRejectedWithItsName() throws {
        let province = try province()
        defer { province.remove() }
        var serial = 900_100
        func nextID() -> String { serial += 1; return "\(Self.county)-V\(serial)" }
        let cashierKey = try PersonalKeys.key(for: Self.cashier), managerKey = try PersonalKeys.key(for: Self.manager)

        // signature-malformed: not a list of signature records.
        var id = nextID()
        var fields = voucherFields(id: id)
        fields["signatures"] = .text("signed, trust me")
        #expect(try send(fields, id: id, in: province) == "signature-malformed")

        // signature-missing: the reviewer is named but has not signed.
        id = nextID()
        fields = voucherFields(id: id)
        fields["signatures"] = PersonalSignature.field([try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: cashierKey,
                                                                      version: try version(province))])
        #expect(try send(fields, id: id, in: province) == "signature-missing")

        // signature-unexpected: someone signs as approver where the document names no approver.
        id = nextID()
        fields = try signedByBoth(voucherFields(id: id), id: id, in: province)
        var list = try PersonalSignature.read(fields["signatures"])!
        list.append(try signature(voucherFields(id: id), id: id, role: .approver, staff: "340121-head",
                                  key: PersonalKeys.key(for: "340121-head"), version: try version(province)))
        fields["signatures"] = PersonalSignature.field(list)
        #expect(try send(fields, id: id, in: province) == "signature-unexpected")

        // signature-invalid: a field changed after signing (the memo), or a signature moved to another document.
        id = nextID()
        fields = try signedByBoth(voucherFields(id: id), id: id, in: province)
        fields["memo"] = .text("office supplies and a car")
        #expect(try send(fields, id: id, in: province) == "signature-invalid")
        let other = nextID()
        var moved = voucherFields(id: other)
        moved["signatures"] = try signedByBoth(voucherFields(id: id), id: id, in: province)["signatures"]
        #expect(try send(moved, id: other, in: province) == "signature-invalid")

        // signer-unknown: a key the hub never certified.
        id = nextID()
        fields = voucherFields(id: id)
        let stranger = try PersonalKeys.key(for: "somebody else")
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: stranger, version: try version(province)),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: managerKey, version: try version(province)),
        ])
        #expect(try send(fields, id: id, in: province) == "signer-unknown")

        // registry-version-ahead: a version the hub has not written.
        id = nextID()
        fields = voucherFields(id: id)
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: cashierKey, version: 1_000_000),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: managerKey, version: 1_000_000),
        ])
        #expect(try send(fields, id: id, in: province) == "registry-version-ahead")

        // registry-version-stale: older than the version the county has already acknowledged (it synced above).
        id = nextID()
        fields = voucherFields(id: id)
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: cashierKey, version: 1),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: managerKey, version: 1),
        ])
        #expect(try send(fields, id: id, in: province) == "registry-version-stale")

        // signer-of-other-unit: a clerk of another county signs the county's voucher.
        id = nextID()
        fields = voucherFields(id: id, preparer: "340122-cashier")
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: "340122-cashier", key: PersonalKeys.key(for: "340122-cashier"),
                          version: try version(province)),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: managerKey, version: try version(province)),
        ])
        #expect(try send(fields, id: id, in: province) == "signer-of-other-unit")

        // signer-lacks-post: the cashier signs as approver.
        id = nextID()
        fields = voucherFields(id: id, preparer: Self.manager, reviewer: "340121-head", approver: Self.cashier)
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.manager, key: managerKey, version: try version(province)),
            try signature(fields, id: id, role: .reviewer, staff: "340121-head", key: PersonalKeys.key(for: "340121-head"),
                          version: try version(province)),
            try signature(fields, id: id, role: .approver, staff: Self.cashier, key: cashierKey, version: try version(province)),
        ])
        #expect(try send(fields, id: id, in: province) == "signer-lacks-post")

        // segregation-of-duties: one person in two roles, each signature valid.
        id = nextID()
        fields = voucherFields(id: id, preparer: Self.cashier, reviewer: Self.cashier)
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: cashierKey, version: try version(province)),
            try signature(fields, id: id, role: .reviewer, staff: Self.cashier, key: cashierKey, version: try version(province)),
        ])
        #expect(try send(fields, id: id, in: province) == "segregation-of-duties")
        #expect(try province.hub.store.rejectedChanges().count == 11, "every forgery was rejected, nothing else")
    }

    @Test func keysAreJudgedByTheRegistryVersionTheOfficeHadAppliedNeverByItsClock() throws {
        let province = try province()
        defer { province.remove() }
        let node = province.node(Self.county)
        let cashierKey = try PersonalKeys.key(for: Self.cashier)

        // key-not-yet-certified: a new key certified now, used with a version from before its certificate.
        let before = try version(province)
        let newKey = try SigningKey.ed25519(seed: Array(repeating: 7, count: 32))
        let certificate = try province.hub.certifyStaffKey(staff: Self.cashier, publicKey: newKey.publicKey,
                                                            validUntil: BusinessDate("2027-12-31")!, by: PersonalKeys.officer)
        #expect(certificate.certifiedIn > before)
        var id = "\(Self.county)-V900201"
        var fields = voucherFields(id: id)
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.cashier, key: newKey, version: before),
            try signature(fields, id: id, role: .reviewer, staff: Self.manager, key: PersonalKeys.key(for: Self.manager), version: before),
        ])
        #expect(try send(fields, id: id, in: province) == "key-not-yet-certified")

        // Signed before the county could know of a revocation: accepted, and flagged for review.
        let signedEarly = try signedByBoth(voucherFields(id: "\(Self.county)-V900202"), id: "\(Self.county)-V900202", in: province)
        try province.hub.revokeStaffKey(cashierKey.publicKey.keyID, reason: "UKEY lost", date: BusinessDate("2026-11-02")!,
                                         by: PersonalKeys.officer)
        #expect(try send(signedEarly, id: "\(Self.county)-V900202", in: province) == nil)
        let flagged = try province.hub.signatureReviews()
        #expect(flagged.count == 1 && flagged.first?.document == "\(Self.county)-V900202" && flagged.first?.staff == Self.cashier)

        // key-revoked: once the county has applied the revocation, the old key signs nothing — at the node first.
        let refused = #expect(throws: (any Error).self) {
            try node.post([VoucherDraft(date: "2026-11-02", memo: "after the loss", preparer: Self.cashier, lines: [
                .init(account: "\(Self.county):6602", debit: "1.00"), .init(account: BusinessProvince.expense(Self.county), credit: "1.00"),
            ], reviewer: Self.manager)])
        }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("signature rule signer-unknown"), "\(String(describing: refused))")
        id = "\(Self.county)-V900203"
        #expect(try send(try signedByBoth(voucherFields(id: id), id: id, in: province), id: id, in: province) == "key-revoked")

        // key-expired: a key valid until 2 November signs a voucher of 3 November.
        let shortKey = try SigningKey.ed25519(seed: Array(repeating: 9, count: 32))
        try province.hub.certifyStaffKey(staff: Self.manager, publicKey: shortKey.publicKey, validUntil: BusinessDate("2026-11-02")!,
                                          by: PersonalKeys.officer)
        try province.sync(Self.county)
        id = "\(Self.county)-V900204"
        fields = voucherFields(id: id, date: "2026-11-03", preparer: Self.manager, reviewer: "340121-head")
        fields["signatures"] = PersonalSignature.field([
            try signature(fields, id: id, role: .preparer, staff: Self.manager, key: shortKey, version: try version(province)),
            try signature(fields, id: id, role: .reviewer, staff: "340121-head", key: PersonalKeys.key(for: "340121-head"),
                          version: try version(province)),
        ])
        #expect(try send(fields, id: id, in: province) == "key-expired")
    }

    @Test func unsignedDocumentsAreAcceptedFromAnOlderOfficeUntilItSignsOrTheWindowCloses() throws {
        let province = try BusinessProvince(counties: [Self.county, "340122"])
        defer { province.remove() }
        // No keys: an office of the previous release. Its documents are accepted unsigned.
        var id = "\(Self.county)-V900301"
        #expect(try send(voucherFields(id: id), id: id, in: province) == nil)
        #expect(try province.hub.store.read { try $0.document(.voucher, id) }?["signatures"] == .null)

        // The hub closes the window: unsigned documents are refused from everyone.
        try province.hub.putParameter("unsigned_documents", value: "refused", effectiveFrom: BusinessProvince.startDate)
        id = "\(Self.county)-V900302"
        #expect(try send(voucherFields(id: "\(Self.county)-V900302"), id: id, in: province) == "unsigned-after-upgrade")
    }

    @Test func anOfficeThatHasSignedOnceSendsNothingUnsigned() throws {
        let province = try province()
        defer { province.remove() }
        let node = province.node(Self.county)
        try node.post([VoucherDraft(date: "2026-11-02", memo: "first signed", preparer: Self.cashier, lines: [
            .init(account: "\(Self.county):6602", debit: "1.00"), .init(account: BusinessProvince.expense(Self.county), credit: "1.00"),
        ], reviewer: Self.manager)])
        try province.sync(Self.county)
        // The node itself refuses to write unsigned from now on…
        node.store.signer = nil
        let refused = #expect(throws: (any Error).self) {
            try node.post([VoucherDraft(date: "2026-11-02", memo: "unsigned", preparer: Self.cashier, lines: [
                .init(account: "\(Self.county):6602", debit: "1.00"), .init(account: BusinessProvince.expense(Self.county), credit: "1.00"),
            ], reviewer: Self.manager)])
        }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("signature rule unsigned-after-upgrade"), "\(String(describing: refused))")
        // …and the hub refuses an unsigned document from a node that skipped that check.
        var fields = voucherFields(id: "\(Self.county)-V900401")
        fields["signatures"] = .null
        #expect(try send(fields, id: "\(Self.county)-V900401", in: province) == "unsigned-after-upgrade")
    }
}

/// The ways around a signature that are closed (4/6 review): a claimed automatic booking, the software as preparer,
/// and a signed document that fails another rule (it does not announce personal keys).
@Suite struct PersonalSignatureLoopholeTests {
    let base = PersonalSignatureTests()

    @Test func aVoucherThatClaimsToBeAnAutomaticBookingOfNothingIsRefused() throws {
        let province = try base.province()
        defer { province.remove() }
        var id = "\(PersonalSignatureTests.county)-V900501"
        var fields = base.voucherFields(id: id)
        fields["source"] = .text("slip:340000-S-NOTHING")
        #expect(try base.send(fields, id: id, in: province) == "signature-missing")
        id = "\(PersonalSignatureTests.county)-V900502"
        fields = base.voucherFields(id: id, preparer: DocumentSigning.softwareActor, reviewer: nil)
        #expect(try base.send(fields, id: id, in: province) == "signature-missing")
        // Citing a document the hub holds, but of another office, buys nothing either.
        let other = try province.node("340122").enterPayment(
            account: BusinessProvince.expense("340122"), payee: "Supplier", payeeAccount: "6222", amount: AmountMinorUnits(10_000),
            date: BusinessDate("2026-11-02")!, purpose: "office", expenseAccount: "340122:6602", signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        id = "\(PersonalSignatureTests.county)-V900503"
        fields = base.voucherFields(id: id)
        fields["source"] = .text("payment:\(other)")
        #expect(try base.send(fields, id: id, in: province) == "signature-missing")
    }

    @Test func aSignedDocumentRefusedForAnotherRuleDoesNotAnnounceKeys() throws {
        let province = try BusinessProvince(counties: [PersonalSignatureTests.county, "340122"])
        defer { province.remove() }
        let keyring = try province.enrolPersonalKeys()
        _ = keyring
        // Signed properly, but on a closed period: rejected as period-closed; the office has not announced.
        try province.hub.lockPeriod(through: BusinessDate("2026-11-02")!)
        try province.sync(PersonalSignatureTests.county)
        var id = "\(PersonalSignatureTests.county)-V900601"
        let signed = try base.signedByBoth(base.voucherFields(id: id), id: id, in: province)
        #expect(try base.send(signed, id: id, in: province) == "period-closed")
        id = "\(PersonalSignatureTests.county)-V900602"
        #expect(try base.send(base.voucherFields(id: id, date: "2026-11-03"), id: id, in: province) == nil,
                "an unsigned document is still accepted from an office that has not announced")
    }

    @Test func rotationCertifiesTheNewKeyAndRevokesTheOldInOneStep() throws {
        let province = try base.province()
        defer { province.remove() }
        let old = try PersonalKeys.key(for: PersonalSignatureTests.cashier)
        let new = try SigningKey.generate(.sm2sm3)
        let (certified, revoked) = try province.hub.rotateStaffKey(
            staff: PersonalSignatureTests.cashier, to: new.publicKey, validUntil: BusinessDate("2028-12-31")!, reason: "annual renewal",
            date: BusinessDate("2026-11-02")!, by: PersonalKeys.officer)
        #expect(revoked == [old.publicKey.keyID] && certified.algorithm == "sm2-sm3")
        let certificates = try province.hub.staffCertificates(of: PersonalSignatureTests.cashier)
        #expect(certificates.filter { $0.revocation == nil }.map(\.keyID) == [new.publicKey.keyID])
        // The county signs with the new SM2 key once it has the registry; the hub accepts it.
        try province.sync(PersonalSignatureTests.county)
        let keyring = PersonalKeyring([PersonalSignatureTests.cashier: new, PersonalSignatureTests.manager: try PersonalKeys.key(for: PersonalSignatureTests.manager)])
        let node = province.node(PersonalSignatureTests.county)
        node.store.signer = keyring
        try node.post([VoucherDraft(date: "2026-11-02", memo: "signed with SM2", preparer: PersonalSignatureTests.cashier, lines: [
            .init(account: "\(PersonalSignatureTests.county):6602", debit: "2.00"),
            .init(account: BusinessProvince.expense(PersonalSignatureTests.county), credit: "2.00"),
        ], reviewer: PersonalSignatureTests.manager)])
        try province.sync(PersonalSignatureTests.county)
        #expect(try province.hub.store.rejectedChanges().isEmpty)
        // The certificate is the hub's signed record: it verifies with the hub's key.
        #expect(province.hub.signingKey.publicKey.verify(signature: certified.certificateSignature[...], message: certified.signedBytes[...]))
    }
}
