import LedgerCore
import ReplicaStore

extension Hub {
    /// Shares a cost of the centre out to a branch (费用分摊, D4 §5.3.2): the hub books its side at once (Dr 2242.02.B /
    /// Cr its expense subject) and sends a `cost_allocation` slip whose receiver entries (Dr B's expense subject / Cr
    /// B:3001.01) are only a **proposal**: the branch checks it against the documents and accepts it (`fundsync slip
    /// accept`, then it is booked) or returns it (`fundsync slip return`); a returned slip is corrected and re-issued
    /// (`reissueCostAllocation`). Nothing is ever written into the branch's books without the branch.
    /// - Parameters:
    ///   - hubExpense: the hub's expense subject the cost was booked to (an id such as `340000:6602`).
    ///   - branchExpense: the branch's expense subject it is proposed to (`340122:6602`).
    @discardableResult
    public func allocateCost(branch: OrgCode, amount: AmountMinorUnits, hubExpense: String, branchExpense: String, date: BusinessDate,
                             memo: String, signatures: DocumentSignatures, replacing: String? = nil) throws -> String {
        try signatures.validate(requireReviewer: true)
        return try write { transaction, books in
            try writeCostAllocation(branch: branch, amount: amount, hubExpense: hubExpense, branchExpense: branchExpense, date: date,
                                    memo: memo, signatures: signatures, replacing: replacing, transaction: transaction, books: books)
        }
    }

    /// Re-issues a cost allocation the branch returned: the hub's side of the old slip is reversed (a reversal voucher,
    /// never an edit), and a new slip with the corrected amount (and subjects) goes down naming the one it replaces.
    @discardableResult
    public func reissueCostAllocation(_ old: String, amount: AmountMinorUnits, branchExpense: String? = nil, date: BusinessDate,
                                      memo: String, signatures: DocumentSignatures) throws -> String {
        try signatures.validate(requireReviewer: true)
        return try write { transaction, books in
            guard let slip = try transaction.document(.slip, old), slip["kind"]?.textValue == "cost_allocation", slip["issuer"]?.textValue == org.rawValue,
                  let branch = slip["receiver"]?.textValue.flatMap(OrgCode.init),
                  let hubLines = try transaction.slipEntries(old, "issuer_entries"), let branchLines = try transaction.slipEntries(old, "receiver_entries"),
                  let hubExpense = hubLines.first(where: { $0.side == .credit })?.account,
                  let proposed = branchLines.first(where: { $0.side == .debit })?.account else {
                throw TreasuryError(.notFound, "\(old) is not a cost allocation slip of the hub")
            }
            guard slip["status"]?.textValue == "rejected" else {
                throw TreasuryError(.wrongState, "slip \(old) is \(slip["status"]?.textValue ?? "?"): only a slip the branch returned is re-issued")
            }
            guard try transaction.vouchers(source: "slip:\(old):withdrawn").isEmpty else { throw TreasuryError(.alreadyDone, "slip \(old) was re-issued already") }
            try books.post(hubLines.map { VoucherLine(account: $0.account, side: $0.side == .debit ? .credit : .debit, amount: $0.amount) },
                           date: date, memo: "slip \(old) returned by \(branch): its entry reversed", source: "slip:\(old):withdrawn", signatures: signatures)
            return try writeCostAllocation(branch: branch, amount: amount, hubExpense: hubExpense, branchExpense: branchExpense ?? proposed, date: date,
                                           memo: memo, signatures: signatures, replacing: old, transaction: transaction, books: books)
        }
    }

    func writeCostAllocation(branch: OrgCode, amount: AmountMinorUnits, hubExpense: String, branchExpense: String, date: BusinessDate,
                             memo: String, signatures: DocumentSignatures, replacing: String?, transaction: ReplicaTransaction,
                             books: HubBooks) throws -> String {
        guard amount.value > 0 else { throw TreasuryError(.invalidValue, "the amount must be more than zero") }
        try transaction.periodLock().check(date)
        _ = try currentDeposit(of: branch, in: transaction)
        guard let hubAccount = try transaction.account(hubExpense, asOf: date), hubAccount.status == .active else {
            throw TreasuryError(.notFound, "\(hubExpense) is not an active account of the hub")
        }
        try CashControls.checkExpenseSubject(hubAccount, payingOrg: org)
        guard let branchAccount = try transaction.account(branchExpense, asOf: date) else { throw TreasuryError(.notFound, "\(branchExpense) is not in the registry") }
        try CashControls.checkExpenseSubject(branchAccount, payingOrg: branch)
        let hubLines = JournalEntries.costAllocationAtHub(hub: org, branch: branch, hubExpense: hubExpense, amount)
        let slip = "\(org.rawValue)-S\(date.year)-\(HubBooks.pad(try transaction.nextSequence("slip.\(date.year)")))"
        try books.post(hubLines, date: date, memo: "cost shared to \(branch): \(memo)", source: "slip:\(slip)", signatures: signatures)
        try transaction.appendLocal(table: .slip, key: slip, operation: .insert, businessDate: date.description, fields: [
            "kind": .text("cost_allocation"), "issuer": .text(org.rawValue), "receiver": .text(branch.rawValue), "date": .text(date.description),
            "amount": .integer(amount.value), "currency": .text("CNY"), "bank_account": .null, "bank_advice": .null, "memo": .text(memo),
            "related": replacing.map(FieldValue.text) ?? .null, "issuer_entries": Self.entries(hubLines),
            "receiver_entries": Self.entries(JournalEntries.costAllocationAtBranch(branch: branch, branchExpense: branchExpense, amount)),
        ].merging(signatures.fields) { current, _ in current })
        try transaction.setSlipStatus(slip, "issued", date: date)
        return slip
    }
}

extension HubCounterparts {
    /// A branch's slips about the centre's own costs: an expense it paid on the centre's behalf is booked here as the
    /// slip's receiver entries (checked on arrival by `HubValidation`); a cost allocation it returned is marked
    /// `rejected` here, which takes it out of the slip pairing until the hub re-issues it.
    func bookInternalSlip(_ change: Change) throws {
        let fields = FieldReader(change.fields, context: "slip \(change.key)")
        guard let date = BusinessDate(try fields.text("date")) else { return }
        switch try fields.text("kind") {
        case "expense_on_behalf":
            guard let lines = JournalEntries.lines(of: change.fields["receiver_entries"]) else { return }
            try HubBooks(hub: hub, transaction: transaction).post(
                lines, date: date, memo: "expense paid on the centre's behalf by \(try fields.text("issuer")), slip \(change.key)",
                source: "slip:\(change.key)", signatures: DocumentSignatures(preparer: HubBooks.systemPreparer, reviewer: try fields.optionalText("reviewer")),
                factOf: try fields.orgCode("issuer"))
            try transaction.setSlipStatus(change.key, "cleared", date: date)
        case "slip_returned":
            guard let returned = try fields.optionalText("related") else { return }
            try transaction.setSlipStatus(returned, "rejected", date: date)
            try transaction.setSlipStatus(change.key, "returned", date: date)
        default:
            return
        }
    }
}
