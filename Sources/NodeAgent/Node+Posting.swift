import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// Posts vouchers, all or nothing: each is numbered `<org>-V<nnnnnn>`, checked against the ledger rules and
    /// the registry this node has as of the voucher's date, the period lock and segregation of duties, and written
    /// with its change-log entry in one transaction.
    /// - Parameter adjustClosedPeriod: re-date a voucher that falls in a closed period to the first open day, as an
    ///   adjustment (its memo keeps the original date), instead of refusing it.
    /// - Throws: `NodeError` naming the first voucher (1-based) that breaks a rule, and why; nothing is written.
    @discardableResult
    public func post(_ drafts: [VoucherDraft], adjustClosedPeriod: Bool = false) throws -> [Voucher] {
        try write { transaction, books in
            var posted: [Voucher] = []
            for (index, original) in drafts.enumerated() {
                do {
                    let draft = try adjustClosedPeriod ? Self.adjusted(original, lock: transaction.periodLock()) : original
                    guard let date = BusinessDate(draft.date) else { throw LedgerRuleViolation(.invalidDate(draft.date)) }
                    let owner: OrgCode
                    if let text = draft.org {
                        guard let code = OrgCode(text) else { throw LedgerRuleViolation.malformed("'\(text)' is not an org code") }
                        owner = code
                    } else {
                        owner = org
                    }
                    let shape = try draft.voucher(id: "", org: owner, lookup: transaction.lookup(asOf: date))
                    posted.append(try books.post(shape.lines, date: shape.date, memo: shape.memo, source: nil,
                                                 signatures: shape.signatures, reverses: shape.reverses, currency: shape.currency, for: owner))
                } catch let violation as LedgerRuleViolation {
                    throw NodeError(.ruleViolation, "voucher \(index + 1) (\(original.memo ?? original.date)) was not posted: \(violation.description)")
                }
            }
            return posted
        }
    }

    /// A late entry moved into the open period: dated the first open day, with the original date in the memo.
    static func adjusted(_ draft: VoucherDraft, lock: PeriodLock) -> VoucherDraft {
        guard let date = BusinessDate(draft.date), let first = lock.firstOpenDate, (try? lock.check(date)) == nil else { return draft }
        var moved = draft
        moved.date = first.description
        moved.memo = "adjustment for \(draft.date) (period closed): \(draft.memo ?? "")"
        return moved
    }

    /// Runs `body` in one write transaction with this node's policy and books.
    func write<T>(_ body: (ReplicaTransaction, NodeBooks) throws -> T) throws -> T {
        let policy = try policy()
        return try store.write(policy: policy) { transaction in
            try body(transaction, NodeBooks(node: org, transaction: transaction))
        }
    }

    static func pad(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
