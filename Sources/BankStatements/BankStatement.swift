import LedgerCore

/// One bank statement, whatever file format it came in (camt.053, MT940, CSV): the single model the bank
/// reconciliation works on.
///
/// Every amount is in minor units of ``currency`` (`AmountMinorUnits`, never a floating-point number): a parser
/// either reads a bank's decimal text exactly or refuses the file. A statement read from a file is *not yet
/// checked*: call ``validateBalances()`` (opening + entries = closing, control totals) and
/// ``StatementSequence/gaps(in:)`` (no missing statements) before trusting it.
///
/// What a parser kept without reading it (fields a bank adds that the format does not define) is in
/// ``extraFields`` and in the entries' extra fields, and each is named in ``warnings``.
///
/// ## Topics
/// - ``BankStatementEntry``
/// - ``StatementControlTotals``
/// - ``StatementBalanceKind``
/// - ``StatementExtraField``
/// - ``StatementWarning``
public struct BankStatement: Hashable, Sendable {
    /// The account the statement is for, as the bank writes it (IBAN or domestic account number).
    public var account: String
    /// The currency of every amount of the statement; its minor-unit digits are the amounts' scale.
    public var currency: CurrencyCode
    /// The bank's id for this statement (camt `Stmt/Id`, MT940 `:20:`, CSV `statement_id`).
    public var statementID: String
    /// The bank's running statement number (camt `LglSeqNb` or `ElctrncSeqNb`, MT940 `:28C:`); statements of one
    /// account must follow each other without gaps. `nil` when the file does not number its statements.
    public var sequenceNumber: Int?
    /// The page of a statement split over several messages (MT940 `:28C:` after the slash, camt `StmtPgntn`).
    public var pageNumber: Int?
    /// Signed: a debit (overdrawn) balance is negative.
    public var openingBalance: AmountMinorUnits
    /// The date of the opening balance (for MT940 and camt usually the previous business day).
    public var openingDate: BusinessDate
    /// Whether the opening balance is the day's final one or an intermediate one carried from the previous page
    /// (MT940 `:60F:` versus `:60M:`).
    public var openingBalanceKind: StatementBalanceKind
    /// Signed: a debit (overdrawn) balance is negative.
    public var closingBalance: AmountMinorUnits
    /// The date of the closing balance: the business day the statement closes.
    public var closingDate: BusinessDate
    /// MT940 `:62F:` versus `:62M:` (the statement continues on the next page).
    public var closingBalanceKind: StatementBalanceKind
    /// The booked entries in the bank's order.
    public var entries: [BankStatementEntry]
    /// Counts and sums the bank states for the statement (camt `TxsSummry`), checked by ``validateBalances()``;
    /// `nil` when the format or the file gives none.
    public var controlTotals: StatementControlTotals?
    /// Free text the bank adds to the whole statement (camt `AddtlStmtInf`, MT940 `:86:` after the closing
    /// balance).
    public var additionalInformation: String
    /// The file line where the statement starts (`:20:`, `<Stmt>`, CSV `OPEN` row), so a clerk can find it; `nil`
    /// when the statement was not read from a file.
    public var line: Int?
    /// Fields of the statement that the format does not define (MT940 `:NS:` and other bank-specific tags that do
    /// not follow an entry), kept as the bank wrote them and never interpreted: nothing in them changes an amount,
    /// a sign or a balance.
    public var extraFields: [StatementExtraField]
    /// What the parser tolerated and a clerk should know about, in file order (for example each extra field,
    /// whether kept here or on an entry). Empty for a statement that follows its format exactly.
    public var warnings: [StatementWarning]

    /// Creates a statement; the defaults suit a statement built by hand (final balances, no control totals).
    public init(account: String, currency: CurrencyCode, statementID: String, sequenceNumber: Int?,
                pageNumber: Int? = nil, openingBalance: AmountMinorUnits, openingDate: BusinessDate,
                openingBalanceKind: StatementBalanceKind = .final, closingBalance: AmountMinorUnits,
                closingDate: BusinessDate, closingBalanceKind: StatementBalanceKind = .final,
                entries: [BankStatementEntry], controlTotals: StatementControlTotals? = nil,
                additionalInformation: String = "", line: Int? = nil, extraFields: [StatementExtraField] = [],
                warnings: [StatementWarning] = []) {
        self.account = account
        self.currency = currency
        self.statementID = statementID
        self.sequenceNumber = sequenceNumber
        self.pageNumber = pageNumber
        self.openingBalance = openingBalance
        self.openingDate = openingDate
        self.openingBalanceKind = openingBalanceKind
        self.closingBalance = closingBalance
        self.closingDate = closingDate
        self.closingBalanceKind = closingBalanceKind
        self.entries = entries
        self.controlTotals = controlTotals
        self.additionalInformation = additionalInformation
        self.line = line
        self.extraFields = extraFields
        self.warnings = warnings
    }
}

