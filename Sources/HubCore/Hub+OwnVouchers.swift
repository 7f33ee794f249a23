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
        return try write { transaction, books in
            try entries.map { entry in
                let voucher = try books.post(entry.lines, date: entry.date, memo: entry.memo, source: nil, signatures: entry.signatures)
                // The cashier's bank journal (银行日记账) has every movement of the hub's bank accounts, these too (an opening
                // balance carried forward, a move between its own accounts), so the bank reconciliation reads a complete
                // journal (3/6 item 4).
                for line in entry.lines {
                    guard let account = try transaction.account(line.account), account.kind == .bank, account.org == org else { continue }
                    let journal = "\(org.rawValue)-B\(HubBooks.pad(try transaction.nextSequence("B")))"
                    try transaction.appendLocal(table: .bankJournal, key: journal, operation: .insert, businessDate: entry.date.description, fields: [
                        "org": .text(org.rawValue), "account": .text(line.account), "date": .text(entry.date.description),
                        "direction": .text(line.side == .debit ? "receipt" : "payment"), "amount": .integer(line.amount.value),
                        "advice": .text(voucher.id), "counterparty": .text(org.rawValue), "memo": .text(entry.memo), "slip": .null,
                    ].merging(entry.signatures.fields) { current, _ in current })
                }
                return voucher
            }
        }
    }

    /// One voucher of the hub's own books (`postOwnVouchers`).
    @discardableResult
    public func postOwnVoucher(_ lines: [VoucherLine], date: BusinessDate, memo: String, signatures: DocumentSignatures) throws -> Voucher {
        try postOwnVouchers([HubVoucherEntry(lines: lines, date: date, memo: memo, signatures: signatures)])[0]
    }
}
