import LedgerCore
import ReplicaStore

/// The hub's own books: vouchers the hub writes (counterparts, receipts, allocations, interest), numbered
/// `<hub>-V<nnnnnn>` and checked by the same ledger rules as any node's, as of their business date.
struct HubBooks {
    let hub: OrgCode
    let transaction: ReplicaTransaction

    /// The name the hub signs automatic counterpart entries with (单据协同): the system, on the slip's authority.
    static let systemPreparer = DocumentSigning.softwareActor

    /// Posts a hub voucher.
    /// - Parameter factOf: for the automatic counterpart of another office's fact (a sweep that left its bank), the
    ///   office whose document it is. The hub's own controls that a person's decision would meet — a frozen or
    ///   closed account, a closed period — then do not refuse it: the booking stands and a `StreamFinding` is
    ///   recorded in the same transaction (issue 9: no registry state may stop an office's stream). Every other
    ///   rule (balance, known accounts, the cap) still applies. `nil` for the hub's own decisions, which refuse.
    @discardableResult
    func post(_ lines: [VoucherLine], date: BusinessDate, memo: String, source: String?, signatures: DocumentSignatures,
              factOf office: OrgCode? = nil) throws -> Voucher {
        var closedPeriod: LedgerRuleViolation?
        do {
            try transaction.periodLock().check(date)
        } catch let violation as LedgerRuleViolation where office != nil {
            closedPeriod = violation
        }
        try signatures.validate(requireReviewer: false)
        let number = try transaction.nextSequence("voucher")
        let voucher = Voucher(id: "\(hub.rawValue)-V\(Self.pad(number))", org: hub, date: date, currency: .cny, memo: memo,
                              preparer: signatures.preparer, lines: lines, reviewer: signatures.reviewer,
                              approver: signatures.approver, source: source)
        let lookup = FactLookup(base: transaction.lookup(asOf: date), acceptsInactive: office != nil)
        try VoucherValidator.validate(voucher, origin: hub, lookup: lookup)
        try transaction.appendLocal(table: .voucher, key: voucher.id, operation: .insert, businessDate: date.description,
                                    fields: voucher.fields)
        if let office {
            let document = source ?? voucher.id
            for account in lookup.inactive {
                try transaction.recordStreamFinding(
                    kind: "counterpart-on-inactive-account", document: document, org: office, businessDate: date,
                    detail: "counterpart \(voucher.id) booked to \(account.id), which is \(account.status.rawValue) on \(date): "
                        + "the bank movement happened, so it stands; check the account's status and the document")
            }
            if let closedPeriod {
                try transaction.recordStreamFinding(
                    kind: "counterpart-in-closed-period", document: document, org: office, businessDate: date,
                    detail: "counterpart \(voucher.id) booked on \(date) although \(closedPeriod.description)")
            }
        }
        return voucher
    }

    static func pad(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

/// Counterpart booking (单据协同) at the hub when a node's document arrives: a county's sweep slip makes the hub
/// book Dr Funds in transit–branch / Cr Intercompany–branch, and the slip is then in transit until the bank
/// receipt at the collection account clears it.
struct HubCounterparts {
    let hub: OrgCode
    let transaction: ReplicaTransaction

    func book(after change: Change) throws {
        try recordExplanation(after: change)
        if change.replicatedTable == .slip, change.fields["kind"]?.textValue != "sweep_up" { return try bookInternalSlip(change) }
        guard change.replicatedTable == .slip, change.fields["kind"]?.textValue == "sweep_up" else { return }
        let fields = FieldReader(change.fields, context: "slip \(change.key)")
        let branch = try fields.orgCode("issuer")
        guard let date = BusinessDate(try fields.text("date")) else { return }
        let amount = AmountMinorUnits(try fields.integer("amount"))
        try HubBooks(hub: hub, transaction: transaction).post(
            JournalEntries.sweepSlipAtHub(hub: hub, branch: branch, amount), date: date,
            memo: "sweep slip \(change.key) from \(branch): funds in transit", source: "slip:\(change.key)",
            signatures: DocumentSignatures(preparer: HubBooks.systemPreparer, reviewer: try fields.optionalText("reviewer")),
            factOf: branch)
        try transaction.setSlipStatus(change.key, "in_transit", date: date)
    }
}
