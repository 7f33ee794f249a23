/// What a bank says of an instruction in a pain.002 status report, reduced to what FundSync acts on.
///
/// ISO 20022's codes (ExternalPaymentTransactionStatus1Code) say more; each maps to one of these:
/// - ``settled``: `ACSC`, `ACCC` — the debtor's account is debited (or the creditor's credited): the money moved.
/// - ``accepted``: `ACCP`, `ACSP`, `ACWC`, `ACWP`, `ACFC` — the bank will execute it; not yet booked.
/// - ``pending``: `PDNG`, `RCVD`, `ACTC`, `PATC`, `PART` (for a whole group) — received or checked, not decided.
/// - ``rejected``: `RJCT`, `CANC` — it will not be paid; the reason says why.
public enum PaymentStatus: String, Hashable, Sendable, Codable {
    case settled, accepted, pending, rejected

    /// The status of an ISO 20022 code, or `nil` for a code this reader does not know (an unknown code is never
    /// guessed into an acceptance or a rejection).
    public init?(isoCode: String) {
        switch isoCode {
        case "ACSC", "ACCC": self = .settled
        case "ACCP", "ACSP", "ACWC", "ACWP", "ACFC": self = .accepted
        case "PDNG", "RCVD", "ACTC", "PATC", "PART": self = .pending
        case "RJCT", "CANC": self = .rejected
        default: return nil
        }
    }
}

/// A reason the bank gives (`StsRsnInf`): its code (`AC04` closed account, `AM04` insufficient funds, …, or a
/// proprietary one) and its free text.
public struct PaymentStatusReason: Hashable, Sendable, Codable {
    public var code: String
    public var text: String

    public init(code: String, text: String) {
        self.code = code
        self.text = text
    }

    /// "AC04 account closed (收款账户已销户)" for people.
    public var description: String { [code, text].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// The bank's status of one instruction, found by its end-to-end id.
public struct InstructionStatus: Hashable, Sendable, Codable {
    public var endToEndID: String
    public var status: PaymentStatus
    /// The ISO code as the bank wrote it.
    public var isoCode: String
    public var reasons: [PaymentStatusReason]
    /// The line of the report it was read from.
    public var line: Int
}

/// A pain.002 (CustomerPaymentStatusReport): the bank's answer to one pain.001 message.
public struct PaymentStatusReport: Hashable, Sendable {
    /// The report's own `MsgId`.
    public var messageID: String
    /// The pain.001 message it answers (`OrgnlMsgId`).
    public var originalMessageID: String
    /// The status of the whole message (`GrpSts`), when given: a group `RJCT` rejects every instruction of it.
    public var groupStatus: PaymentStatus?
    public var groupReasons: [PaymentStatusReason]
    /// The status of each original payment group (`OrgnlPmtInfId` → `PmtInfSts`), when given.
    public var paymentGroupStatus: [String: PaymentStatus]
    /// Each instruction the report names, in the report's order.
    public var instructions: [InstructionStatus]
}
