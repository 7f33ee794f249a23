import LedgerCore

/// A hole or a break between two consecutive statements of one account.
public struct StatementSequenceGap: Hashable, Sendable, CustomStringConvertible {
    /// What is missing or wrong between the two statements.
    public enum Kind: Hashable, Sendable {
        /// Statement numbers `fromNumber...throughNumber` were never received.
        case missingStatements(fromNumber: Int, throughNumber: Int)
        /// The same statement (number and page) was received twice.
        case duplicateStatement(number: Int, page: Int?)
        /// Pages of statement `number` are missing between `afterPage` and `beforePage` (`nil`: the statement's
        /// last page never came, its closing balance is intermediate).
        case missingPages(number: Int, afterPage: Int, beforePage: Int?)
        /// The number went down without a new year starting: the statements are not one account's series.
        case numberWentBack(from: Int, to: Int)
        /// The next statement does not open with the previous one's closing balance: something in between is
        /// missing even when the numbers look complete (or the file does not number its statements).
        case balanceBreak(previousClosing: AmountMinorUnits, nextOpening: AmountMinorUnits)
    }

    /// What is missing or wrong.
    public var kind: Kind
    /// The account of both statements (kept out of ``description``, like every account number).
    public var account: String
    /// The currency of both statements.
    public var currency: CurrencyCode
    /// The statement before the gap.
    public var previousStatementID: String
    /// The statement after the gap.
    public var nextStatementID: String

    /// Creates a gap report.
    public init(kind: Kind, account: String, currency: CurrencyCode, previousStatementID: String,
                nextStatementID: String) {
        self.kind = kind
        self.account = account
        self.currency = currency
        self.previousStatementID = previousStatementID
        self.nextStatementID = nextStatementID
    }

    /// One sentence for the clerk.
    public var description: String {
        let between = "between statements \(previousStatementID) and \(nextStatementID)"
        switch kind {
        case .missingStatements(let from, let through):
            return from == through ? "statement number \(from) is missing \(between)"
                : "statement numbers \(from) to \(through) are missing \(between)"
        case .duplicateStatement(let number, let page):
            return "statement number \(number)\(page.map { " page \($0)" } ?? "") was received twice"
        case .missingPages(let number, let after, let before):
            let which = before.map { "pages \(after + 1) to \($0 - 1)" } ?? "the pages after page \(after)"
            return "\(which) of statement number \(number) are missing"
        case .numberWentBack(let from, let to):
            return "the statement number goes back from \(from) to \(to) \(between)"
        case .balanceBreak(let closing, let opening):
            let scale = currency.minorUnitDigits
            return "the closing balance \(closing.formatted(scale: scale)) \(currency) is not the next opening balance "
                + "\(opening.formatted(scale: scale)) \(currency) \(between)"
        }
    }
}

/// Finds missing statements in the series of each account.
public enum StatementSequence {
    /// The gaps in `statements`, which may mix accounts and come in any order (several files, read in any order).
    ///
    /// Per account and currency, statements are put in order (``ordered(_:)``) and each pair of neighbours is
    /// checked: numbers must follow each other (a statement split into pages keeps its number and counts pages up
    /// from 1), and each statement must open with the previous closing balance. A number that restarts at 1 in a
    /// new year is not a gap. Number 0 means "not numbered" (ING, Rabobank), so only the balances are compared then.
    /// - Returns: the gaps in account order of first appearance, then statement order; empty when complete.
    public static func gaps(in statements: [BankStatement]) -> [StatementSequenceGap] {
        var order: [String] = []
        var byAccount: [String: [BankStatement]] = [:]
        for statement in statements {
            let key = statement.account + "\u{0}" + statement.currency.code
            if byAccount[key] == nil { order.append(key) }
            byAccount[key, default: []].append(statement)
        }
        return order.flatMap { key in
            let series = ordered(byAccount[key, default: []])
            return zip(series, series.dropFirst()).flatMap { gaps(between: $0, and: $1) }
        }
    }

    /// One account's statements by opening date; statements opening on the same day by number and page when all
    /// of them are numbered, else in the order given (the order of the file, which is the bank's).
    static func ordered(_ statements: [BankStatement]) -> [BankStatement] {
        let byDate = Dictionary(grouping: statements, by: \.openingDate)
        return byDate.keys.sorted().flatMap { date -> [BankStatement] in
            let sameDay = byDate[date, default: []]
            guard sameDay.allSatisfy({ $0.sequenceNumber != nil }) else { return sameDay }
            return sameDay.enumerated().sorted { left, right in
                let lhs = (left.element.sequenceNumber ?? 0, left.element.pageNumber ?? 0, left.offset)
                let rhs = (right.element.sequenceNumber ?? 0, right.element.pageNumber ?? 0, right.offset)
                return lhs < rhs
            }.map(\.element)
        }
    }

    static func gaps(between previous: BankStatement, and next: BankStatement) -> [StatementSequenceGap] {
        var kinds: [StatementSequenceGap.Kind] = []
        if let number = previous.sequenceNumber, let nextNumber = next.sequenceNumber, number > 0, nextNumber > 0 {
            kinds += numberGaps(previous, number, next, nextNumber)
        }
        if previous.closingBalance != next.openingBalance {
            kinds.append(.balanceBreak(previousClosing: previous.closingBalance, nextOpening: next.openingBalance))
        }
        return kinds.map {
            StatementSequenceGap(kind: $0, account: previous.account, currency: previous.currency,
                                 previousStatementID: previous.statementID, nextStatementID: next.statementID)
        }
    }

    private static func numberGaps(_ previous: BankStatement, _ number: Int, _ next: BankStatement,
                                   _ nextNumber: Int) -> [StatementSequenceGap.Kind] {
        let page = previous.pageNumber ?? 1
        let nextPage = next.pageNumber ?? 1
        if nextNumber == number {
            if nextPage == page { return [.duplicateStatement(number: number, page: previous.pageNumber)] }
            return nextPage == page + 1 ? [] : [.missingPages(number: number, afterPage: page, beforePage: nextPage)]
        }
        var kinds: [StatementSequenceGap.Kind] = []
        if previous.closingBalanceKind == .intermediate {
            kinds.append(.missingPages(number: number, afterPage: page, beforePage: nil))
        }
        let newYear = nextNumber == 1 && next.openingDate.year > previous.closingDate.year
        if nextNumber > number + 1 {
            kinds.append(.missingStatements(fromNumber: number + 1, throughNumber: nextNumber - 1))
        } else if nextNumber < number && !newYear {
            kinds.append(.numberWentBack(from: number, to: nextNumber))
        }
        if nextNumber != number && nextPage > 1 {
            kinds.append(.missingPages(number: nextNumber, afterPage: 0, beforePage: nextPage))
        }
        return kinds
    }
}
