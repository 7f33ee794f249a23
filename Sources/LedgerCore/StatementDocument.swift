/// A bank statement an office imported (6/6 item 4), as the replicated `statement` document carries it
/// (PROTOCOL.md §6.22b): the bank's own figures for one of the office's bank accounts over a period, entry by entry.
///
/// A county imports its bank's statement, matches it against its own bank journal, and the statement travels to the
/// hub like any other document of the county, so the hub's bank reconciliation sees the county's accounts with the
/// bank's figures. The same type reads the fields back at the hub, and every rule a statement must keep is checked
/// here, once, on both sides: the hub trusts nothing a county sends, and a county cannot write what the hub would
/// refuse.
///
/// The rules: the account is written as a bank writes it (no spaces), the currency is an ISO 4217 code, the period
/// runs forwards and every entry lies in it, every entry moves money (non-zero, within `Limits.amountMinorUnitsMax`),
/// the balances are within ±`Limits.officeVolumeMinorUnitsMax`, and the opening balance plus the entries is the
/// closing balance (summed with overflow checks: outside data never traps). The key is the statement's identity
/// (``key(account:number:page:openingDate:closingDate:)``), never the bank's reference, which some banks write as
/// all zeros on every statement.
public struct StatementDocument: Hashable, Sendable {
    /// One movement on the statement, as the bank booked it.
    public struct Entry: Hashable, Sendable {
        /// The bank's booking date.
        public var date: BusinessDate
        /// Minor units, signed: money in (a credit on the bank's side) positive, money out negative.
        public var amountMinorUnits: Int64
        /// The bank's reference of the movement (its serial or advice number), possibly empty.
        public var reference: String
        /// Who paid or was paid, as the bank names them, possibly empty.
        public var counterparty: String
        /// The bank's text (摘要, 用途), possibly empty.
        public var narrative: String

        public init(date: BusinessDate, amountMinorUnits: Int64, reference: String = "", counterparty: String = "", narrative: String = "") {
            self.date = date
            self.amountMinorUnits = amountMinorUnits
            self.reference = reference
            self.counterparty = counterparty
            self.narrative = narrative
        }
    }

    /// The unit whose bank account it is: the importing office, or a budget unit whose books it keeps.
    public var org: OrgCode
    public var account: String
    public var currency: CurrencyCode
    /// The bank's statement number (`:28C:`, `ElctrncSeqNb`), when it numbers its statements.
    public var number: Int64?
    /// The page of a statement the bank sends in pages.
    public var page: Int64?
    /// The bank's own reference of the statement (`:20:`, `Stmt/Id`, or the period of an export without one).
    public var reference: String
    public var openingMinorUnits: Int64
    public var openingDate: BusinessDate
    public var closingMinorUnits: Int64
    public var closingDate: BusinessDate
    public var entries: [Entry]
    /// What it was read as (`camt.053`, `MT940`, `bank export (icbc)`).
    public var format: String
    /// The name of the imported file (its last path component).
    public var file: String
    /// SHA-256 of the imported file's bytes, lower-case hex: ties the record to the file a person can be shown.
    public var fileSHA256: String

    public init(org: OrgCode, account: String, currency: CurrencyCode, number: Int64?, page: Int64?, reference: String,
                openingMinorUnits: Int64, openingDate: BusinessDate, closingMinorUnits: Int64, closingDate: BusinessDate,
                entries: [Entry], format: String, file: String, fileSHA256: String) {
        self.org = org
        self.account = account
        self.currency = currency
        self.number = number
        self.page = page
        self.reference = reference
        self.openingMinorUnits = openingMinorUnits
        self.openingDate = openingDate
        self.closingMinorUnits = closingMinorUnits
        self.closingDate = closingDate
        self.entries = entries
        self.format = format
        self.file = file
        self.fileSHA256 = fileSHA256
    }

    /// A statement's identity and the document's key: `<account>:<number or ->[/<page>]:<opening date>..<closing
    /// date>`. The account, the number and page, and the period; one statement of an account has one key, whichever
    /// office imports it and whatever the bank wrote as its reference.
    public static func key(account: String, number: Int64?, page: Int64?, openingDate: BusinessDate, closingDate: BusinessDate) -> String {
        let numberText = number.map(String.init) ?? "-"
        let pageText = page.map { "/\($0)" } ?? ""
        return "\(account):\(numberText)\(pageText):\(openingDate)..\(closingDate)"
    }

    /// This statement's key.
    public var key: String {
        Self.key(account: account, number: number, page: page, openingDate: openingDate, closingDate: closingDate)
    }

    /// The sum of the money-in entries and of the money-out ones (magnitudes), checked.
    public func sums() throws(LedgerRuleViolation) -> (credits: Int64, debits: Int64) {
        let credits = try AmountMinorUnits.checkedSum(entries.lazy.map(\.amountMinorUnits).filter { $0 > 0 })
        let debits = try AmountMinorUnits.checkedSum(entries.lazy.map(\.amountMinorUnits).filter { $0 < 0 }.map { -$0 })
        return (credits, debits)
    }

