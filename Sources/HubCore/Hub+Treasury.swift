import Foundation
import LedgerCore
import ReplicaStore

/// Why the hub refused a treasury action (receipts, decisions, allocations, interest, releases, closing).
///
/// `code` says what kind of refusal it is, for programs (the CLI's exit and JSON output, the console); `description`
/// is the sentence for people, with the context (which account, document or person).
public struct TreasuryError: CodedError {
    public enum Code: String, Sendable, CaseIterable {
        /// The document, slip or account named has not reached the hub or does not exist.
        case notFound
        /// The person may not do this (not registered staff, wrong post, above their limit).
        case notPermitted
        /// The document is not in the state the action needs.
        case wrongState
        /// An amount does not match the document it settles.
        case mismatch
        /// It was done before (an allocation order exists, interest was settled).
        case alreadyDone
        /// An account is frozen, closed, not active on the date, or of another office.
        case accountNotUsable
        /// A value is malformed (a period, a date range, a parameter).
        case invalidValue
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

extension Hub {
    /// The bank receipt of a branch's sweep at a collection account: the hub's bank journal line and
    /// Dr Bank deposits / Cr Funds in transit–branch, which clears the slip.
    /// - Parameter slip: the sweep slip this receipt pays; `nil` matches the one open slip of that amount.
    @discardableResult
    public func recordSweepReceipt(collectionAccount: String, date: BusinessDate, amount: AmountMinorUnits, advice: String,
                                   slip: String?, signatures: DocumentSignatures) throws -> String {
        try write { transaction, books in
            try transaction.periodLock().check(date)
            guard let account = try transaction.account(collectionAccount, asOf: date), account.org == org, account.kind == .bank else {
                throw TreasuryError(.notFound, "\(collectionAccount) is not a bank account of the hub")
            }
            let slipID = try slip ?? matchOpenSweep(amount: amount, in: transaction)
            guard let document = try transaction.document(.slip, slipID), document["kind"]?.textValue == "sweep_up" else {
                throw TreasuryError(.notFound, "slip \(slipID) is not a sweep slip the hub has received")
            }
            guard document["status"]?.textValue == "in_transit" else {
                throw TreasuryError(.wrongState, "slip \(slipID) is \(document["status"]?.textValue ?? "?"), not in transit")
            }
            guard document["amount"]?.integerValue == amount.value, let branch = document["issuer"]?.textValue.flatMap(OrgCode.init) else {
                throw TreasuryError(.mismatch, "the receipt of \(amount) does not match slip \(slipID)")
            }
            let journal = "\(org.rawValue)-B\(HubBooks.pad(try transaction.nextSequence("B")))"
            try transaction.appendLocal(table: .bankJournal, key: journal, operation: .insert, businessDate: date.description, fields: [
                "org": .text(org.rawValue), "account": .text(collectionAccount), "date": .text(date.description),
                "direction": .text("receipt"), "amount": .integer(amount.value), "advice": .text(advice),
                "counterparty": .text(branch.rawValue), "memo": .text("sweep receipt, slip \(slipID)"), "slip": .text(slipID),
            ].merging(signatures.fields) { current, _ in current })
            try books.post(JournalEntries.sweepReceiptAtHub(hub: org, branch: branch, collectionAccount: collectionAccount, amount),
                           date: date, memo: "bank receipt of sweep slip \(slipID)", source: "receipt:\(slipID)", signatures: signatures)
            try transaction.setSlipStatus(slipID, "cleared", date: date)
            return slipID
        }
    }

    func matchOpenSweep(amount: AmountMinorUnits, in transaction: ReplicaTransaction) throws -> String {
        let candidates = try transaction.openSlips(kind: "sweep_up", amount: amount)
        guard candidates.count == 1 else {
            throw TreasuryError(.notFound, candidates.isEmpty ? "no sweep slip of \(amount) is in transit"
                                                   : "\(candidates.count) sweep slips of \(amount) are in transit (\(candidates.joined(separator: ", "))); name one with --slip")
        }
        return candidates[0]
    }
}
