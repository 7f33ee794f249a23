/// The statement file formats FundSync reads, each into the one ``BankStatement`` model.
public enum StatementFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// ISO 20022 `BankToCustomerStatement`, versions `camt.053.001.02` and later.
    case camt053
    /// SWIFT MT940 customer statement message.
    case mt940
    /// FundSync's own CSV layout (see `CSVStatementFormat` in the module documentation).
    case csv

    /// The name clerks know the format by.
    public var description: String {
        switch self {
        case .camt053: "camt.053"
        case .mt940: "MT940"
        case .csv: "CSV"
        }
    }
}