    /// Checks every rule of the type's description.
    /// - Throws: `statement-refused` with the first rule broken, in a sentence.
    public func validate() throws(LedgerRuleViolation) {
        func refuse(_ reason: String) -> LedgerRuleViolation { LedgerRuleViolation(.statementRefused(reason)) }
        guard !account.isEmpty, account.utf8.count <= 64, !account.contains(where: { $0.isWhitespace || $0 == ":" }) else {
            throw refuse("the account '\(account)' is empty, longer than 64 bytes, or holds a space or a colon")
        }
        guard openingDate <= closingDate else {
            throw refuse("the period runs backwards (\(openingDate) to \(closingDate))")
        }
        guard number.map({ $0 >= 0 }) ?? true, page.map({ $0 >= 1 }) ?? true else {
            throw refuse("the statement number is negative or the page is below 1")
        }
        guard entries.count <= Limits.statementEntryCountMax else {
            throw refuse("it has \(entries.count) entries, more than \(Limits.statementEntryCountMax) in one statement: "
                         + "import the bank's statement for a shorter period")
        }
        let balanceMax = Limits.officeVolumeMinorUnitsMax
        guard openingMinorUnits.magnitude <= UInt64(balanceMax), closingMinorUnits.magnitude <= UInt64(balanceMax) else {
            throw refuse("a balance is beyond ±\(balanceMax) minor units")
        }
        guard file.utf8.count <= 255, !file.contains("/"), !file.contains("\\"), !file.isEmpty else {
            throw refuse("the file name '\(file)' is empty, longer than 255 bytes or holds a path")
        }
        guard fileSHA256.utf8.count == 64, fileSHA256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw refuse("the file's SHA-256 is not 64 lower-case hex digits")
        }
        var running = openingMinorUnits
        for (index, entry) in entries.enumerated() {
            guard entry.amountMinorUnits != 0, entry.amountMinorUnits.magnitude <= UInt64(Limits.amountMinorUnitsMax) else {
                throw refuse("entry \(index + 1) moves nothing or more than \(Limits.amountMinorUnitsMax) minor units")
            }
            guard entry.date >= openingDate, entry.date <= closingDate else {
                throw refuse("entry \(index + 1) is dated \(entry.date), outside the period \(openingDate) to \(closingDate)")
            }
            let (next, overflow) = running.addingReportingOverflow(entry.amountMinorUnits)
            guard !overflow else { throw refuse("the entries overflow the running balance at entry \(index + 1)") }
            running = next
        }
        guard running == closingMinorUnits else {
            throw refuse("the opening balance \(openingMinorUnits) and the entries make \(running), not the closing balance "
                         + "\(closingMinorUnits)")
        }
    }

    /// The document's fields (PROTOCOL.md §6.22b), without the signers: the writer adds `preparer`, `reviewer` and
    /// `signatures`.
    public var fields: [String: FieldValue] {
        [
            "org": .text(org.rawValue), "account": .text(account), "currency": .text(currency.code),
            "number": number.map(FieldValue.integer) ?? .null, "page": page.map(FieldValue.integer) ?? .null,
            "reference": .text(reference),
            "opening": .integer(openingMinorUnits), "opening_date": .text(openingDate.description),
            "closing": .integer(closingMinorUnits), "closing_date": .text(closingDate.description),
            "entries": .list(entries.map { entry in
                .record([
                    "date": .text(entry.date.description), "amount": .integer(entry.amountMinorUnits),
                    "reference": .text(entry.reference), "counterparty": .text(entry.counterparty),
                    "narrative": .text(entry.narrative),
                ])
            }),
            "format": .text(format), "file": .text(file), "file_sha256": .text(fileSHA256),
        ]
    }

    /// Reads a `statement` document's fields, as received: every field of the right kind, every rule kept
    /// (``validate()``), and the key its identity.
    /// - Throws: `malformed` for a missing or mistyped field, `invalid-date` for a date that is none,
    ///   `statement-refused` for a broken rule.
    public init(fields: [String: FieldValue], key: String) throws(LedgerRuleViolation) {
        let reader = FieldReader(fields, context: "statement \(key)")
        func date(_ text: String) throws(LedgerRuleViolation) -> BusinessDate {
            guard let date = BusinessDate(text) else { throw LedgerRuleViolation(.invalidDate(text)) }
            return date
        }
        let currencyText = try reader.text("currency")
        guard let currency = CurrencyCode(currencyText) else {
            throw LedgerRuleViolation(.statementRefused("the currency '\(currencyText)' is not an ISO 4217 code"))
        }
        var entries: [Entry] = []
        let list = try reader.list("entries")
        guard list.count <= Limits.statementEntryCountMax else {
            throw LedgerRuleViolation(.statementRefused("it has \(list.count) entries, more than \(Limits.statementEntryCountMax)"))
        }
        entries.reserveCapacity(list.count)
        for (index, value) in list.enumerated() {
            guard let record = value.recordValue else { throw .malformed("statement \(key) entry \(index + 1) is not a record") }
            let entry = FieldReader(record, context: "statement \(key) entry \(index + 1)")
            entries.append(Entry(date: try date(try entry.text("date")), amountMinorUnits: try entry.integer("amount"),
                                 reference: try entry.text("reference"), counterparty: try entry.text("counterparty"),
                                 narrative: try entry.text("narrative")))
        }
        self.init(org: try reader.orgCode("org"), account: try reader.text("account"), currency: currency,
                  number: try reader.optionalInteger("number"), page: try reader.optionalInteger("page"),
                  reference: try reader.text("reference"),
                  openingMinorUnits: try reader.integer("opening"), openingDate: try date(try reader.text("opening_date")),
                  closingMinorUnits: try reader.integer("closing"), closingDate: try date(try reader.text("closing_date")),
                  entries: entries, format: try reader.text("format"), file: try reader.text("file"),
                  fileSHA256: try reader.text("file_sha256"))
        try validate()
        guard key == self.key else {
            throw LedgerRuleViolation(.statementRefused("its key \(key) is not its identity \(self.key) (account, number, page, period)"))
        }
    }
}
