import Foundation
import LedgerCore

/// A bank's message about one account that is not a statement: a camt.054 debit/credit notification (单笔到账/扣款
/// 通知) or a camt.052 intraday account report (日间余额报告). Both carry booked entries, each with the end-to-end id
/// of the instruction it executes when there is one (``BankStatementEntry/customerReference``); a report carries
/// balances too.
public struct BankAccountMessage: Hashable, Sendable {
    /// A balance the bank states (`Bal`): its ISO type code (`ITBD` interim booked, `CLBD` closing booked, `OPBD`,
    /// `ITAV`, `CLAV`, …), its date and its signed amount.
    public struct Balance: Hashable, Sendable {
        public var type: String
        public var date: BusinessDate
        public var amount: AmountMinorUnits
    }

    public var format: StatementFormat
    /// The notification's or report's `Id`.
    public var id: String
    public var account: String
    public var currency: CurrencyCode
    public var balances: [Balance]
    /// Booked entries (`Sts` `BOOK`), in the file's order.
    public var entries: [BankStatementEntry]
    /// Entries the bank lists but has not booked (`PDNG`, `INFO`): not money moved yet, so not read as such.
    public var unbookedEntryCount: Int
    /// 1-based line of the notification or report.
    public var line: Int

    /// The latest booked balance the bank states (`CLBD`, else `ITBD`), for the daily balance report: `nil` when it
    /// states only available balances.
    public var latestBookedBalance: Balance? {
        balances.filter { $0.type == "CLBD" || $0.type == "ITBD" }
            .max { ($0.date, $0.type == "CLBD" ? 1 : 0) < ($1.date, $1.type == "CLBD" ? 1 : 0) }
    }
}

/// Reads camt.054 (`BkToCstmrDbtCdtNtfctn/Ntfctn`) and camt.052 (`BkToCstmrAcctRpt/Rpt`), versions 001.02 and
/// later, with the same rules and guards as ``Camt053Parser``: the account by IBAN or `Othr/Id`, every amount in the
/// account's currency, date-times in the account's time zone, nothing guessed.
public enum CamtAccountMessageParser {
    /// Reads every notification or report of the file.
    /// - Throws: ``StatementParseError`` with the format, line and element path.
    public static func parse(_ data: Data, timeZone: TimeZone = Camt053Parser.defaultTimeZone)
        throws(StatementParseError) -> [BankAccountMessage] {
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: BankStatementLimits.fileBytesMax))
        }
        let root = try XMLElementTree.parse(data)
        let (format, container, item): (StatementFormat, String, String)
        if root.namespace.hasPrefix("urn:iso:std:iso:20022:tech:xsd:camt.054.001.") {
            (format, container, item) = (.camt054, "BkToCstmrDbtCdtNtfctn", "Ntfctn")
        } else if root.namespace.hasPrefix("urn:iso:std:iso:20022:tech:xsd:camt.052.001.") {
            (format, container, item) = (.camt052, "BkToCstmrAcctRpt", "Rpt")
        } else {
            throw StatementParseError(.unsupportedNamespace(root.namespace.isEmpty ? "(none)" : root.namespace), line: root.line)
        }
        let document = CamtElement(node: root, path: root.name, format: format)
        let version = Int(root.namespace.split(separator: ".").last ?? "") ?? 0
        guard root.name == "Document", version >= 2 else { throw document.error(.unsupportedNamespace(root.namespace)) }
        let messages = try document.required(container).all(item)
        guard !messages.isEmpty else { throw document.error(.noStatements) }
        guard messages.count <= BankStatementLimits.statementCountMax else {
            throw document.error(.limitExceeded(what: item, count: messages.count, countMax: BankStatementLimits.statementCountMax))
        }
        var result: [BankAccountMessage] = []
        for message in messages { result.append(try read(message, format: format, timeZone: timeZone)) }
        return result
    }

    static func read(_ element: CamtElement, format: StatementFormat, timeZone: TimeZone) throws(StatementParseError) -> BankAccountMessage {
        let id = try element.required("Id").text
        let account = try Camt053Parser.accountIdentification(element)
        var balances: [BankAccountMessage.Balance] = []
        var currency = try Camt053Parser.accountCurrency(element)
        for balance in element.all("Bal") {
            let type = balance.text("Tp", "CdOrPrtry", "Cd")
            guard !type.isEmpty else { continue }  // a proprietary balance type: not read
            let amountElement = try balance.required("Amt")
            let (balanceCurrency, magnitude) = try amountElement.currencyAmount()
            if currency == nil { currency = balanceCurrency }
            guard balanceCurrency == currency else {
                throw amountElement.error(.currencyMismatch(field: "Bal/Amt", expected: currency?.code ?? "", found: balanceCurrency.code))
            }
            let mark = try balance.required("CdtDbtInd").creditDebitMark()
            balances.append(.init(type: type, date: try balance.required("Dt").dateChoice(in: timeZone),
                                  amount: AmountMinorUnits(mark == .debit ? -magnitude : magnitude)))
        }
        let entryElements = element.all("Ntry")
        guard entryElements.count <= BankStatementLimits.entryCountMax else {
            throw element.error(.limitExceeded(what: "entries", count: entryElements.count, countMax: BankStatementLimits.entryCountMax))
        }
        var entries: [BankStatementEntry] = []
        var unbooked = 0
        for entry in entryElements {
            let status = entry.optional("Sts")
            let code = status?.optional("Cd")?.text ?? status?.text ?? ""
            guard code == "BOOK" else {
                unbooked += 1
                continue
            }
            if currency == nil { currency = try entry.required("Amt").currencyAmount().currency }
            entries.append(try Camt053Parser.readEntry(entry, currency: currency ?? .cny, timeZone: timeZone))
        }
        guard let currency else { throw element.error(.missingField("Acct/Ccy, a balance or a booked entry naming the currency")) }
        return BankAccountMessage(format: format, id: id, account: account, currency: currency, balances: balances, entries: entries,
                                  unbookedEntryCount: unbooked, line: element.node.line)
    }
}
