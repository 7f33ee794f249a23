import LedgerCore

/// The `:61:` statement line of MT940, one booked entry:
/// `6!n[4!n]2a[1!a]15d1!a3!c16x[//16x][34x]` — value date `YYMMDD`, optional entry date `MMDD`, mark (`C`, `D`,
/// `RC`, `RD`), optional funds code, amount, transaction type (`NTRF`), customer reference, optional `//` bank
/// reference, and supplementary details on the rest of the line or on the next line.
///
/// Example: `1003190319CR27,00NTRF100323-03-100323//32-P1-TCS49518` is a credit (`C`, funds code `R`) of 27.00.
///
/// Two ways banks fill the fixed-width parts with spaces are read, because neither can change what the line says:
/// - the optional entry date written as four spaces (`260105    C1,00NTRF…`): no entry date, as if left out — a
///   mark is never a space, so the four spaces cannot be anything else;
/// - a transaction type padded with spaces (`S   `, `NTR `, or a full type followed by spaces, `NTRF NONREF`): the
///   code is read trimmed, and only when every way of reading the padding (inside the 4-character slot, as the
///   start of the customer reference, or running on after the slot) gives the same customer reference and
///   supplementary details; otherwise the line is refused.
struct MT940StatementLine: Hashable {
    var valueDate: BusinessDate
    var entryDate: BusinessDate?
    var mark: CreditDebitMark
    var isReversal: Bool
    /// Unsigned minor units; the sign comes from ``mark``.
    var magnitude: Int64
    var transactionType: String
    var customerReference: String
    var bankReference: String
    var supplementaryDetails: String

    /// The amount signed for the balance equation: credits positive, debits negative.
    var signedAmount: AmountMinorUnits { AmountMinorUnits(mark == .debit ? -magnitude : magnitude) }

    /// Parses `field`, reading its amount in `currency` (the statement's, from the opening balance).
    ///
    /// Reversal marks follow SWIFT: `RC` is the reversal of a credit and so takes money *out* (a debit), `RD` the
    /// reversal of a debit and puts money back *in* (a credit). The statements in the test data only balance with
    /// this reading (the `mt940` Python library books `RC` as a credit and its statements do not balance).
    static func parse(_ field: MT940Field, currency: CurrencyCode) -> FieldResult<MT940StatementLine> {
        var scanner = MT940Scanner(field.firstLine)
        let malformed = { (reason: String) in StatementParseError.Code.malformedField(field: field.name, reason: reason) }
        guard let valueDate = MT940Date.yymmdd(scanner.take(6)) else { return .failure(.invalidDate(field: field.name)) }
        var entryDate: BusinessDate?
        if scanner.peekDigits(4) {
            guard let date = MT940Date.entryDate(mmdd: scanner.take(4), valueDate: valueDate) else {
                return .failure(.invalidDate(field: field.name))
            }
            entryDate = date
        } else if scanner.skip("    ") {
            entryDate = nil  // an entry date left blank in a fixed-width line: not given
        }
        let (mark, isReversal): (CreditDebitMark, Bool)
        if scanner.skip("RC") { (mark, isReversal) = (.debit, true) }
        else if scanner.skip("RD") { (mark, isReversal) = (.credit, true) }
        else if scanner.skip("C") { (mark, isReversal) = (.credit, false) }
        else if scanner.skip("D") { (mark, isReversal) = (.debit, false) }
        else { return .failure(malformed("the debit/credit mark is not C, D, RC or RD")) }
        _ = scanner.takeUppercaseLetter()  // funds code: the third letter of the currency; the amount needs no more
        let amountText = scanner.take { $0.isASCIIDigitCharacter || $0 == "," }
        guard !amountText.isEmpty, amountText.count <= 16 else { return .failure(.invalidAmount(field: field.name)) }
        let magnitude: Int64
        switch StatementAmountText.magnitude(Substring(amountText), decimalSeparator: ",", currency: currency,
                                             field: field.name) {
        case .success(let value): magnitude = value
        case .failure(let code): return .failure(code)
        }
        let slot = scanner.take(4)
        guard let type = transactionType(slot) else {
            return .failure(malformed("the transaction type is not N, F or S and three letters or digits"))
        }
        guard let references = unambiguousReferences(slot: slot, type: type, rest: scanner.rest) else {
            return .failure(malformed("the transaction type is padded with spaces and the customer reference "
                                      + "cannot be told apart from the supplementary details"))
        }
        guard references.customer.count <= 16 else {
            return .failure(malformed("the customer reference before // is longer than 16 characters"))
        }
        let details = ([references.sameLineDetails] + field.continuation).filter { !$0.isEmpty }
        return .success(MT940StatementLine(
            valueDate: valueDate, entryDate: entryDate, mark: mark, isReversal: isReversal, magnitude: magnitude,
            transactionType: type, customerReference: String(references.customer.trimmingSpacesBothEnds()),
            bankReference: String(references.bank.trimmingSpacesBothEnds()),
            supplementaryDetails: details.map { String($0.trimmingSpacesBothEnds()) }.joined(separator: "\n")))
    }

