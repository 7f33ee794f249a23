import LedgerCore

extension Camt053Parser {
    /// The bank's own counts and sums from `TxsSummry`, checked later by ``BankStatement/validateBalances()``.
    ///
    /// `TtlNtries` (count, sum of magnitudes, net amount), `TtlCdtNtries` and `TtlDbtNtries` (count and sum). The
    /// net amount is `TtlNetNtry/Amt` + `CdtDbtInd` from version 001.03 on, `TtlNetNtryAmt` + `CdtDbtInd` in
    /// 001.02. Sums carry no `Ccy`: they are in the statement's currency.
    /// - Returns: `nil` when the statement has no `TxsSummry` or it states nothing this module checks.
    static func readControlTotals(_ statement: CamtElement,
                                  currency: CurrencyCode) throws(StatementParseError) -> StatementControlTotals? {
        guard let summary = statement.optional("TxsSummry") else { return nil }
        var totals = StatementControlTotals()
        if let all = summary.optional("TtlNtries") {
            totals.entryCount = try all.optional("NbOfNtries")?.integer()
            totals.entrySum = try all.optional("Sum")?.magnitude(in: currency).asAmount
            totals.netAmount = try netAmount(all, currency: currency)
        }
        if let credits = summary.optional("TtlCdtNtries") {
            totals.creditCount = try credits.optional("NbOfNtries")?.integer()
            totals.creditSum = try credits.optional("Sum")?.magnitude(in: currency).asAmount
        }
        if let debits = summary.optional("TtlDbtNtries") {
            totals.debitCount = try debits.optional("NbOfNtries")?.integer()
            totals.debitSum = try debits.optional("Sum")?.magnitude(in: currency).asAmount
        }
        return totals.isEmpty ? nil : totals
    }

    private static func netAmount(_ all: CamtElement,
                                  currency: CurrencyCode) throws(StatementParseError) -> AmountMinorUnits? {
        let holder: CamtElement
        let amount: CamtElement
        if let net = all.optional("TtlNetNtry"), let value = net.optional("Amt") {
            (holder, amount) = (net, value)
        } else if let value = all.optional("TtlNetNtryAmt") {
            (holder, amount) = (all, value)
        } else {
            return nil
        }
        let magnitude = try amount.magnitude(in: currency)
        let mark = try holder.required("CdtDbtInd").creditDebitMark()
        return AmountMinorUnits(mark == .debit ? -magnitude : magnitude)
    }
}

extension Int64 {
    /// The value as an amount in minor units.
    var asAmount: AmountMinorUnits { AmountMinorUnits(self) }
}
