import LedgerCore

/// An MT940 statement being read, field by field, until its closing balance; then it becomes a ``BankStatement``.
///
/// It enforces the field order SWIFT prescribes — `:20:` `[:21:]` `:25:` `:28C:` `:60F:`/`:60M:`
/// (`:61:` `[:86:]`…)* `:62F:`/`:62M:` `[:64:]` `[:65:]`* `[:86:]` — because a field out of place is how a broken
/// or spliced file shows (the `sepa_snippet_broken` test file has a second `:25:` where `:86:` belongs).
///
/// Fields some banks add that MT940 does not define (`:NS:` …, see ``MT940Field/isNonStandard``) stand outside
/// that order: each is kept unread on the entry it follows (after a `:61:`, before the closing balance) or else on
/// the statement, with a ``StatementWarning``. They change nothing else: the standard fields around them are
/// checked exactly as without them.
struct MT940PendingStatement {
    var reference: String
    var line: Int
    var account: String?
    var sequenceNumber: Int?
    var pageNumber: Int?
    var opening: MT940Balance?
    var openingKind: StatementBalanceKind = .final
    var closing: MT940Balance?
    var closingKind: StatementBalanceKind = .final
    var entries: [BankStatementEntry] = []
    var information: [String] = []
    var extraFields: [StatementExtraField] = []
    var warnings: [StatementWarning] = []
    var relatedReferenceSeen = false
    var availableBalanceSeen = false

    init(reference: String, line: Int) {
        self.reference = reference
        self.line = line
    }

    /// The first mandatory field still missing, in file order; `nil` when the statement is complete.
    var firstMissingField: String? {
        if account == nil { return ":25:" }
        if sequenceNumber == nil { return ":28C:" }
        if opening == nil { return ":60F:" }
        if closing == nil { return ":62F:" }
        return nil
    }

    /// The finished statement.
    /// - precondition: ``firstMissingField`` is `nil` (the builder checks it first and throws otherwise).
    func statement() -> BankStatement {
        guard let account, let opening, let closing else {
            preconditionFailure("an incomplete MT940 statement was finished; check firstMissingField first")
        }
        return BankStatement(
            account: account, currency: opening.currency, statementID: reference, sequenceNumber: sequenceNumber,
            pageNumber: pageNumber, openingBalance: opening.amount, openingDate: opening.date,
            openingBalanceKind: openingKind, closingBalance: closing.amount, closingDate: closing.date,
            closingBalanceKind: closingKind, entries: entries, additionalInformation: information.joined(separator: "\n"),
            line: line, extraFields: extraFields, warnings: warnings)
    }

    /// Adds one field after `:20:`, checking that it is allowed where it stands.
    mutating func apply(_ field: MT940Field) -> StatementParseError.Code? {
        switch field.tag {
        case "20":
            if case .failure(let code) = field.singleLineValue() { return code }
            return nil
        case "21": return applyRelatedReference(field)
        case "25": return applyAccount(field)
        case "28", "28C": return applyStatementNumber(field)
        case "60F", "60M": return applyOpening(field)
        case "61": return applyEntry(field)
        case "86": return applyInformation(field)
        case "62F", "62M": return applyClosing(field)
        case "64", "65": return applyAvailableBalance(field)
        default:
            guard field.isNonStandard else {
                return .unexpectedField(field: field.name, reason: "MT940 has no such field")
            }
            applyNonStandard(field)
            return nil
        }
    }

    /// Keeps a non-standard field unread: on the last entry while entries are being read (after the first `:61:`
    /// and before the closing balance), else on the statement; either way with a warning.
    private mutating func applyNonStandard(_ field: MT940Field) {
        let extra = StatementExtraField(tag: field.tag, value: field.textValue(), line: field.line)
        if closing == nil, let last = entries.indices.last {
            entries[last].extraFields.append(extra)
        } else {
            extraFields.append(extra)
        }
        warnings.append(StatementWarning(.nonStandardFieldKept(field: field.name), format: .mt940, line: field.line))
    }

    private mutating func applyRelatedReference(_ field: MT940Field) -> StatementParseError.Code? {
        if relatedReferenceSeen { return .duplicateField(field.name) }
        if account != nil { return .unexpectedField(field: field.name, reason: "it must come before :25:") }
        relatedReferenceSeen = true
        return nil
    }

