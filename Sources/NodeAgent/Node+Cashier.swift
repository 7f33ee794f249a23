import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// A bank advice recorded in the bank journal (银行日记账) by the cashier. A receipt that names an allocation
    /// slip in transit also books Dr Bank deposits / Cr Funds in transit–HQ and clears the slip.
    @discardableResult
    public func recordBankAdvice(account: String, date: BusinessDate, direction: BankDirection, amount: AmountMinorUnits,
                                 advice: String, counterparty: String?, memo: String?, slip: String?,
                                 signatures: DocumentSignatures) throws -> String {
        try write { transaction, books in
            let owner = slip == nil ? try books.keptBankAccount(account, on: date).org : try books.activeAccount(account, on: date).org
            guard amount.value > 0 else { throw NodeError(.invalidValue, "the amount must be positive") }
            let id = try books.nextID("B")
            try books.write(.bankJournal, id: id, date: date, fields: [
                "org": .text(owner.rawValue), "account": .text(account), "direction": .text(direction.rawValue),
                "amount": .integer(amount.value), "advice": .text(advice), "counterparty": counterparty.map(FieldValue.text) ?? .null,
                "memo": memo.map(FieldValue.text) ?? .null, "slip": slip.map(FieldValue.text) ?? .null,
            ], signatures: signatures, requireReviewer: false)
            if direction == .receipt, let slip { try clearAllocation(slip, account: account, amount: amount, date: date, books: books) }
            return id
        }
    }

    func clearAllocation(_ slip: String, account: String, amount: AmountMinorUnits, date: BusinessDate, books: NodeBooks) throws {
        guard let document = try books.transaction.document(.slip, slip), document["kind"]?.textValue == "allocation",
              document["receiver"]?.textValue == org.rawValue else {
            throw NodeError(.notFound, "slip \(slip) is not an allocation slip to \(org)")
        }
        guard document["status"]?.textValue == "in_transit" else {
            throw NodeError(.wrongState, "allocation slip \(slip) is \(document["status"]?.textValue ?? "?"), not in transit")
        }
        guard document["amount"]?.integerValue == amount.value else {
            throw NodeError(.mismatch, "the receipt of \(amount) does not match allocation slip \(slip) of \(AmountMinorUnits(document["amount"]?.integerValue ?? 0))")
        }
        try books.post(JournalEntries.allocationReceiptAtBranch(branch: org, bankAccount: account, amount), date: date,
                       memo: "bank receipt of allocation slip \(slip)", source: "receipt:\(slip)",
                       signatures: DocumentSignatures(preparer: NodeBooks.systemPreparer))
        try books.transaction.setSlipStatus(slip, "cleared", date: date)
    }

    /// Sweeps an income account up to HQ (资金上划): the bank payment advice in the bank journal, the internal
    /// transaction slip to the hub (both sides' entries on it), and the voucher Dr Intercompany–HQ / Cr Bank.
    /// - Parameter amount: `nil` sweeps the book balance down to the retained balance of the sweep plan (floor
    ///   sweep) or to zero (full sweep).
    @discardableResult
    public func sweep(account: String, date: BusinessDate, amount: AmountMinorUnits?, advice: String,
                      signatures: DocumentSignatures) throws -> (slip: String, amount: AmountMinorUnits) {
        guard let hub = try knownHub() else { throw NodeError(.notConnected, "this node has not received its registry from the hub yet") }
        return try write { transaction, books in
            _ = try books.activeAccount(account, on: date)
            let swept = try amount ?? sweepAmount(account, date: date, transaction: transaction)
            guard swept.value > 0 else { throw NodeError(.invalidValue, "nothing to sweep from \(account): its balance is at or below the retained balance") }
            // An expense account only pays; only an income account sweeps up (收支两条线, 3/6).
            if let purpose = try transaction.accountAttributes(account).purpose, purpose != "income" {
                throw LedgerRuleViolation(.notPermitted("\(account) is a\(purpose.first.map { "aeiou".contains($0) } == true ? "n" : "") \(purpose) account: only an income account sweeps up to the centre"))
            }
            // A sweep a person executes is a control (3/6): it cannot take out more than the account holds.
            try CashControls.checkAvailable(account, amount: swept, available: try transaction.availableBalance(account, through: date))
            let slip = "\(org.rawValue)-S\(date.year)-\(Self.pad(try transaction.nextSequence("slip.\(date.year)")))"
            let branchLines = JournalEntries.sweepAtBranch(branch: org, bankAccount: account, swept)
            try books.write(.slip, id: slip, date: date, fields: [
                "kind": .text("sweep_up"), "issuer": .text(org.rawValue), "receiver": .text(hub.rawValue),
                "amount": .integer(swept.value), "currency": .text("CNY"), "bank_account": .text(account), "bank_advice": .text(advice),
                "memo": .text("sweep of \(account)"), "related": .null,
                "issuer_entries": Self.entries(branchLines), "receiver_entries": Self.entries(JournalEntries.sweepSlipAtHub(hub: hub, branch: org, swept)),
            ], signatures: signatures, requireReviewer: true)
            try books.write(.bankJournal, id: try books.nextID("B"), date: date, fields: [
                "org": .text(org.rawValue), "account": .text(account), "direction": .text("payment"), "amount": .integer(swept.value),
                "advice": .text(advice), "counterparty": .text(hub.rawValue), "memo": .text("sweep up, slip \(slip)"), "slip": .text(slip),
            ], signatures: DocumentSignatures(preparer: signatures.preparer, reviewer: signatures.reviewer), requireReviewer: false)
            try books.post(branchLines, date: date, memo: "sweep up to HQ, slip \(slip)", source: "slip:\(slip)", signatures: signatures)
            try transaction.setSlipStatus(slip, "in_transit", date: date)
            return (slip, swept)
        }
    }

    func sweepAmount(_ account: String, date: BusinessDate, transaction: ReplicaTransaction) throws -> AmountMinorUnits {
        let balance = try transaction.bookBalance(account, through: date)
        let plan = try SweepPlanTerms(transaction: transaction, account: account)
        let fallback = try transaction.accountAttributes(account).retainedBalance ?? 0
        let retained = plan?.mode == "full" ? 0 : (plan?.retained ?? fallback)
        return AmountMinorUnits(max(0, balance.value - retained))
    }

    static func entries(_ lines: [VoucherLine]) -> FieldValue {
        .list(lines.map { .record(["account": .text($0.account), "side": .text($0.side.rawValue), "amount": .integer($0.amount.value)]) })
    }
}

/// Money in or out of a bank account, as the bank advice says.
public enum BankDirection: String, Sendable, CaseIterable {
    case receipt, payment
}

/// The sweep plan of one account, as far as the sweep needs it (the account's own retained balance applies
/// when no plan is registered).
struct SweepPlanTerms {
    let mode: String
    let retained: Int64

    init?(transaction: ReplicaTransaction, account: String) throws {
        guard let plan = try transaction.document(.sweepPlan, account), let mode = plan["mode"]?.textValue else { return nil }
        self.mode = mode
        retained = plan["retained_balance"]?.integerValue ?? 0
    }
}
