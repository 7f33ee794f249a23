import LedgerCore
import ReplicaStore

/// A voucher of the hub's own books as a person writes it (`hub post`).
public struct HubVoucherEntry: Sendable {
    public var lines: [VoucherLine]
    public var date: BusinessDate
    public var memo: String
    public var signatures: DocumentSignatures

    public init(lines: [VoucherLine], date: BusinessDate, memo: String, signatures: DocumentSignatures) {
        self.lines = lines
        self.date = date
        self.memo = memo
        self.signatures = signatures
    }
}

extension Hub {
    /// Posts vouchers of the hub's own books that a person prepared and another reviewed (3/6 item 3): opening
    /// balances, transfers between the hub's own bank accounts, deposits and loans booked by hand. All or nothing, in
    /// one transaction. The same ledger rules as any office's (balanced, the hub's own active accounts, the caps, an open
    /// period), with preparer and reviewer required and different. The hub's automatic vouchers (counterparts,
    /// allocations, interest) do not come here.
    /// - Throws: `LedgerRuleViolation` naming the rule; nothing is written.
    @discardableResult
    public func postOwnVouchers(_ entries: [HubVoucherEntry]) throws -> [Voucher] {
        for entry in entries { try entry.signatures.validate(requireReviewer: true) }
        return try write { _, books in
            try entries.map { try books.post($0.lines, date: $0.date, memo: $0.memo, source: nil, signatures: $0.signatures) }
        }
    }

    /// One voucher of the hub's own books (`postOwnVouchers`).
    @discardableResult
    public func postOwnVoucher(_ lines: [VoucherLine], date: BusinessDate, memo: String, signatures: DocumentSignatures) throws -> Voucher {
        try postOwnVouchers([HubVoucherEntry(lines: lines, date: date, memo: memo, signatures: signatures)])[0]
    }
}
