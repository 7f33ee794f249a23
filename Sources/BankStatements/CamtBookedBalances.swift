import Foundation
import LedgerCore

/// The booked opening and closing balance of one camt.053 `Stmt`, and the currency the statement is in.
///
/// Why only `OPBD`/`PRCD` and `CLBD`: reconciliation proves opening + entries = closing on *booked* amounts.
/// Available balances (`OPAV`, `CLAV`, `FWAV`, `ITAV`) include value-dated items and are skipped unread.
struct CamtBookedBalances {
    struct Balance {
        var amount: AmountMinorUnits
        var date: BusinessDate
        var element: CamtElement
    }

    var currency: CurrencyCode
    var opening: Balance
    var closing: Balance

    /// Reads the `Bal` elements of `statement`.
    /// - Parameter accountCurrency: `Acct/Ccy` when the file gives it; otherwise the opening balance's currency
    ///   becomes the statement's.
    /// - Parameter timeZone: the account's time zone, for balance dates given as date-times (`Bal/Dt/DtTm`).
    /// - Throws: when `OPBD`/`PRCD` or `CLBD` is missing or given twice, when `OPBD` and `PRCD` disagree, or when a
    ///   booked balance is in another currency than the statement.
    static func read(_ statement: CamtElement, accountCurrency: CurrencyCode?,
                     timeZone: TimeZone) throws(StatementParseError) -> CamtBookedBalances {
        var byCode: [String: CamtElement] = [:]
        for balance in statement.all("Bal") {
            let code = balance.text("Tp", "CdOrPrtry", "Cd")
            guard ["OPBD", "PRCD", "CLBD"].contains(code) else { continue }
            guard byCode[code] == nil else { throw balance.error(.duplicateField("Bal of type \(code)")) }
            byCode[code] = balance
        }
        guard let openingElement = byCode["OPBD"] ?? byCode["PRCD"] else {
            throw statement.error(.missingField("Bal of type OPBD or PRCD (opening booked balance)"))
        }
        guard let closingElement = byCode["CLBD"] else {
            throw statement.error(.missingField("Bal of type CLBD (closing booked balance)"))
        }
        let (openingCurrency, opening) = try read(openingElement, timeZone: timeZone)
        let currency = accountCurrency ?? openingCurrency
        try expect(openingCurrency, equals: currency, at: openingElement)
        if let previous = byCode["PRCD"], byCode["OPBD"] != nil {
            let (previousCurrency, previousBalance) = try read(previous, timeZone: timeZone)
            try expect(previousCurrency, equals: currency, at: previous)
            guard previousBalance.amount == opening.amount else { throw previous.error(.inconsistentOpeningBalances) }
        }
        let (closingCurrency, closing) = try read(closingElement, timeZone: timeZone)
        try expect(closingCurrency, equals: currency, at: closingElement)
        return CamtBookedBalances(currency: currency, opening: opening, closing: closing)
    }

    private static func read(_ element: CamtElement,
                             timeZone: TimeZone) throws(StatementParseError) -> (CurrencyCode, Balance) {
        let amountElement = try element.required("Amt")
        let (currency, magnitude) = try amountElement.currencyAmount()
        let mark = try element.required("CdtDbtInd").creditDebitMark()
        let date = try element.required("Dt").dateChoice(in: timeZone)
        let signed = AmountMinorUnits(mark == .debit ? -magnitude : magnitude)
        return (currency, Balance(amount: signed, date: date, element: element))
    }

    private static func expect(_ found: CurrencyCode, equals expected: CurrencyCode,
                               at balance: CamtElement) throws(StatementParseError) {
        guard found == expected else {
            let amount = balance.optional("Amt") ?? balance
            throw amount.error(.currencyMismatch(field: "Bal/Amt", expected: expected.code, found: found.code))
        }
    }
}
