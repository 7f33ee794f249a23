import LedgerCore

/// One bank statement, whatever file format it came in (camt.053, MT940, CSV): the single model the bank
/// reconciliation works on.
public struct BankStatement: Hashable, Sendable {
    /// The account the statement is for, as the bank writes it (IBAN or domestic account number).
    public var account: String
    public var currency: CurrencyCode
    /// The bank's statement number or id; statements of one account must follow each other without gaps.
    public var statementID: String
    public var sequenceNumber: Int?
    public var openingBalance: AmountMinorUnits
    public var openingDate: BusinessDate
    public var closingBalance: AmountMinorUnits
    public var closingDate: BusinessDate
    public var entries: [BankStatementEntry]

    public init(account: String, currency: CurrencyCode, statementID: String, sequenceNumber: Int?,
                openingBalance: AmountMinorUnits, openingDate: BusinessDate, closingBalance: AmountMinorUnits,
                closingDate: BusinessDate, entries: [BankStatementEntry]) {
        self.account = account
        self.currency = currency
        self.statementID = statementID
        self.sequenceNumber = sequenceNumber
        self.openingBalance = openingBalance
        self.openingDate = openingDate
        self.closingBalance = closingBalance
        self.closingDate = closingDate
        self.entries = entries
    }
}

/// One booked entry of a statement. Credits (money in) are positive, debits (money out) negative.
public struct BankStatementEntry: Hashable, Sendable {
    public var bookingDate: BusinessDate
    public var valueDate: BusinessDate?
    public var amount: AmountMinorUnits
    /// The bank's reference for the entry, used to match it to the bank journal.
    public var reference: String
    public var counterparty: String
    public var narrative: String

    public init(bookingDate: BusinessDate, valueDate: BusinessDate?, amount: AmountMinorUnits, reference: String,
                counterparty: String, narrative: String) {
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.reference = reference
        self.counterparty = counterparty
        self.narrative = narrative
    }
}
