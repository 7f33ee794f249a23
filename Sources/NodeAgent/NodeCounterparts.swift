import LedgerCore
import ReplicaStore

/// The node's side of the hub's documents (单据协同), booked when they arrive:
/// - an allocation slip: Dr Funds in transit–HQ / Cr Intercompany–HQ (cleared later by the bank receipt);
/// - an interest slip: deposit interest received, or overdraft/loan interest charged, against Intercompany–HQ;
/// - a fixed deposit placed or paid back, a loan drawn or repaid: 1031 / 2001.01 / 2501.01 against Intercompany–HQ;
/// - a payment the bank paid (7/7: the hub's `paid`, on the bank's booking date): Dr the expense account / Cr the bank
///   account it is paid from.
/// Each is a fact (the hub has moved the money): dated in a period closed here, it is booked as an adjustment on the
/// first open day. One that still cannot be booked (an account is frozen) is kept with status `unbooked` for the clerk
/// instead of blocking the import.
struct NodeCounterparts {
    let node: OrgCode
    let transaction: ReplicaTransaction

    /// Books nothing for a document whose counterpart this office already booked: a hub document received again (the
    /// hub re-sends its stream to a restored node after returning the node's own vouchers, §8.8) is booked once.
    func book(after change: Change) throws {
        let source: String
        // A return reverses the release's booking, which exists by then: its own guard is the reversal's source.
        if change.replicatedTable == .transition, change.fields["to_state"]?.textValue == "returned" { return try bookReturn(change) }
        switch change.replicatedTable {
        case .slip?: source = "slip:\(change.key)"
        case .transition?: source = "payment:\(change.fields["doc_id"]?.textValue ?? "")"
        default: return
        }
        guard try !transaction.voucherExists(withSource: source, org: node) else { return }
        switch change.replicatedTable {
        case .slip?: try bookSlip(change)
        case .transition?: try bookRelease(change)
        default: return
        }
    }

    func bookSlip(_ change: Change) throws {
        let fields = FieldReader(change.fields, context: "slip \(change.key)")
        guard try fields.orgCode("receiver") == node, let date = BusinessDate(try fields.text("date")) else { return }
        let amount = AmountMinorUnits(try fields.integer("amount"))
        let lines: [VoucherLine]
        switch try fields.text("kind") {
        case "allocation": lines = JournalEntries.allocationSlipAtBranch(branch: node, amount)
        case "interest_received": lines = JournalEntries.interestAtBranch(branch: node, amount, received: true)
        case "interest_charged": lines = JournalEntries.interestAtBranch(branch: node, amount, received: false)
        case "transfer_out":
            // The centre moved money from this unit's account to another branch (a branch-to-branch order it approved):
            // the bank has paid it, so it is booked as a fact, from the account the slip names, if it is this unit's.
            let account = try fields.text("bank_account")
            guard try transaction.account(account)?.org == node else {
                try transaction.setSlipStatus(change.key, "unbooked", date: date)
                return
            }
            lines = JournalEntries.expenseOnBehalfAtBranch(branch: node, bankAccount: account, amount)
        case "cost_allocation":
            // A proposal (D4 §5.3.2): nothing is booked until the clerk accepts it (`slip accept`) or returns it. A re-issue
            // names the slip it replaces, which is then no longer waiting here.
            if let replaced = try fields.optionalText("related") { try transaction.setSlipStatus(replaced, "rejected", date: date) }
            try transaction.setSlipStatus(change.key, "proposed", date: date)
            return
        case "deposit_placed", "loan_drawn", "deposit_returned", "loan_repaid":
            // The contract row travels before its slip (the hub writes it first), so its kind is known here.
            // A contract row that is missing, another unit's or does not read leaves this slip `unbooked` for the clerk;
            // it never stops the import.
            let contract: InternalContract?
            do {
                contract = try fields.optionalText("related").flatMap { try transaction.contract($0) }
            } catch is LedgerRuleViolation {
                contract = nil
            }
            guard let contract, contract.branch == node else {
                try transaction.setSlipStatus(change.key, "unbooked", date: date)
                return
            }
            let starts = ["deposit_placed", "loan_drawn"].contains(try fields.text("kind"))
            lines = starts ? JournalEntries.contractStartAtBranch(branch: node, kind: contract.kind, amount)
                : JournalEntries.contractEndAtBranch(branch: node, kind: contract.kind, amount)
        default: return
        }
        let signatures = DocumentSignatures(preparer: NodeBooks.systemPreparer, reviewer: try fields.optionalText("reviewer"))
        try bookOrMark(change.key, lines: lines, date: date, memo: "\(try fields.text("kind")) slip \(change.key) from the hub",
                       source: "slip:\(change.key)", signatures: signatures, status: ["allocation", "interest_received", "interest_charged"].contains(try fields.text("kind")) ? "in_transit" : "booked")
    }