    /// The type code of the 4-character slot `1!a3!c`: `N`, `F` or `S` and three letters or digits, or fewer
    /// followed by spaces up to the slot's width (`S   `, `NTR `), read without the spaces; `nil` for anything else
    /// (a space before a letter or digit, a slot cut short by the end of the line).
    static func transactionType(_ slot: String) -> String? {
        guard slot.count == 4, let kind = slot.first, "NFS".contains(kind) else { return nil }
        let code = slot.dropFirst().prefix { $0.isASCIIDigitCharacter || ("A"..."Z").contains($0) }
        let padding = slot.dropFirst(1 + code.count)
        guard padding.allSatisfy({ $0 == " " }) else { return nil }
        return String(slot.prefix(1 + code.count))
    }

    /// The parts of the line after the transaction type.
    typealias References = (customer: Substring, bank: Substring, sameLineDetails: Substring)

    /// The references after the type slot. When the slot is padded or the line has spaces right after it, the
    /// spaces could be the type's padding, the start of the customer reference, or padding running on past the
    /// slot: the three readings must agree (they always do with `//`, and without it when the reference and the
    /// details do not straddle the 16-character boundary differently); `nil` when they do not. A line without
    /// such spaces is read as it always was.
    private static func unambiguousReferences(slot: String, type: String, rest: Substring) -> References? {
        let slotPadding = slot.dropFirst(type.count)
        guard !slotPadding.isEmpty || rest.first == " " else { return splitReferences(rest) }
        let paddingAsReference = String(slotPadding) + String(rest)
        let readings = [splitReferences(rest), splitReferences(paddingAsReference[...]),
                        splitReferences(rest.drop { $0 == " " })]
        let trimmed = { (parts: References) in
            [parts.customer, parts.bank, parts.sameLineDetails].map { $0.trimmingSpacesBothEnds() }
        }
        let first = trimmed(readings[0])
        guard readings.allSatisfy({ trimmed($0) == first }) else { return nil }
        return readings[2]  // padding dropped, so it does not count towards the reference's 16 characters
    }

    /// `REF//BANKREF`, or without `//` a 16-character customer reference followed by supplementary details on the
    /// same line (Rabobank: `0121470966      W.P. Jansen`).
    private static func splitReferences(_ rest: Substring) -> References {
        if let range = rest.range(of: "//") {
            return (rest[..<range.lowerBound], rest[range.upperBound...], "")
        }
        let customer = rest.prefix(16)
        return (customer, "", rest.dropFirst(16).trimmingSpacesBothEnds())
    }
}

/// A cursor over the characters of one MT940 line.
struct MT940Scanner {
    private var remaining: Substring

    init(_ text: Substring) { remaining = text }

    var rest: Substring { remaining }

    mutating func take(_ count: Int) -> String {
        let taken = remaining.prefix(count)
        remaining = remaining.dropFirst(count)
        return String(taken)
    }

    mutating func take(while predicate: (Character) -> Bool) -> String {
        let taken = remaining.prefix(while: predicate)
        remaining = remaining.dropFirst(taken.count)
        return String(taken)
    }

    func peekDigits(_ count: Int) -> Bool {
        remaining.count >= count && remaining.prefix(count).allSatisfy(\.isASCIIDigitCharacter)
    }

    mutating func skip(_ prefix: String) -> Bool {
        guard remaining.hasPrefix(prefix) else { return false }
        remaining = remaining.dropFirst(prefix.count)
        return true
    }

    mutating func takeUppercaseLetter() -> Character? {
        guard let first = remaining.first, ("A"..."Z").contains(first) else { return nil }
        remaining = remaining.dropFirst()
        return first
    }
}
