import LedgerCore
import ReplicaStore

/// What the hub checks of a unit's confirmation of its books (多级对账, 3/6 item 5) before it counts, level by level:
/// - it is the unit's own, prepared, reviewed and approved by its head (`unit_head`), all registered staff of the unit;
/// - the figures it confirms are the books' as the hub holds them (the same vouchers), through the confirmed date;
/// - the unit's intercompany balance mirrors the hub's `2242.02.ORG` (every slip booked on both sides);
/// - every unit directly below it that has a node has confirmed through that date already: a county before its city.
/// A confirmation is a person's decision, so the hub refuses one that fails (`confirmation-refused`, with the reason).
struct ConfirmationCheck {
    let hub: OrgCode
    let transaction: ReplicaTransaction

    func check(_ fields: FieldReader, origin: OrgCode) throws {
        guard try fields.orgCode("org") == origin else { throw LedgerRuleViolation(.wrongOrigin(org: try fields.text("org"), origin: origin.rawValue)) }
        let signatures = try DocumentSignatures(fields: fields)
        try signatures.validate(requireReviewer: true)
        guard let through = BusinessDate(try fields.text("through")), let date = BusinessDate(try fields.text("date")), through <= date else {
            throw LedgerRuleViolation.malformed("a confirmation confirms a day on or before its own date")
        }
        for signer in [signatures.preparer, signatures.reviewer, signatures.approver].compactMap({ $0 }) {
            guard let member = try transaction.staffMember(signer), member.org == origin else {
                throw LedgerRuleViolation(.confirmationRefused("\(signer) is not registered staff of \(origin)"))
            }
        }
        guard let approver = signatures.approver, try transaction.staffMember(approver)?.roles.contains(.unitHead) == true else {
            throw LedgerRuleViolation(.confirmationRefused("the head of \(origin) (unit_head) signs a confirmation as its approver"))
        }
        let (intercompany, bankTotal) = try transaction.confirmationFigures(of: origin, through: through)
        let confirmedIntercompany = try fields.integer("intercompany"), confirmedBanks = try fields.integer("bank_total")
        guard confirmedIntercompany == intercompany.value, confirmedBanks == bankTotal.value else {
            throw LedgerRuleViolation(.confirmationRefused(
                "\(origin) confirms intercompany \(AmountMinorUnits(confirmedIntercompany)) and banks \(AmountMinorUnits(confirmedBanks)) through "
                + "\(through); its books at the fund centre show \(intercompany) and \(bankTotal)"))
        }
        let centre = try transaction.bookBalance(LedgerAccounts.hubIntercompany(hub: hub, branch: origin), through: through)
        guard centre.value == -intercompany.value else {
            throw LedgerRuleViolation(.confirmationRefused(
                "the fund centre's 2242.02.\(origin) is \(centre) through \(through), not the opposite of \(origin)'s intercompany \(intercompany): "
                + "a slip is booked on one side only; book it, then confirm"))
        }
        let nodes = Set(try transaction.nodeKeys().filter { $0.status == .active }.map(\.org))
        for unit in try transaction.orgUnits() where unit.parent == origin && nodes.contains(unit.code) {
            guard let confirmed = try transaction.confirmedThrough(unit.code), confirmed >= through else {
                throw LedgerRuleViolation(.confirmationRefused("\(unit.code) below \(origin) has not confirmed its books through \(through) yet: "
                                                               + "the lower level confirms first"))
            }
        }
    }
}
