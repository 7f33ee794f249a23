/// Why a statement file was refused. A reader returns every statement of a file or throws this: nothing is ever
/// half-imported.
///
/// Each code is one clear sentence for the clerk (`description`) and carries the context needed to find the
/// problem: the ``format``, the file ``line`` and, for XML, the ``elementPath`` (such as
/// `Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt`). Account numbers, amounts and names from the file are left out of
/// `description` (STYLE R1): logs and quarantine reasons must not leak a bank's data; the line says where to look.
public struct StatementParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong; each case reads as one sentence in ``reason``.
    public enum Code: Hashable, Sendable {
        case empty
        case fileTooLarge(sizeBytes: Int, sizeBytesMax: Int)
        case unrecognizedFormat
        /// The text is not UTF-8 (the CSV layout requires it).
        case invalidEncoding
        /// A control character other than tab, CR or LF: binary data, not a statement.
        case controlCharacter(scalar: UInt32)
        case malformedXML(String)
        /// A `<!DOCTYPE>` or `<!ENTITY>`: no bank statement needs one, and entity expansion is an attack vector.
        case documentTypeNotAllowed
        case unsupportedNamespace(String)
        case noStatements
        /// A mandatory field, tag, element or row is missing.
        case missingField(String)
        case duplicateField(String)
        case unexpectedField(field: String, reason: String)
        case malformedField(field: String, reason: String)
        case invalidAmount(field: String)
        /// More fraction digits than the currency has, and they are not all zero: reading it would mean rounding.
        case tooManyDecimals(field: String, currency: String, minorUnitDigitsMax: Int)
        case amountOverflow(field: String)
        case invalidDate(field: String)
        case invalidCurrency(field: String)
        case currencyMismatch(field: String, expected: String, found: String)
        /// A camt entry that is not booked (`PDNG`, `INFO`): it is not part of the booked balance.
        case unsupportedEntryStatus(String)
        /// camt `OPBD` and `PRCD` are both given and disagree.
        case inconsistentOpeningBalances
        /// The file ends inside a statement: it was cut off in transfer.
        case truncated(missing: String)
        case limitExceeded(what: String, count: Int, countMax: Int)
        /// A bank export (``BankExportParser``) that is neither UTF-8 nor valid in the legacy `encoding` its profile
        /// allows (GB18030): `byteOffset` is the 0-based offset of the first byte that cannot be read; `incomplete`
        /// when the file ends inside a character.
        case undecodableText(encoding: String, byteOffset: Int, incomplete: Bool)
        /// An xlsx bank export that `XLSXReader` refuses; `reason` is its sentence, which holds no cell contents.
        case unreadableWorkbook(reason: String)
        /// A bank export that names no account (no 账号 in its title rows or columns), read without one.
        case accountUnknown
        /// A bank export row whose running balance (余额) is not the previous row's balance plus its credit minus
        /// its debit; the amounts are in minor units of `currency` (`minorUnitDigits` decimals).
        case runningBalanceMismatch(expectedMinorUnits: Int64, statedMinorUnits: Int64, currency: String,
                                    minorUnitDigits: Int)
        /// A balance a bank export's title or footer rows state (期初余额, 期末余额) disagrees with its rows.
        case statedBalanceMismatch(balance: String, statedMinorUnits: Int64, rowsMinorUnits: Int64, currency: String,
                                   minorUnitDigits: Int)
        /// Whether a bank export's rows run oldest first or newest first cannot be proved.
        case rowOrderUndetermined(reason: String)
    }

    /// What is wrong.
    public var code: Code
    /// The format being read; `nil` when the format could not be told.
    public var format: StatementFormat?
    /// 1-based line in the file; `nil` when the problem is not local (an empty file).
    public var line: Int?
    /// For camt.053: the XML element path with 1-based indexes of repeated elements.
    public var elementPath: String?

    /// Creates an error with as much of its place as is known.
    public init(_ code: Code, format: StatementFormat? = nil, line: Int? = nil, elementPath: String? = nil) {
        self.code = code
        self.format = format
        self.line = line
        self.elementPath = elementPath
    }

    /// "MT940 line 5: …": the place, then ``reason``.
    public var description: String {
        var place = format.map { "\($0)" } ?? "statement file"
        if let line { place += " line \(line)" }
        if let elementPath { place += " (\(elementPath))" }
        return "\(place): \(reason)"
    }

    /// The sentence without the place, for tests and for quarantine `.reason` files that state the place apart.
    public var reason: String {
        switch code {
        case .empty: "the file is empty"
        case .fileTooLarge(let size, let max): "the file is \(size) bytes, over the limit of \(max) bytes"
        case .unrecognizedFormat:
            "the content is neither camt.053 XML, MT940 nor FundSync statement CSV"
        case .invalidEncoding: "the text is not valid UTF-8"
        case .controlCharacter(let scalar):
            "the text holds the control character U+\(String(scalar, radix: 16, uppercase: true)), so it is binary data"
        case .malformedXML(let message): "the XML is not well-formed: \(message)"
        case .documentTypeNotAllowed: "the XML declares a DOCTYPE or ENTITY, which a bank statement never needs"
        case .unsupportedNamespace(let namespace):
            "the XML namespace \(namespace) is not camt.053 version 001.02 or later"
        case .noStatements: "the file holds no statement"
        case .missingField(let field): "the mandatory \(field) is missing"
        case .duplicateField(let field): "\(field) appears twice in one statement"
        case .unexpectedField(let field, let reason): "\(field) is not allowed here: \(reason)"
        case .malformedField(let field, let reason): "\(field) is malformed: \(reason)"
        case .invalidAmount(let field): "the amount in \(field) is not a decimal number"
        case .tooManyDecimals(let field, let currency, let digits):
            "the amount in \(field) has more decimals than \(currency) allows (\(digits)) and would have to be rounded"
        case .amountOverflow(let field): "the amount in \(field) is too large to hold in minor units"
        case .invalidDate(let field): "the date in \(field) is not a valid calendar date"
        case .invalidCurrency(let field): "the currency in \(field) is not a three-letter ISO 4217 code"
        case .currencyMismatch(let field, let expected, let found):
            "\(field) is in \(found) but the statement is in \(expected); a statement must be in one currency"
        case .unsupportedEntryStatus(let status):
            "an entry has status \(status); a statement may hold booked (BOOK) entries only"
        case .inconsistentOpeningBalances: "the opening balances OPBD and PRCD disagree"
        case .truncated(let missing): "the file ends inside a statement, before \(missing); it was cut off"
        case .limitExceeded(let what, let count, let max): "the file has \(count) \(what), over the limit of \(max)"
        case .undecodableText(let encoding, let offset, let incomplete):
            incomplete
                ? "the file ends inside a \(encoding) character (byte offset \(offset)); it was cut off in transfer"
                : "the text is neither UTF-8 nor \(encoding): the bytes at offset \(offset) are not a character"
        case .unreadableWorkbook(let reason): "the xlsx workbook cannot be read: \(reason)"
        case .accountUnknown:
            "the file does not say which account it is for (no 账号 in its title rows or columns); pass the account "
                + "number when reading it"
        case .runningBalanceMismatch(let expected, let stated, let currency, let digits):
            "the running balance breaks here: the previous balance and this row's amount give "
                + "\(Self.money(expected, digits, currency)) but the row states \(Self.money(stated, digits, currency))"
        case .statedBalanceMismatch(let balance, let stated, let rows, let currency, let digits):
            "the file states the \(balance) as \(Self.money(stated, digits, currency)) but its rows give "
                + Self.money(rows, digits, currency)
        case .rowOrderUndetermined(let reason): "the order of the rows cannot be proved: \(reason)"
        }
    }
}

extension StatementParseError {
    /// `123456, 2, "CNY"` → `"1234.56 CNY"`, with integer math only (STYLE R2).
    fileprivate static func money(_ minorUnits: Int64, _ digits: Int, _ currency: String) -> String {
        let magnitude = String(minorUnits.magnitude)
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        let whole = padded.dropLast(digits)
        let text = digits > 0 ? "\(whole).\(padded.suffix(digits))" : String(whole)
        return (minorUnits < 0 ? "-" : "") + text + " " + currency
    }
}