/// Whether a balance closes (or opens) the bank's business day or only a page of a statement split over several
/// messages. Only a final closing balance is the account's balance at the end of the day.
public enum StatementBalanceKind: Hashable, Sendable {
    /// MT940 `:60F:` / `:62F:`, camt `OPBD` / `PRCD` / `CLBD`, CSV `OPEN` / `CLOSE`.
    case final
    /// MT940 `:60M:` / `:62M:`: carried from or to another page of the same statement.
    case intermediate
}

/// Money in (credit) or out (debit) of the account, as the bank marks it.
///
/// Kept beside the signed amount because a zero amount has no sign, and because MT940 reversal marks (`RC`, `RD`)
/// turn the original direction around: the mark here is the direction of *this* entry.
public enum CreditDebitMark: Hashable, Sendable {
    case credit
    case debit
}

/// One booked entry of a statement. Credits (money in) are positive, debits (money out) negative.
public struct BankStatementEntry: Hashable, Sendable {
    /// The day the bank booked the entry. MT940 may omit it (`:61:` entry date is optional); it is then the value
    /// date, because the bank booked on the day the money moved.
    public var bookingDate: BusinessDate
    /// The day the money starts or stops earning interest; `nil` when the file gives none (camt `ValDt` is
    /// optional).
    public var valueDate: BusinessDate?
    /// Signed minor units: positive for a credit, negative for a debit, so `opening + Σ amount = closing`.
    public var amount: AmountMinorUnits
    /// The direction of this entry; agrees with the sign of ``amount`` unless the amount is zero.
    public var mark: CreditDebitMark
    /// Whether the entry reverses an earlier one (camt `RvslInd`, MT940 `RC` / `RD`).
    public var isReversal: Bool
    /// The bank's reference for the entry, used to match it to the bank journal (camt `AcctSvcrRef`, MT940 the
    /// reference after `//`).
    public var reference: String
    /// The account owner's own reference (camt `EndToEndId`, MT940 the reference before `//`).
    public var customerReference: String
    /// The other party's name (camt `RltdPties`; MT940 has no field for it, so it stays empty).
    public var counterparty: String
    /// Remittance text (camt `RmtInf`, MT940 `:86:`).
    public var narrative: String
    /// The bank's transaction type (camt `BkTxCd` as `Domain/Family/SubFamily` or the proprietary code, MT940 the
    /// four-character type such as `NTRF`), kept so reconciliation rules can match on it.
    public var bankTransactionCode: String
    /// Further text from the bank (camt `AddtlNtryInf`, MT940 supplementary details of `:61:`).
    public var additionalInformation: String
    /// The file line of the entry (`:61:`, `<Ntry>`, CSV row), so a clerk can find it; `nil` when built by hand.
    public var line: Int?
    /// Fields the format does not define that follow this entry (MT940 `:NS:` after `:61:`), kept unread; each is
    /// also named in the statement's ``BankStatement/warnings``.
    public var extraFields: [StatementExtraField]

    /// Creates an entry. Without a `mark`, it follows the sign of `amount` (zero counts as a credit).
    public init(bookingDate: BusinessDate, valueDate: BusinessDate?, amount: AmountMinorUnits, reference: String,
                counterparty: String, narrative: String, mark: CreditDebitMark? = nil, isReversal: Bool = false,
                customerReference: String = "", bankTransactionCode: String = "", additionalInformation: String = "",
                line: Int? = nil, extraFields: [StatementExtraField] = []) {
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.mark = mark ?? (amount.value < 0 ? .debit : .credit)
        self.isReversal = isReversal
        self.reference = reference
        self.customerReference = customerReference
        self.counterparty = counterparty
        self.narrative = narrative
        self.bankTransactionCode = bankTransactionCode
        self.additionalInformation = additionalInformation
        self.line = line
        self.extraFields = extraFields
    }
}

