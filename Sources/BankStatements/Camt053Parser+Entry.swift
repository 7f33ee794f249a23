import Foundation
import LedgerCore

extension Camt053Parser {
    /// One `Ntry`: amount (in the statement's currency), `CdtDbtInd`, `RvslInd`, status, booking and value date,
    /// bank transaction code, references, counterparty and remittance text. Booking and value date-times become
    /// the account's local dates in `timeZone` (see ``CamtElement/dateChoice(in:)``).
    ///
    /// The sign comes from `CdtDbtInd` alone, reversal or not: ISO 20022 marks a reversal with the direction of
    /// the reversing booking itself (the reversal of a credit is `DBIT` with `RvslInd` true).
    static func readEntry(_ entry: CamtElement, currency: CurrencyCode,
                          timeZone: TimeZone) throws(StatementParseError) -> BankStatementEntry {
        let amountElement = try entry.required("Amt")
        let (entryCurrency, magnitude) = try amountElement.currencyAmount()
        guard entryCurrency == currency else {
            throw amountElement.error(.currencyMismatch(field: "Ntry/Amt", expected: currency.code,
                                                        found: entryCurrency.code))
        }
        let mark = try entry.required("CdtDbtInd").creditDebitMark()
        let status = try entry.required("Sts")
        let statusCode = status.optional("Cd")?.text ?? status.text  // `Sts/Cd` from version 001.08 on
        guard statusCode == "BOOK" else { throw status.error(.unsupportedEntryStatus(statusCode)) }
        let details = entry.optional("NtryDtls").map { $0.all("TxDtls") } ?? []
        return BankStatementEntry(
            bookingDate: try entry.required("BookgDt").dateChoice(in: timeZone),
            valueDate: try entry.optional("ValDt")?.dateChoice(in: timeZone),
            amount: AmountMinorUnits(mark == .debit ? -magnitude : magnitude),
            reference: entry.text("AcctSvcrRef"),
            counterparty: counterparty(details.first, mark: mark),
            narrative: details.flatMap(remittanceLines).joined(separator: "\n"),
            mark: mark, isReversal: try reversalIndicator(entry),
            customerReference: customerReference(details.first),
            bankTransactionCode: bankTransactionCode(entry),
            additionalInformation: entry.text("AddtlNtryInf"),
            line: entry.node.line)
    }

    private static func reversalIndicator(_ entry: CamtElement) throws(StatementParseError) -> Bool {
        guard let element = entry.optional("RvslInd") else { return false }
        switch element.text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw element.error(.malformedField(field: "RvslInd", reason: "it must be true or false"))
        }
    }

    /// `Domn/Cd/Fmly/Cd/SubFmlyCd` as `PMNT/RCDT/ESCT`, else the proprietary `Prtry/Cd`.
    private static func bankTransactionCode(_ entry: CamtElement) -> String {
        guard let code = entry.optional("BkTxCd") else { return "" }
        if let domain = code.optional("Domn") {
            return [domain.text("Cd"), domain.text("Fmly", "Cd"), domain.text("Fmly", "SubFmlyCd")]
                .filter { !$0.isEmpty }.joined(separator: "/")
        }
        return code.text("Prtry", "Cd")
    }

    /// The other party: the debtor of a credit, the creditor of a debit (`Nm` directly, or under `Pty` from
    /// version 001.08 on).
    private static func counterparty(_ details: CamtElement?, mark: CreditDebitMark) -> String {
        guard let parties = details?.optional("RltdPties") else { return "" }
        let role = mark == .credit ? "Dbtr" : "Cdtr"
        let name = parties.text(role, "Nm")
        return name.isEmpty ? parties.text(role, "Pty", "Nm") : name
    }

    /// `EndToEndId`, unless it is the placeholder `NOTPROVIDED`.
    private static func customerReference(_ details: CamtElement?) -> String {
        let reference = details?.text("Refs", "EndToEndId") ?? ""
        return reference == "NOTPROVIDED" ? "" : reference
    }

    /// Unstructured remittance lines, or the structured creditor reference.
    private static func remittanceLines(_ details: CamtElement) -> [String] {
        guard let remittance = details.optional("RmtInf") else { return [] }
        let unstructured = remittance.all("Ustrd").map(\.text).filter { !$0.isEmpty }
        let structured = remittance.all("Strd").map { $0.text("CdtrRefInf", "Ref") }.filter { !$0.isEmpty }
        return unstructured + structured
    }
}