    /// Books a payment when its money has left the bank (7/7): on the hub's `paid` transition, dated on the bank's
    /// booking date it carries. A release-2 hub's `released` (it carries the release's `date`) books nothing: the
    /// payment is with the bank, still counted against the available balance, until the bank books or returns it. A
    /// release-1 hub's `released` (no `date`) is booked on the payment's own date, as release 1 did.
    func bookRelease(_ change: Change) throws {
        let transition = change.fields["to_state"]?.textValue, stated = change.fields["date"]?.textValue.flatMap(BusinessDate.init)
        guard change.fields["doc_table"]?.textValue == StatefulDocument.payment.rawValue,
              transition == "paid" || (transition == "released" && stated == nil), let id = change.fields["doc_id"]?.textValue,
              let payment = try transaction.document(.payment, id), payment["state"]?.textValue == transition,
              let account = payment["account"]?.textValue, let expense = payment["expense_account"]?.textValue,
              let amount = payment["amount"]?.integerValue, let entered = payment["date"]?.textValue.flatMap(BusinessDate.init) else { return }
        let date = stated ?? entered
        // A batch payment (代发) of which the bank paid only some people: the `paid` carries what it paid.
        var booked = amount
        if transition == "paid", case .integer(let paid)? = change.fields["amount"], paid > 0, paid <= amount { booked = paid }
        let lines = [VoucherLine(account: expense, side: .debit, amount: AmountMinorUnits(booked)),
                     VoucherLine(account: account, side: .credit, amount: AmountMinorUnits(booked))]
        let signatures = DocumentSignatures(preparer: payment["preparer"]?.textValue ?? NodeBooks.systemPreparer,
                                            reviewer: payment["reviewer"]?.textValue,
                                            approver: change.fields["actor"]?.textValue)
        do {
            try NodeBooks(node: node, transaction: transaction).postFact(
                lines, date: date, memo: "payment \(id) to \(payment["payee"]?.textValue ?? "") \(transition == "paid" ? "paid by the bank" : "released at the hub")",
                source: "payment:\(id)", signatures: signatures)
        } catch is LedgerRuleViolation {
            // Paid but not bookable here (its subject is frozen): the import goes on, and the clerk sees it as
            // `paid_unbooked` (`fundsync documents --kind payment`), a state derived from "paid and no voucher books it",
            // never written into the replicated row.
        }
    }

    /// A payment the bank returned (7/7): the payment shows `returned` with the bank's reason, and the money counts as
    /// available again. A release-2 office booked nothing at the release, so nothing is reversed. Only a payment booked
    /// at its release (by release 1, before this office upgraded) is reversed, on the transition's `date`, as a
    /// reversal voucher (`payment:<id>:returned`), never by changing the posted one.
    func bookReturn(_ change: Change) throws {
        guard change.fields["doc_table"]?.textValue == StatefulDocument.payment.rawValue,
              change.fields["to_state"]?.textValue == "returned", let id = change.fields["doc_id"]?.textValue,
              let payment = try transaction.document(.payment, id), payment["state"]?.textValue == "returned" else { return }
        let booked = try transaction.vouchers(source: "payment:\(id)").filter { $0.org == node }
        guard let voucher = booked.first, try !transaction.voucherExists(withSource: "payment:\(id):returned") else { return }
        let date = change.fields["date"]?.textValue.flatMap(BusinessDate.init) ?? voucher.date
        let lines = voucher.lines.map { VoucherLine(account: $0.account, side: $0.side == .debit ? .credit : .debit, amount: $0.amount) }
        do {
            try NodeBooks(node: node, transaction: transaction).postFact(
                lines, date: date, memo: "payment \(id) returned by the bank: \(change.fields["reason"]?.textValue ?? "")",
                source: "payment:\(id):returned",
                signatures: DocumentSignatures(preparer: payment["preparer"]?.textValue ?? NodeBooks.systemPreparer,
                                               reviewer: payment["reviewer"]?.textValue, approver: voucher.approver))
        } catch is LedgerRuleViolation {
            // Not bookable here (a closed period, a frozen subject): the clerk sees the payment `returned` and its
            // release still booked, and reverses it by hand.
        }
    }

    /// Books the lines, or marks the slip `unbooked` when this node's rules refuse them (the clerk sees it).
    func bookOrMark(_ slip: String, lines: [VoucherLine], date: BusinessDate, memo: String, source: String,
                    signatures: DocumentSignatures, status: String) throws {
        do {
            try NodeBooks(node: node, transaction: transaction).postFact(lines, date: date, memo: memo, source: source, signatures: signatures)
            try transaction.setSlipStatus(slip, status, date: date)
        } catch is LedgerRuleViolation {
            try transaction.setSlipStatus(slip, "unbooked", date: date)
        }
    }
}
