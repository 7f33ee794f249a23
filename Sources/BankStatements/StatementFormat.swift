/// The statement file formats FundSync reads, each into the one ``BankStatement`` model.
public enum StatementFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// ISO 20022 `BankToCustomerStatement`, versions `camt.053.001.02` and later.
    case camt053
    /// SWIFT MT940 customer statement message.
    case mt940
    /// FundSync's own CSV layout (see `CSVStatementFormat` in the module documentation).
    case csv
    /// ISO 20022 `BankToCustomerDebitCreditNotification` (7/7): the bank's notice of single bookings, no balances.
    /// Read by ``CamtAccountMessageParser``, never as a statement.
    case camt054
    /// ISO 20022 `BankToCustomerAccountReport` (7/7): intraday balances and bookings. Read by
    /// ``CamtAccountMessageParser``, never as a statement.
    case camt052

    /// The name clerks know the format by.
    public var description: String {
        switch self {
        case .camt053: "camt.053"
        case .mt940: "MT940"
        case .csv: "CSV"
        case .camt054: "camt.054"
        case .camt052: "camt.052"
        }
    }
}