/// A field a bank adds that the statement format does not define, such as MT940 `:NS:` (German banks' extra
/// texts): kept as written so nothing the bank sent is lost, and never read as an amount, a date or a balance.
public struct StatementExtraField: Hashable, Sendable {
    /// The tag without its colons, such as `NS`.
    public var tag: String
    /// The text after the tag, continuation lines joined with line breaks, trailing spaces and blank lines removed.
    public var value: String
    /// The file line of the tag; `nil` when built by hand.
    public var line: Int?

    /// Creates an extra field.
    public init(tag: String, value: String, line: Int? = nil) {
        self.tag = tag
        self.value = value
        self.line = line
    }
}

/// Something a parser accepted but a clerk should know about: the file deviates from its format in a way that was
/// read without guessing. A warning never concerns an amount, a sign or a balance — those are read exactly or the
/// file is refused.
///
/// Like ``StatementParseError``, ``description`` names the place and the format's own words only (tags), never
/// the bank's data.
public struct StatementWarning: Hashable, Sendable, CustomStringConvertible {
    /// What was tolerated.
    public enum Code: Hashable, Sendable {
        /// A field the format does not define (such as MT940 `:NS:`) was kept unread in
        /// ``BankStatement/extraFields`` or ``BankStatementEntry/extraFields``.
        case nonStandardFieldKept(field: String)
        /// The file was read through a bank profile whose layout was not checked against a real export of that
        /// bank (``BankProfile/verification``): its figures add up, but which column is which is our understanding.
        case profileUnverified(profile: String, note: String)
    }

    /// What was tolerated.
    public var code: Code
    /// The format read.
    public var format: StatementFormat?
    /// 1-based line in the file.
    public var line: Int?

    /// Creates a warning.
    public init(_ code: Code, format: StatementFormat? = nil, line: Int? = nil) {
        self.code = code
        self.format = format
        self.line = line
    }

    /// "MT940 line 7: …": the place, then ``reason``.
    public var description: String {
        var place = format.map { "\($0)" } ?? "statement file"
        if let line { place += " line \(line)" }
        return "\(place): \(reason)"
    }

    /// The sentence without the place.
    public var reason: String {
        switch code {
        case .nonStandardFieldKept(let field):
            "\(field) is not a field of the format; it was kept as written and not read"
        case .profileUnverified(let profile, let note):
            "read through the bank profile \(profile), \(note); compare the account, the period and the balances "
                + "with the bank's own statement before relying on them"
        }
    }
}

/// The counts and sums a bank states for a statement, so that a lost or doubled entry is caught even when the
/// balances were copied wrongly too. Every field is optional because banks give any subset.
///
/// Sums are magnitudes (never negative) except ``netAmount``, which is signed like an entry amount.
public struct StatementControlTotals: Hashable, Sendable {
    /// Number of entries (camt `TtlNtries/NbOfNtries`).
    public var entryCount: Int?
    /// Sum of the magnitudes of all entries (camt `TtlNtries/Sum`).
    public var entrySum: AmountMinorUnits?
    /// Credits minus debits (camt `TtlNtries/TtlNetNtry`).
    public var netAmount: AmountMinorUnits?
    /// Number and sum of credit entries (camt `TtlCdtNtries`).
    public var creditCount: Int?
    /// See ``creditCount``.
    public var creditSum: AmountMinorUnits?
    /// Number and sum of debit entries (camt `TtlDbtNtries`); the sum is a magnitude.
    public var debitCount: Int?
    /// See ``debitCount``.
    public var debitSum: AmountMinorUnits?

    /// Creates control totals; leave out what the bank does not state.
    public init(entryCount: Int? = nil, entrySum: AmountMinorUnits? = nil, netAmount: AmountMinorUnits? = nil,
                creditCount: Int? = nil, creditSum: AmountMinorUnits? = nil, debitCount: Int? = nil,
                debitSum: AmountMinorUnits? = nil) {
        self.entryCount = entryCount
        self.entrySum = entrySum
        self.netAmount = netAmount
        self.creditCount = creditCount
        self.creditSum = creditSum
        self.debitCount = debitCount
        self.debitSum = debitSum
    }

    /// True when the bank gave no count and no sum at all.
    public var isEmpty: Bool { self == StatementControlTotals() }
}
