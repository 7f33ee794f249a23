import LedgerCore

/// Why a statement that was read correctly still cannot be trusted: its numbers do not add up.
///
/// Reading and checking are separate on purpose. A parser proves the file says what we think it says; this error
/// says the *bank's* numbers disagree with each other, which a clerk takes up with the bank. Like
/// `LedgerRuleViolation`, the description shows the amounts (that is what the clerk needs) but never the account.
public struct StatementValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which numbers disagree; amounts are in minor units of ``currency``.
    public enum Code: Hashable, Sendable {
        /// opening + Σ entries ≠ closing, in minor units.
        case unbalanced(openingMinorUnits: Int64, entriesMinorUnits: Int64, closingMinorUnits: Int64)
        /// A count or sum from the bank's control totals differs from the entries.
        case controlTotalMismatch(total: String, statedValue: Int64, actualValue: Int64)
        /// An entry's mark says credit but its amount is negative, or the reverse.
        case markContradictsAmount(entryIndex: Int)
        /// The entries' sum does not fit in `Int64` minor units.
        case amountOverflow
    }

    /// Which numbers disagree.
    public var code: Code
    /// The bank's id of the statement.
    public var statementID: String
    /// The statement's currency, to format the amounts.
    public var currency: CurrencyCode
    /// The file line of the statement (or of the entry, for ``Code/markContradictsAmount(entryIndex:)``).
    public var line: Int?

    /// Creates a validation error.
    public init(_ code: Code, statementID: String, currency: CurrencyCode, line: Int? = nil) {
        self.code = code
        self.statementID = statementID
        self.currency = currency
        self.line = line
    }

    /// One sentence for the clerk, with the amounts formatted in the currency.
    public var description: String {
        let place = "statement \(statementID)" + (line.map { " (line \($0))" } ?? "")
        let scale = currency.minorUnitDigits
        func money(_ value: Int64) -> String { AmountMinorUnits(value).formatted(scale: scale) + " \(currency)" }
        switch code {
        case .unbalanced(let opening, let entries, let closing):
            return "\(place) does not balance: opening \(money(opening)) + entries \(money(entries)) ≠ closing "
                + money(closing)
        case .controlTotalMismatch(let total, let stated, let actual):
            let isCount = total.hasSuffix("count")
            return "\(place): the bank states \(total) \(isCount ? String(stated) : money(stated)) but the entries "
                + "give \(isCount ? String(actual) : money(actual))"
        case .markContradictsAmount(let index):
            return "\(place): entry \(index + 1) is marked one way but its amount has the other sign"
        case .amountOverflow:
            return "\(place): the entries add up to more than minor units can hold"
        }
    }
}
