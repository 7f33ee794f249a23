/// One person paid by a batch payment (代发, 7/7 item 5): salaries and reimbursements to many people in one payment
/// document, released once under the authority of its total, and sent to the bank as one instruction per person.
public struct PaymentRecipient: Hashable, Sendable, Codable {
    public var name: String
    public var account: String
    public var amount: AmountMinorUnits
    /// What it pays this person for (工资, 差旅费报销), when the list says.
    public var memo: String?

    public init(name: String, account: String, amount: AmountMinorUnits, memo: String? = nil) {
        self.name = name
        self.account = account
        self.amount = amount
        self.memo = memo
    }
}

/// The rules of a batch payment's list, the same at the node that enters it and at the hub that receives it (PROTOCOL
/// §6.18 `recipients`). Every problem is found, each with the recipient's position, so a clerk fixes the list once.
public enum PaymentRecipients {
    /// People in one batch: a county's monthly payroll is hundreds; a list longer than this is split.
    public static let countMax = 2_000
    /// A name as a bank's pain.001 `Nm` takes it.
    public static let nameLengthMax = 70

    /// Checks `recipients` and returns their total.
    /// - Throws: ``LedgerRuleViolation/malformed(_:)`` naming every problem (empty list, a blank or long name, an account
    ///   that is not 6–34 letters and digits, an amount not above zero, an account twice, a total beyond Int64).
    @discardableResult
    public static func check(_ recipients: [PaymentRecipient]) throws(LedgerRuleViolation) -> AmountMinorUnits {
        guard !recipients.isEmpty else { throw .malformed("a batch payment names at least one recipient") }
        guard recipients.count <= countMax else {
            throw .malformed("a batch payment names at most \(countMax) recipients, not \(recipients.count): split the list")
        }
        var problems: [String] = [], seen: [String: Int] = [:], total: Int64 = 0, overflow = false
        for (index, recipient) in recipients.enumerated() {
            let position = "recipient \(index + 1)"
            let name = recipient.name.trimmingWhitespace
            if name.isEmpty { problems.append("\(position): the name is empty") }
            if name.count > nameLengthMax { problems.append("\(position): the name is longer than \(nameLengthMax) characters") }
            // A control character would break the bank's message (and a person's reading of it): refused here, with its
            // position, rather than at the release.
            if (recipient.name + (recipient.memo ?? "")).unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append("\(position): the name or memo holds a control character")
            }
            if !isAccountNumber(recipient.account) {
                problems.append("\(position) (\(name)): '\(recipient.account)' is not a bank account (6–34 letters and digits)")
            } else if let first = seen[recipient.account] {
                problems.append("\(position) (\(name)): account \(recipient.account) is already recipient \(first)")
            } else {
                seen[recipient.account] = index + 1
            }
            if recipient.amount.value <= 0 { problems.append("\(position) (\(name)): the amount must be above zero") }
            let (sum, over) = total.addingReportingOverflow(recipient.amount.value)
            overflow = overflow || over
            total = sum
        }
        if overflow { problems.append("the total is too large to represent") }
        guard problems.isEmpty else { throw .malformed(problems.joined(separator: "; ")) }
        return AmountMinorUnits(total)
    }

    /// A bank account as a recipient's is written: 6–34 ASCII letters and digits (a card number, an account number, an
    /// IBAN without spaces).
    public static func isAccountNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (6...34).contains(bytes.count) && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
    }

    /// The replicated field: a list of records `name`, `account`, `amount` (minor units), `memo` (text or null).
    public static func field(_ recipients: [PaymentRecipient]) -> FieldValue {
        .list(recipients.map { recipient in
            .record(["name": .text(recipient.name), "account": .text(recipient.account), "amount": .integer(recipient.amount.value),
                     "memo": recipient.memo.map(FieldValue.text) ?? .null])
        })
    }

    /// Reads the field of a change (a stored row keeps it as JSON text: `ReplicaTransaction.paymentRecipients`).
    /// - Returns: `nil` when the payment names no recipients (an ordinary payment).
    public static func read(_ value: FieldValue?) throws(LedgerRuleViolation) -> [PaymentRecipient]? {
        switch value {
        case nil, .null?:
            return nil
        case .list(let items)?:
            return try items.enumerated().map { (index, item) throws(LedgerRuleViolation) in
                guard case .record(let fields) = item, case .text(let name)? = fields["name"], case .text(let account)? = fields["account"],
                      case .integer(let amount)? = fields["amount"] else {
                    throw .malformed("recipient \(index + 1) is not a record of name, account and amount")
                }
                let memo: String?
                switch fields["memo"] {
                case nil, .null?: memo = nil
                case .text(let text)?: memo = text
                default: throw .malformed("recipient \(index + 1): memo is text or null")
                }
                return PaymentRecipient(name: name, account: account, amount: AmountMinorUnits(amount), memo: memo)
            }
        default:
            throw .malformed("recipients is a list of records")
        }
    }
}
