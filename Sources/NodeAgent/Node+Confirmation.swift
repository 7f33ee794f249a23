import LedgerCore
import ReplicaStore

extension Node {
    /// Confirms this unit's books through `through` (多级对账确认, 3/6 item 5): a signed document of the unit — prepared,
    /// reviewed, and approved by its head — stating its intercompany balance with HQ and the total of its bank accounts.
    /// The hub accepts it only if its copy of the same books shows the same figures, the fund centre's side mirrors the
    /// intercompany balance, and every unit below this one has confirmed first; `hub close` needs every unit's.
    ///
    /// Checked here first, with what this office holds: the fund centre's 2242.02 of this unit arrives with the hub's
    /// vouchers about it, so a slip booked on one side only is found before anything is sent.
    @discardableResult
    public func confirmBooks(through: BusinessDate, date: BusinessDate, signatures: DocumentSignatures) throws -> (id: String, intercompany: AmountMinorUnits, bankTotal: AmountMinorUnits) {
        guard through <= date else { throw NodeError(.invalidValue, "a confirmation confirms a day on or before its own date") }
        guard signatures.approver != nil else { throw NodeError(.invalidValue, "the head of the unit approves a confirmation (--approver)") }
        let hub = hubOrg
        return try write { transaction, books in
            for signer in [signatures.preparer, signatures.reviewer, signatures.approver].compactMap({ $0 }) {
                guard let member = try transaction.staffMember(signer), member.org == org else {
                    throw NodeError(.invalidValue, "\(signer) is not registered staff of \(org)")
                }
            }
            guard let approver = signatures.approver, try transaction.staffMember(approver)?.roles.contains(.unitHead) == true else {
                throw NodeError(.invalidValue, "the head of \(org) (unit_head) approves a confirmation")
            }
            let (intercompany, bankTotal) = try transaction.confirmationFigures(of: org, through: through)
            if let hub {
                let centre = try transaction.bookBalance(LedgerAccounts.hubIntercompany(hub: hub, branch: org), through: through)
                guard centre.value == -intercompany.value else {
                    throw NodeError(.invalidValue, "the fund centre's 2242.02.\(org) is \(centre) through \(through) and this unit's intercompany "
                                    + "\(intercompany): a slip is booked on one side only (documents --kind slip); book it, then confirm")
                }
            }
            let id = try books.nextID("K")
            try books.write(.confirmation, id: id, date: date, fields: [
                "org": .text(org.rawValue), "through": .text(through.description), "intercompany": .integer(intercompany.value),
                "bank_total": .integer(bankTotal.value),
            ], signatures: signatures, requireReviewer: true)
            return (id, intercompany, bankTotal)
        }
    }
}
