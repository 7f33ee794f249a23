import Foundation
import LedgerCore

/// Reads ISO 20022 camt.053 (`BankToCustomerStatement`, version `001.02` and later) into ``BankStatement``s: every
/// `Stmt` of the file, or an error.
///
/// Per statement it reads the account (`Acct/Id/IBAN` or `Acct/Id/Othr/Id`), the currency (`Acct/Ccy`, else the
/// opening balance's), the booked opening balance (`OPBD`, else `PRCD`) and closing balance (`CLBD`), the
/// sequence number (`LglSeqNb`, else `ElctrncSeqNb`), the page (`StmtPgntn/PgNb`), every `Ntry` with its
/// `CdtDbtInd`, and the control totals in `TxsSummry`. Available balances (`OPAV`, `CLAV`, …) are not used.
///
/// It refuses rather than guesses: a statement whose booked balances or entries are in another currency than
/// the account (reconciliation cannot add EUR to SEK), a missing `OPBD`/`PRCD` or `CLBD`, an entry that is not
/// booked (`PDNG`), an amount with more decimals than its currency unless the extra ones are zero (`18.150` EUR
/// is read as 18.15; `8.855` EUR is refused), and any DOCTYPE.
///
/// Dates are the account's calendar days. A booking, value or balance date given as a date-time (`DtTm`) is
/// converted to the local date in the account's time zone, which the caller passes: `2014-01-04T23:00:00Z` is
/// 5 January for a bank in `Europe/Berlin`, 4 January in UTC. A date-time without a zone designator
/// (`2014-01-05T00:30:00`) is already local and a plain `Dt` is taken as written, whatever the zone.
///
/// ```swift
/// let statements = try Camt053Parser.parse(Data(contentsOf: url), timeZone: TimeZone(identifier: "Europe/Berlin")!)
/// ```
public enum Camt053Parser {
    /// The namespace of every camt.053 version, which follows as `001.NN`.
    static let namespaceStem = "urn:iso:std:iso:20022:tech:xsd:camt.053."
    /// The namespace every supported version starts with; the version number follows.
    static let namespacePrefix = namespaceStem + "001."

    /// The time zone date-times are read in when the caller names none: UTC. Before time zones were passed, the
    /// date part of a `DtTm` was taken as written, which is its UTC date for the `…Z` form banks use; an explicit
    /// offset (`+08:00`) is now converted too, so pass the account's zone to get its local days.
    public static let defaultTimeZone = TimeZone(secondsFromGMT: 0)!

    /// Parses the bytes of a camt.053 XML file.
    /// - Parameter timeZone: the account's (the bank's) time zone: every `DtTm` with a zone designator becomes the
    ///   calendar date of that instant in this zone. Plain dates and zone-less date-times are not affected.
    /// - Throws: ``StatementParseError`` with ``StatementFormat/camt053``, the line and the element path.
    public static func parse(_ data: Data, timeZone: TimeZone = Camt053Parser.defaultTimeZone)
        throws(StatementParseError) -> [BankStatement] {
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: BankStatementLimits.fileBytesMax),
                                      format: .camt053)
        }
        let document = try documentElement(XMLElementTree.parse(data))
        let report = try document.required("BkToCstmrStmt")
        let statements = report.all("Stmt")
        guard !statements.isEmpty else { throw report.error(.noStatements) }
        guard statements.count <= BankStatementLimits.statementCountMax else {
            throw report.error(.limitExceeded(what: "statements", count: statements.count,
                                              countMax: BankStatementLimits.statementCountMax))
        }
        var result: [BankStatement] = []
        for statement in statements { result.append(try readStatement(statement, timeZone: timeZone)) }
        return result
    }

    /// The root `Document`, once its namespace is known to be camt.053 version 001.02 or later.
    static func documentElement(_ root: XMLElementNode) throws(StatementParseError) -> CamtElement {
        let document = CamtElement(node: root, path: root.name)
        let namespace = root.namespace
        let version = namespace.hasPrefix(namespacePrefix) ? Int(namespace.dropFirst(namespacePrefix.count)) : nil
        guard root.name == "Document", let version, version >= 2 else {
            throw document.error(.unsupportedNamespace(namespace.isEmpty ? "(none)" : namespace))
        }
        return document
    }

    /// One `Stmt`.
    static func readStatement(_ element: CamtElement, timeZone: TimeZone) throws(StatementParseError) -> BankStatement {
        let id = try element.required("Id").text
        let account = try accountIdentification(element)
        let balances = try CamtBookedBalances.read(element, accountCurrency: accountCurrency(element),
                                                   timeZone: timeZone)
        let entryElements = element.all("Ntry")
        guard entryElements.count <= BankStatementLimits.entryCountMax else {
            throw element.error(.limitExceeded(what: "entries in one statement", count: entryElements.count,
                                               countMax: BankStatementLimits.entryCountMax))
        }
        var entries: [BankStatementEntry] = []
        for entry in entryElements {
            entries.append(try readEntry(entry, currency: balances.currency, timeZone: timeZone))
        }
        let sequence = try (element.optional("LglSeqNb") ?? element.optional("ElctrncSeqNb"))?.integer()
        let totals = try readControlTotals(element, currency: balances.currency)
        return BankStatement(
            account: account, currency: balances.currency, statementID: id, sequenceNumber: sequence,
            pageNumber: try element.optional("StmtPgntn", "PgNb")?.integer(),
            openingBalance: balances.opening.amount, openingDate: balances.opening.date,
            closingBalance: balances.closing.amount, closingDate: balances.closing.date, entries: entries,
            controlTotals: totals, additionalInformation: element.text("AddtlStmtInf"), line: element.node.line)
    }

    /// `Acct/Id/IBAN`, or the bank's own number in `Acct/Id/Othr/Id`.
    static func accountIdentification(_ statement: CamtElement) throws(StatementParseError) -> String {
        let id = try statement.required("Acct", "Id")
        guard let number = id.optional("IBAN") ?? id.optional("Othr", "Id"), !number.text.isEmpty else {
            throw id.error(.missingField("IBAN or Othr/Id"))
        }
        return number.text
    }

    /// `Acct/Ccy` when given; optional in camt.053, in which case the opening balance's currency is used.
    static func accountCurrency(_ statement: CamtElement) throws(StatementParseError) -> CurrencyCode? {
        guard let element = statement.optional("Acct", "Ccy") else { return nil }
        guard let currency = CurrencyCode(element.text) else { throw element.error(.invalidCurrency(field: "Ccy")) }
        return currency
    }
}
