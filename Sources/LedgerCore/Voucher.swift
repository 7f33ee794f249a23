/// Which side of the books a voucher line is on.
public enum EntrySide: String, Hashable, Sendable {
    case debit, credit
}

/// One line of a voucher: an account, a side and a positive amount.
public struct VoucherLine: Hashable, Sendable {
    public var account: String
    public var side: EntrySide
    public var amount: AmountMinorUnits

    public init(account: String, side: EntrySide, amount: AmountMinorUnits) {
        self.account = account
        self.side = side
        self.amount = amount
    }

    /// The same line on the other side: what a reversal posts.
    public var reversed: VoucherLine {
        VoucherLine(account: account, side: side == .debit ? .credit : .debit, amount: amount)
    }
}

/// An accounting voucher (记账凭证) of one org unit's books. Node-owned and immutable once posted: a correction is
/// a new voucher whose `reverses` names the original and whose lines are the original's with sides swapped.
public struct Voucher: Hashable, Sendable {
    /// Globally unique: `<org>-V<sequence>` where the sequence is the node's own voucher numbering.
    public var id: String
    public var org: OrgCode
    public var date: BusinessDate
    public var currency: CurrencyCode
    public var memo: String
    public var preparer: String
    public var reverses: String?
    public var lines: [VoucherLine]
    /// 复核人 and 审批人; the preparer may fill neither (segregation of duties).
    public var reviewer: String?
    public var approver: String?
    /// The document this voucher books (`slip:<id>`, `payment:<id>`, `bank:<id>`), for reconciliation.
    public var source: String?

    public init(id: String, org: OrgCode, date: BusinessDate, currency: CurrencyCode, memo: String,
                preparer: String, reverses: String? = nil, lines: [VoucherLine], reviewer: String? = nil,
                approver: String? = nil, source: String? = nil) {
        self.reviewer = reviewer
        self.approver = approver
        self.source = source
        self.id = id
        self.org = org
        self.date = date
        self.currency = currency
        self.memo = memo
        self.preparer = preparer
        self.reverses = reverses
        self.lines = lines
    }

    /// The signatures on the voucher.
    public var signatures: DocumentSignatures { DocumentSignatures(preparer: preparer, reviewer: reviewer, approver: approver) }

    /// Total of one side, overflow-checked.
    public func total(_ side: EntrySide) throws(LedgerRuleViolation) -> AmountMinorUnits {
        var sum = AmountMinorUnits.zero
        for line in lines where line.side == side { sum = try sum.adding(line.amount) }
        return sum
    }
}

extension Voucher {
    /// The field map of the voucher's change (wire and change log). Lines travel inside the voucher's change so
    /// the hub validates a whole voucher at once.
    public var fields: [String: FieldValue] {
        var fields: [String: FieldValue] = [
            "org": .text(org.rawValue),
            "date": .text(date.description),
            "currency": .text(currency.code),
            "memo": .text(memo),
            "preparer": .text(preparer),
            "lines": .list(lines.map { line in
                .record([
                    "account": .text(line.account),
                    "side": .text(line.side.rawValue),
                    "amount": .integer(line.amount.value),
                ])
            }),
        ]
        if let reverses { fields["reverses"] = .text(reverses) }
        if let reviewer { fields["reviewer"] = .text(reviewer) }
        if let approver { fields["approver"] = .text(approver) }
        if let source { fields["source"] = .text(source) }
        return fields
    }

    /// Reads a voucher back from a change's key and fields.
    /// - Throws: `LedgerRuleViolation.malformed` naming the missing or ill-typed field.
    public init(key: String, fields: [String: FieldValue]) throws(LedgerRuleViolation) {
        let reader = FieldReader(fields, context: "voucher \(key)")
        let dateText = try reader.text("date")
        guard let date = BusinessDate(dateText) else { throw LedgerRuleViolation(.invalidDate(dateText)) }
        let currencyText = try reader.text("currency")
        guard let currency = CurrencyCode(currencyText) else { throw .malformed("voucher \(key) has currency '\(currencyText)'") }
        var lines: [VoucherLine] = []
        for (index, value) in try reader.list("lines").enumerated() {
            guard let record = value.recordValue else { throw .malformed("voucher \(key) line \(index + 1) is not a record") }
            let lineReader = FieldReader(record, context: "voucher \(key) line \(index + 1)")
            guard let side = EntrySide(rawValue: try lineReader.text("side")) else {
                throw .malformed("voucher \(key) line \(index + 1) has a side other than debit or credit")
            }
            lines.append(VoucherLine(account: try lineReader.text("account"), side: side,
                                     amount: AmountMinorUnits(try lineReader.integer("amount"))))
        }
        self.init(id: key, org: try reader.orgCode("org"), date: date, currency: currency,
                  memo: try reader.optionalText("memo") ?? "", preparer: try reader.optionalText("preparer") ?? "",
                  reverses: try reader.optionalText("reverses"), lines: lines, reviewer: try reader.optionalText("reviewer"),
                  approver: try reader.optionalText("approver"), source: try reader.optionalText("source"))
    }
}
