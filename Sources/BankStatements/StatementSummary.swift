import LedgerCore

/// What a clerk checks on a statement before importing it (6/6 item 3): the account, the period, the balances, the
/// number of entries and their sums, and anything the reader tolerated or the checks found. `fundsync statement check`
/// prints it; an import prints the same.
///
/// Sums are taken with checked arithmetic: a file whose amounts would overflow is refused by its reader or by
/// ``BankStatement/validateBalances()`` long before, but the summary never traps on outside data either way.
public struct StatementSummary: Codable, Hashable, Sendable {
    public var format: String
    public var account: String
    public var currency: String
    /// The bank's reference (`:20:`, `Stmt/Id`); not the statement's identity, which is the account, number and period.
    public var reference: String
    public var sequenceNumber: Int?
    public var pageNumber: Int?
    public var periodFrom: String
    public var periodThrough: String
    public var openingBalance: String
    public var closingBalance: String
    public var entryCount: Int
    public var debitCount: Int
    public var debitSum: String
    public var creditCount: Int
    public var creditSum: String
    /// What the reader tolerated (a non-standard field kept) and what the checks found (a balance that does not add up,
    /// a control total, a statement missing between two), each one sentence.
    public var warnings: [String]
    /// Whether the statement passes every check (its balances and control totals add up).
    public var balanced: Bool

    public init(_ statement: BankStatement, format: String, sequenceProblems: [String] = []) {
        let digits = statement.currency.minorUnitDigits
        var debits: Int64 = 0, credits: Int64 = 0, debitCount = 0, creditCount = 0, overflowed = false
        for entry in statement.entries {
            let (value, overflow): (Int64, Bool)
            if entry.amount.value < 0 {
                debitCount += 1
                (value, overflow) = debits.subtractingReportingOverflow(entry.amount.value)
                debits = value
            } else {
                creditCount += 1
                (value, overflow) = credits.addingReportingOverflow(entry.amount.value)
                credits = value
            }
            overflowed = overflowed || overflow
        }
        var warnings = statement.warnings.map(\.description)
        var balanced = true
        do {
            try statement.validateBalances()
        } catch {
            balanced = false
            warnings.append(error.description)
        }
        if overflowed { warnings.append("the entries' sums do not fit in 64 bits") }
        warnings += sequenceProblems
        self.format = format
        account = statement.account
        currency = statement.currency.code
        reference = statement.statementID
        sequenceNumber = statement.sequenceNumber
        pageNumber = statement.pageNumber
        periodFrom = statement.openingDate.description
        periodThrough = statement.closingDate.description
        openingBalance = Self.text(statement.openingBalance.value, digits: digits)
        closingBalance = Self.text(statement.closingBalance.value, digits: digits)
        entryCount = statement.entries.count
        self.debitCount = debitCount
        debitSum = Self.text(debits, digits: digits)
        self.creditCount = creditCount
        creditSum = Self.text(credits, digits: digits)
        self.warnings = warnings
        self.balanced = balanced
    }

    /// Summaries of every statement of `file`, with the gaps between them (``StatementSequence``) as warnings of the
    /// statement after the gap.
    public static func of(_ file: StatementFile) -> [StatementSummary] {
        let gaps = StatementSequence.gaps(in: file.statements)
        return file.statements.enumerated().map { index, statement in
            let problems = index == 0 ? gaps.map(\.description) : []
            return StatementSummary(statement, format: file.format.description, sequenceProblems: problems)
        }
    }

    /// `-1234.5` for `-123450` at 2 digits: integer arithmetic only.
    public static func text(_ minorUnits: Int64, digits: Int) -> String {
        let magnitude = String(minorUnits.magnitude)
        guard digits > 0 else { return (minorUnits < 0 ? "-" : "") + magnitude }
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        return (minorUnits < 0 ? "-" : "") + padded.dropLast(digits) + "." + padded.suffix(digits)
    }
}
