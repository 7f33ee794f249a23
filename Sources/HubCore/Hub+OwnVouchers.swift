import LedgerCore
import ReplicaStore

extension Hub {
    /// Posts a voucher of the hub's own books that a person prepared and another reviewed (3/6 item 3): opening
    /// balances, transfers between the hub's own bank accounts, deposits and loans booked by hand. The same ledger rules
    /// as any office's (balanced, the hub's own active accounts, the caps, an open period), with preparer and reviewer
    /// required and different. The hub's automatic vouchers (counterparts, allocations, interest) do not come here.
    /// - Throws: `LedgerRuleViolation` naming the rule; nothing is written.
    @discardableResult
    public func postOwnVoucher(_ lines: [VoucherLine], date: BusinessDate, memo: String, signatures: DocumentSignatures) throws -> Voucher {
        try signatures.validate(requireReviewer: true)
        return try write { _, books in
            try books.post(lines, date: date, memo: memo, source: nil, signatures: signatures)
        }
    }
}
