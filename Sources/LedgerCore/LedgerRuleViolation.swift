/// Why a document or change breaks a ledger rule. Thrown by the node before it writes and by the hub when it
/// re-checks an incoming change; the hub records `description` as the rejection reason sent back to the origin.
public struct LedgerRuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case unbalanced(debitsMinorUnits: Int64, creditsMinorUnits: Int64)
        case lineCount(count: Int, countMin: Int, countMax: Int)
        case nonPositiveAmount(line: Int)
        case unknownAccount(String)
        case accountOfOtherOrg(account: String, accountOrg: String, voucherOrg: String)
        case accountNotActive(account: String, status: String)
        case currencyMismatch(account: String, accountCurrency: String, voucherCurrency: String)
        case wrongOrigin(org: String, origin: String)
        case notOwner(table: String, origin: String)
        case invalidDate(String)
        case reversalTargetMissing(String)
        case reversalMismatch(String)
        case alreadyReversed(String)
        case duplicateDocument(String)
        case amountOverflow
        /// An amount over `Limits.amountMinorUnitsMax` on a line (`line` ≥ 1) or in a voucher side or document (`line` 0).
        case amountOverCap(line: Int, amountMinorUnits: Int64, amountMinorUnitsMax: Int64)
        /// What one office has booked in all its documents would pass `Limits.officeVolumeMinorUnitsMax`.
        case officeVolumeOverCap(office: String, volumeMinorUnits: Int64, addedMinorUnits: Int64, volumeMinorUnitsMax: Int64)
        case segregationOfDuties(person: String)
        case approverBelowTier(approver: String, requiredRole: String)
        case periodClosed(date: String, lockedThrough: String)
        case notPermitted(String)
        case malformed(String)
        /// Cash control (3/6): the account may not pay this way (an income account only sweeps up, …).
        case accountMayNotPay(account: String, purpose: String)
        /// Cash control: the expense side of a payment is not an expense subject of the paying unit.
        case notAnExpenseSubject(account: String, org: String)
        /// Cash control: a payment to an individual above the threshold names no payment basis.
        case paymentBasisRequired(amountMinorUnits: Int64, thresholdMinorUnits: Int64)
        /// Cash control: the amount is more than the account's available balance and any overdraft line.
        case insufficientFunds(account: String, amountMinorUnits: Int64, availableMinorUnits: Int64, overdraftMinorUnits: Int64)
        /// Level-by-level confirmation (3/6 item 5): the unit's confirmed figures are not the books', or a unit below it
        /// has not confirmed yet.
        case confirmationRefused(String)
        /// A bank statement an office imported (6/6 item 4) breaks a rule of PROTOCOL.md §6.22b: its entries do not
        /// make its closing balance, an entry lies outside its period, …
        case statementRefused(String)
        /// A person's signature on a document fails one rule of PROTOCOL.md §14 (4/6); the rule is the code's name.
        case signature(SignatureRule, String)
    }

    public var code: Code

    public init(_ code: Code) { self.code = code }

    public static func malformed(_ reason: String) -> LedgerRuleViolation { LedgerRuleViolation(.malformed(reason)) }

    /// A short stable name for the code: it travels in rejection notices (`code`), is stored beside the reason, and
    /// lets a program or a person filter rejections without parsing sentences. Never renamed once released.
    public var name: String {
        switch code {
        case .unbalanced: "unbalanced"
        case .lineCount: "line-count"
        case .nonPositiveAmount: "non-positive-amount"
        case .unknownAccount: "unknown-account"
        case .accountOfOtherOrg: "account-of-other-org"
        case .accountNotActive: "account-not-active"
        case .currencyMismatch: "currency-mismatch"
        case .wrongOrigin: "wrong-origin"
        case .notOwner: "not-owner"
        case .invalidDate: "invalid-date"
        case .reversalTargetMissing: "reversal-target-missing"
        case .reversalMismatch: "reversal-mismatch"
        case .alreadyReversed: "already-reversed"
        case .duplicateDocument: "duplicate-document"
        case .amountOverflow: "amount-overflow"
        case .amountOverCap: "amount-over-cap"
        case .officeVolumeOverCap: "office-volume-over-cap"
        case .segregationOfDuties: "segregation-of-duties"
        case .approverBelowTier: "approver-below-tier"
        case .periodClosed: "period-closed"
        case .notPermitted: "not-permitted"
        case .malformed: "malformed"
        case .confirmationRefused: "confirmation-refused"
        case .statementRefused: "statement-refused"
        case .accountMayNotPay: "account-may-not-pay"
        case .notAnExpenseSubject: "not-an-expense-subject"
        case .paymentBasisRequired: "payment-basis-required"
        case .insufficientFunds: "insufficient-funds"
        case .signature(let rule, _): rule.rawValue
        }
    }

    public var description: String {
        switch code {
        case .unbalanced(let debits, let credits):
            "voucher does not balance: debits \(AmountMinorUnits(debits)) ≠ credits \(AmountMinorUnits(credits))"
        case .lineCount(let count, let countMin, let countMax):
            "voucher has \(count) lines; it needs between \(countMin) and \(countMax)"
        case .nonPositiveAmount(let line):
            "line \(line) has an amount that is not positive (use the other side instead of a negative amount)"
        case .unknownAccount(let account):
            "account \(account) is not in the registry"
        case .accountOfOtherOrg(let account, let accountOrg, let voucherOrg):
            "account \(account) belongs to org \(accountOrg), not to the voucher's org \(voucherOrg)"
        case .accountNotActive(let account, let status):
            "account \(account) is \(status), so nothing may be posted to it"
        case .currencyMismatch(let account, let accountCurrency, let voucherCurrency):
            "account \(account) is in \(accountCurrency) but the voucher is in \(voucherCurrency)"
        case .wrongOrigin(let org, let origin):
            "node \(origin) may not write a document of org \(org)"
        case .notOwner(let table, let origin):
            "node \(origin) may not write \(table) records; only the hub owns them"
        case .invalidDate(let text):
            "'\(text)' is not a date in the form YYYY-MM-DD"
        case .reversalTargetMissing(let id):
            "voucher \(id) to be reversed does not exist, belongs to another org, or was rejected"
        case .reversalMismatch(let id):
            "a reversal of voucher \(id) must repeat its lines with debit and credit swapped"
        case .alreadyReversed(let id):
            "voucher \(id) has already been reversed"
        case .duplicateDocument(let id):
            "document \(id) already exists with different content"
        case .amountOverflow:
            "amount overflows 64-bit minor units"
        case .officeVolumeOverCap(let office, let volume, let added, let max):
            "\(office) has booked \(AmountMinorUnits(volume)) in all its documents; \(AmountMinorUnits(added)) more would pass the cap of "
                + "\(AmountMinorUnits(max)) one office may book in total (a sign of a faulty or dishonest office: ask the fund centre)"
        case .amountOverCap(let line, let amount, let max):
            (line > 0 ? "line \(line) has an amount of " : "the total of ") + "\(AmountMinorUnits(amount)), over the cap of \(AmountMinorUnits(max)) per line and per voucher"
        case .segregationOfDuties(let person):
            "\(person) signs this document in two roles; preparer, reviewer and approver must be different people"
        case .approverBelowTier(let approver, let requiredRole):
            "\(approver) may not approve this amount: the approval table requires \(requiredRole) or higher"
        case .periodClosed(let date, let lockedThrough):
            "the period is closed through \(lockedThrough), so nothing dated \(date) may be entered; post it as an adjustment in the open period"
        case .accountMayNotPay(let account, let purpose):
            "account \(account) is a\(purpose.first.map { "aeiou".contains($0) } == true ? "n" : "") \(purpose) account and may not pay this out: "
                + "an income account only sweeps up to the centre, a collection account is the centre's own; pay from the unit's expense account"
        case .notAnExpenseSubject(let account, let org):
            "\(account) is not an expense subject of \(org): the expense side of a payment must be one of the paying unit's own expense "
                + "subjects (5xxx, 64xx, 66xx–68xx), never an intercompany or bank account"
        case .paymentBasisRequired(let amount, let threshold):
            "a payment of \(AmountMinorUnits(amount)) to an individual is above \(AmountMinorUnits(threshold)) and needs a payment basis "
                + "(the contract, invoice or decision it rests on): give --basis"
        case .insufficientFunds(let account, let amount, let available, let overdraft):
            "\(AmountMinorUnits(amount)) is more than the \(AmountMinorUnits(available)) available in \(account)"
                + (overdraft > 0 ? " and its overdraft line of \(AmountMinorUnits(overdraft))" : " (no overdraft line covers it)")
        case .notPermitted(let reason):
            reason
        case .malformed(let reason):
            reason
        case .confirmationRefused(let reason):
            "the confirmation is refused: \(reason)"
        case .statementRefused(let reason):
            "the statement is refused: \(reason)"
        case .signature(let rule, let detail):
            "signature rule \(rule.rawValue): \(detail)"
        }
    }
}