    private mutating func applyAccount(_ field: MT940Field) -> StatementParseError.Code? {
        if account != nil { return .duplicateField(field.name) }
        switch field.singleLineValue() {
        case .failure(let code): return code
        case .success(let value):
            guard !value.isEmpty, value.count <= 35 else {
                return .malformedField(field: field.name, reason: "the account must be 1 to 35 characters")
            }
            account = String(value)
            return nil
        }
    }

    private mutating func applyStatementNumber(_ field: MT940Field) -> StatementParseError.Code? {
        if sequenceNumber != nil { return .duplicateField(":28C:") }
        if account == nil { return .missingField(":25:") }
        let value: Substring
        switch field.singleLineValue() {
        case .failure(let code): return code
        case .success(let text): value = text
        }
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let valid = parts.allSatisfy { (1...5).contains($0.count) && $0.allSatisfy(\.isASCIIDigitCharacter) }
        guard valid, let number = Int(parts[0]) else {
            return .malformedField(field: field.name, reason: "it must be a statement number of up to 5 digits, "
                                   + "optionally followed by / and a page number")
        }
        sequenceNumber = number
        pageNumber = parts.count == 2 ? Int(parts[1]) : nil
        return nil
    }

    private mutating func applyOpening(_ field: MT940Field) -> StatementParseError.Code? {
        if opening != nil { return .duplicateField(":60F:/:60M:") }
        if let missing = firstMissingField, missing != ":60F:" { return .missingField(missing) }
        switch MT940Balance.parse(field) {
        case .failure(let code): return code
        case .success(let balance):
            opening = balance
            openingKind = field.tag == "60M" ? .intermediate : .final
            return nil
        }
    }

    private mutating func applyEntry(_ field: MT940Field) -> StatementParseError.Code? {
        guard let opening else { return .unexpectedField(field: field.name, reason: "it comes before :60F:") }
        if closing != nil { return .unexpectedField(field: field.name, reason: "it comes after the closing balance") }
        if entries.count >= BankStatementLimits.entryCountMax {
            return .limitExceeded(what: "entries in one statement", count: entries.count + 1,
                                  countMax: BankStatementLimits.entryCountMax)
        }
        switch MT940StatementLine.parse(field, currency: opening.currency) {
        case .failure(let code): return code
        case .success(let parsed):
            entries.append(BankStatementEntry(
                bookingDate: parsed.entryDate ?? parsed.valueDate, valueDate: parsed.valueDate,
                amount: parsed.signedAmount, reference: parsed.bankReference, counterparty: "", narrative: "",
                mark: parsed.mark, isReversal: parsed.isReversal, customerReference: parsed.customerReference,
                bankTransactionCode: parsed.transactionType, additionalInformation: parsed.supplementaryDetails,
                line: field.line))
            return nil
        }
    }

    /// `:86:` after an entry is that entry's remittance text (several `:86:` are joined, as Rabobank sends them);
    /// after the closing balance it is information about the whole statement.
    private mutating func applyInformation(_ field: MT940Field) -> StatementParseError.Code? {
        let text = field.textValue()
        if closing != nil {
            information.append(text)
        } else if let last = entries.indices.last {
            let narrative = entries[last].narrative
            entries[last].narrative = narrative.isEmpty ? text : narrative + "\n" + text
        } else {
            return .unexpectedField(field: field.name, reason: "it comes before any :61: entry")
        }
        return nil
    }

    private mutating func applyClosing(_ field: MT940Field) -> StatementParseError.Code? {
        if closing != nil { return .duplicateField(":62F:/:62M:") }
        guard let opening else { return .missingField(":60F:") }
        switch MT940Balance.parse(field) {
        case .failure(let code): return code
        case .success(let balance):
            guard balance.currency == opening.currency else {
                return .currencyMismatch(field: field.name, expected: opening.currency.code, found: balance.currency.code)
            }
            closing = balance
            closingKind = field.tag == "62M" ? .intermediate : .final
            return nil
        }
    }

    /// `:64:` and `:65:` (available balances) are read to check them, not kept: reconciliation needs the booked
    /// balance only, but a malformed one still means a damaged file.
    private mutating func applyAvailableBalance(_ field: MT940Field) -> StatementParseError.Code? {
        guard let closing else { return .unexpectedField(field: field.name, reason: "it comes before :62F:") }
        if field.tag == "64" {
            if availableBalanceSeen { return .duplicateField(field.name) }
            availableBalanceSeen = true
        }
        switch MT940Balance.parse(field) {
        case .failure(let code): return code
        case .success(let balance):
            guard balance.currency == closing.currency else {
                return .currencyMismatch(field: field.name, expected: closing.currency.code, found: balance.currency.code)
            }
            return nil
        }
    }
}
