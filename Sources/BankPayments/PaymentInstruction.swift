import LedgerCore

/// One credit transfer to be made by the bank (付款指令): to whom, how much, and the end-to-end id that ties the
/// bank's every answer (pain.002, camt.054, the statement) back to the payment document it pays.
///
/// The end-to-end id is the instruction's identity towards the bank: an instruction is sent at most once per id, and
/// the bank's answers are matched by it, never by the amount.
public struct PaymentInstruction: Hashable, Sendable {
    /// At most 35 characters of `A–Z a–z 0–9 - . / : ( ) + ,` and space (ISO 20022 `Max35Text`, kept to the
    /// characters every bank's host accepts).
    public var endToEndID: String
    public var amount: AmountMinorUnits
    public var currency: CurrencyCode
    public var creditor: PaymentParty
    /// What the payment is for (用途), at most 140 characters.
    public var remittance: String

    public init(endToEndID: String, amount: AmountMinorUnits, currency: CurrencyCode, creditor: PaymentParty, remittance: String) {
        self.endToEndID = endToEndID
        self.amount = amount
        self.currency = currency
        self.creditor = creditor
        self.remittance = remittance
    }
}

/// The instructions paid from one account on one day (a pain.001 `PmtInf`): the debtor, the day the bank is asked
/// to execute them, and the instructions, each in the account's currency.
public struct PaymentGroup: Hashable, Sendable {
    /// The group's id (`PmtInfId`), at most 35 characters.
    public var id: String
    public var debtor: PaymentParty
    public var requestedExecutionDate: BusinessDate
    public var instructions: [PaymentInstruction]

    public init(id: String, debtor: PaymentParty, requestedExecutionDate: BusinessDate, instructions: [PaymentInstruction]) {
        self.id = id
        self.debtor = debtor
        self.requestedExecutionDate = requestedExecutionDate
        self.instructions = instructions
    }
}

/// One pain.001 message to one bank: its id, when it was created, who sends it, and its groups.
public struct PaymentMessage: Hashable, Sendable {
    /// `MsgId`, at most 35 characters, unique per sender.
    public var id: String
    /// When it was created, milliseconds since 1970 (the injected clock).
    public var createdAtMilliseconds: Int64
    /// The offset of the sender's local time from UTC, in minutes (+480 for China), for `CreDtTm`.
    public var utcOffsetMinutes: Int
    /// The initiating party's name (the fund centre).
    public var initiatingParty: String
    public var groups: [PaymentGroup]

    public init(id: String, createdAtMilliseconds: Int64, utcOffsetMinutes: Int = 480, initiatingParty: String, groups: [PaymentGroup]) {
        self.id = id
        self.createdAtMilliseconds = createdAtMilliseconds
        self.utcOffsetMinutes = utcOffsetMinutes
        self.initiatingParty = initiatingParty
        self.groups = groups
    }

    /// Every instruction of the message, in order.
    public var instructions: [PaymentInstruction] { groups.flatMap(\.instructions) }
}
