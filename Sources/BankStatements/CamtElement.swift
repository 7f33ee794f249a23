import Foundation
import LedgerCore

/// An element of a camt.053 document together with its path from the root, so that every error can say exactly
/// where it is (`Document/BkToCstmrStmt/Stmt[2]/Ntry[5]/Amt`, line 212).
struct CamtElement {
    var node: XMLElementNode
    var path: String
    /// The message it belongs to, named in every error (camt.053, camt.054 or camt.052: they share their elements).
    var format: StatementFormat = .camt053

    /// The descendant reached by following `names`, first match at each step; `nil` when any step is missing.
    func optional(_ names: String...) -> CamtElement? { descend(names) }

    /// Like ``optional(_:)`` but a missing element is an error at this element naming the path that was expected.
    func required(_ names: String...) throws(StatementParseError) -> CamtElement {
        guard let found = descend(names) else {
            throw error(.missingField(names.joined(separator: "/")))
        }
        return found
    }

    /// All children named `name`, with 1-based indexes in their paths.
    func all(_ name: String) -> [CamtElement] {
        node.children.filter { $0.name == name }.enumerated().map { index, child in
            CamtElement(node: child, path: "\(path)/\(name)[\(index + 1)]", format: format)
        }
    }

    /// The trimmed text of the element.
    var text: String { node.trimmedText }

    /// The trimmed text of a descendant, or `""` when it is absent.
    func text(_ names: String...) -> String { descend(names)?.text ?? "" }

    /// An error located at this element.
    func error(_ code: StatementParseError.Code) -> StatementParseError {
        StatementParseError(code, format: format, line: node.line, elementPath: path)
    }

    private func descend(_ names: [String]) -> CamtElement? {
        var current = self
        for name in names {
            guard let child = current.node.child(name) else { return nil }
            current = CamtElement(node: child, path: "\(current.path)/\(name)", format: format)
        }
        return current
    }
}

extension CamtElement {
    /// An `Amt` element (`<Amt Ccy="EUR">18.15</Amt>`): its currency and its unsigned amount in that currency's
    /// minor units. camt allows five fraction digits; more than the currency has are accepted only when zero.
    func currencyAmount() throws(StatementParseError) -> (currency: CurrencyCode, magnitude: Int64) {
        guard let code = node.attributes["Ccy"], let currency = CurrencyCode(code) else {
            throw error(.invalidCurrency(field: "\(node.name)/@Ccy"))
        }
        return (currency, try magnitude(in: currency))
    }

    /// The element's decimal text in minor units of `currency` (for `Sum` elements, which carry no `Ccy`).
    func magnitude(in currency: CurrencyCode) throws(StatementParseError) -> Int64 {
        switch StatementAmountText.magnitude(Substring(text), decimalSeparator: ".", currency: currency,
                                             field: node.name) {
        case .success(let value): return value
        case .failure(let code): throw error(code)
        }
    }

    /// `CdtDbtInd`: `CRDT` or `DBIT`.
    func creditDebitMark() throws(StatementParseError) -> CreditDebitMark {
        switch text {
        case "CRDT": return .credit
        case "DBIT": return .debit
        default: throw error(.malformedField(field: "CdtDbtInd", reason: "it must be CRDT or DBIT"))
        }
    }

    /// A date choice element (`BookgDt`, `ValDt`, `Bal/Dt`) as the calendar day of the account in `timeZone`:
    /// its `Dt` as written, or its `DtTm` converted by ``StatementDateTime`` — an instant (`Z` or `±hh:mm`) to its
    /// date in `timeZone`, a local time without a zone designator to the date it states.
    func dateChoice(in timeZone: TimeZone) throws(StatementParseError) -> BusinessDate {
        if let inner = optional("Dt") {
            switch StatementDateTime.parseDate(inner.text, field: inner.node.name) {
            case .success(let date): return date
            case .failure(let code): throw inner.error(code)
            }
        }
        guard let inner = optional("DtTm") else { throw error(.missingField("Dt")) }
        switch StatementDateTime.parse(inner.text, field: inner.node.name) {
        case .success(let dateTime):
            guard let date = dateTime.localDate(in: timeZone) else {
                throw inner.error(.invalidDate(field: inner.node.name))
            }
            return date
        case .failure(let code): throw inner.error(code)
        }
    }

    /// A whole number such as `LglSeqNb` or `NbOfNtries`.
    func integer() throws(StatementParseError) -> Int {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy(\.isASCIIDigitCharacter), let value = Int(text) else {
            throw error(.malformedField(field: node.name, reason: "it must be a whole number of up to 18 digits"))
        }
        return value
    }
}
