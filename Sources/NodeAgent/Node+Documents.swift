import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// The daily balance report (每日余额报告) of this node's bank accounts on `date`: the balance **the bank**
    /// shows for each (`reported`, from the bank's day-end advice or online banking). The hub compares it with the
    /// books; a figure taken from the books would compare the books with themselves and always "agree" (3/6 item 4),
    /// so an account without the bank's figure is simply not reported, and the hub finds it `not_reported`.
    /// - Throws: when no figure is given, or an account is not an open bank account of this node.
    @discardableResult
    public func reportBalances(date: BusinessDate, reported: [String: AmountMinorUnits], signatures: DocumentSignatures) throws -> [String] {
        guard !reported.isEmpty else {
            throw NodeError(.invalidValue, "a balance report gives the bank's figure of each account (ACCOUNT=AMOUNT): the books are not compared with themselves")
        }
        return try write { transaction, books in
            // This unit's accounts and those of the budget units whose books it keeps (3/6 item 9).
            let units = [org] + (try transaction.orgUnits().filter { $0.level == .budgetUnit && $0.parent == org }.map(\.code))
            let bankAccounts = try units.flatMap { try transaction.accounts(of: $0) }
                .filter { $0.kind == .bank && $0.status != .closed && reported[$0.id] != nil }
            if let unknown = reported.keys.sorted().first(where: { key in !bankAccounts.contains { $0.id == key } }) {
                throw NodeError(.notFound, "\(unknown) is not an open bank account of \(org)")
            }
            var ids: [String] = []
            for account in bankAccounts {
                guard let balance = reported[account.id] else { continue }
                let id = "\(org.rawValue):\(account.id):\(date)"
                guard try transaction.document(.balanceReport, id) == nil else {
                    throw NodeError(.alreadyDone, "the balance of \(account.id) for \(date) was already reported; a report is never changed")
                }
                try books.write(.balanceReport, id: id, date: date, fields: [
                    "org": .text(account.org.rawValue), "account": .text(account.id), "balance": .integer(balance.value),
                ], signatures: signatures, requireReviewer: false)
                ids.append(id)
            }
            return ids
        }
    }

    /// A two-week fund-need forecast (日常资金需求预测), numbered institution code + period (`2026-11-H2`).
    @discardableResult
    public func submitForecast(period: String, date: BusinessDate, amounts: [String: AmountMinorUnits],
                               signatures: DocumentSignatures) throws -> String {
        guard period.range(of: #"^\d{4}-\d{2}-H[12]$"#, options: .regularExpression) != nil else {
            throw NodeError(.invalidValue, "period '\(period)' must look like 2026-11-H1 (first half) or 2026-11-H2 (second half)")
        }
        guard !amounts.isEmpty, amounts.values.allSatisfy({ $0.value >= 0 }) else { throw NodeError(.invalidValue, "a forecast needs amounts ≥ 0 by category") }
        return try write { _, books in
            let total = try amounts.values.reduce(AmountMinorUnits.zero) { try $0.adding($1) }
            let id = "\(org.rawValue):\(period)"
            try books.write(.forecast, id: id, date: date, fields: [
                "org": .text(org.rawValue), "period": .text(period), "total": .integer(total.value),
                "amounts": .record(amounts.mapValues { .integer($0.value) }),
            ], signatures: signatures, requireReviewer: true)
            return id
        }
    }

    /// A special fund application (特殊资金申请书). With an `approver` whose post the approval table allows for
    /// this amount (single and cumulative, as of `date`), it is approved locally; otherwise it is submitted and
    /// waits for the hub's tier.
    @discardableResult
    public func submitApplication(category: String, amount: AmountMinorUnits, reason: String, date: BusinessDate,
                                  signatures: DocumentSignatures) throws -> (id: String, state: String) {
        try write { transaction, books in
            guard amount.value > 0 else { throw NodeError(.invalidValue, "the amount must be positive") }
            let id = try books.nextID("A")
            var state = "submitted"
            if let approverID = signatures.approver {
                guard let approver = try transaction.staffMember(approverID), approver.org == org else {
                    throw NodeError(.notPermitted, "approver '\(approverID)' is not registered staff of \(org)")
                }
                let before = try transaction.approvedApplicationTotal(org: org, category: category, month: date, excluding: id)
                let required = try ApprovalAuthority.requiredRole(category: category, amount: amount, cumulativeBefore: before,
                                                                  rules: transaction.approvalRules(asOf: date))
                guard !required.isHubRole else {
                    throw NodeError(.notPermitted, "this application needs \(required.rawValue) at the hub; submit it without a local approver")
                }
                try ApprovalAuthority.check(approver: approver, required: required)
                state = "approved"
            }
            try books.write(.application, id: id, date: date, fields: [
                "org": .text(org.rawValue), "category": .text(category), "amount": .integer(amount.value), "reason": .text(reason),
                "state": .text(state),
            ], signatures: signatures, requireReviewer: true)
            return (id, state)
        }
    }

    /// A request to open, change or close a bank account (银行账户登记表); pending until the hub decides.
    @discardableResult
    public func requestAccount(action: String, account: String, details: [String: String], date: BusinessDate,
                               signatures: DocumentSignatures) throws -> String {
        guard ["open", "change", "close"].contains(action) else { throw NodeError(.invalidValue, "action must be open, change or close") }
        return try write { _, books in
            let id = try books.nextID("R")
            try books.write(.accountRequest, id: id, date: date, fields: [
                "org": .text(org.rawValue), "action": .text(action), "account": .text(account), "state": .text("pending"),
                "details": .record(details.mapValues(FieldValue.text)),
            ], signatures: signatures, requireReviewer: true)
            return id
        }
    }

    /// A level-1 payment entry (网银录入): paid from `account` once a fund-centre cashier (within the cashier
    /// limit) or the supervisor (above it) releases it at the hub.
    ///
    /// The cash controls (3/6) are checked here first, and again at the hub: the paying account may pay (not an
    /// income or collection account), the expense side is an expense subject of this unit, a payment to an individual
    /// above ¥50,000 names its basis, and the amount is within the account's available balance (its book balance less
    /// the payments from it entered or released but not booked yet).
    @discardableResult
    public func enterPayment(account: String, payee: String, payeeAccount: String, amount: AmountMinorUnits, date: BusinessDate,
                             purpose: String, expenseAccount: String, signatures: DocumentSignatures,
                             payeeKind: PayeeKind = .organisation, basis: String? = nil) throws -> String {
        try write { transaction, books in
            _ = try books.activeAccount(account, on: date)
            let expense = try books.activeAccount(expenseAccount, on: date)
            guard amount.value > 0 else { throw NodeError(.invalidValue, "the amount must be positive") }
            try CashControls.checkPayingAccount(account, purpose: try transaction.accountAttributes(account).purpose)
            try CashControls.checkExpenseSubject(expense, payingOrg: org)
            try CashControls.checkBasis(payee: payeeKind, amount: amount, basis: basis)
            try CashControls.checkAvailable(account, amount: amount, available: try transaction.availableBalance(account, through: date),
                                            overdraftLine: try transaction.overdraftRoom(for: account, on: date))
            let id = try books.nextID("P")
            try books.write(.payment, id: id, date: date, fields: [
                "org": .text(org.rawValue), "account": .text(account), "payee": .text(payee), "payee_account": .text(payeeAccount),
                "amount": .integer(amount.value), "purpose": .text(purpose), "expense_account": .text(expenseAccount),
                "state": .text("entered"), "payee_kind": .text(payeeKind.rawValue), "basis": basis.map(FieldValue.text) ?? .null,
            ], signatures: signatures, requireReviewer: true)
            return id
        }
    }

    /// Enters a batch payment (代发, 7/7 item 5): salaries or reimbursements to many people from one account, in one
    /// payment document for their total. It is released at the hub under the authority of the total, like any payment,
    /// and goes to the bank as one instruction per person; the branch books what the bank paid, once it has paid.
    /// The list is checked whole (``PaymentRecipients/check(_:)``), and a person paid more than ¥50,000.00 needs
    /// `basis`, as a single payment to an individual would.
    public func enterBatchPayment(account: String, recipients: [PaymentRecipient], date: BusinessDate, purpose: String,
                                  expenseAccount: String, signatures: DocumentSignatures, basis: String? = nil) throws -> String {
        let total = try PaymentRecipients.check(recipients)
        for recipient in recipients { try CashControls.checkBasis(payee: .individual, amount: recipient.amount, basis: basis) }
        return try write { transaction, books in
            _ = try books.activeAccount(account, on: date)
            let expense = try books.activeAccount(expenseAccount, on: date)
            try CashControls.checkPayingAccount(account, purpose: try transaction.accountAttributes(account).purpose)
            try CashControls.checkExpenseSubject(expense, payingOrg: org)
            try CashControls.checkAvailable(account, amount: total, available: try transaction.availableBalance(account, through: date),
                                            overdraftLine: try transaction.overdraftRoom(for: account, on: date))
            let id = try books.nextID("P")
            try books.write(.payment, id: id, date: date, fields: [
                "org": .text(org.rawValue), "account": .text(account), "payee": .text("代发 \(recipients.count) 人"),
                "payee_account": .text("batch"), "amount": .integer(total.value), "purpose": .text(purpose),
                "expense_account": .text(expenseAccount), "state": .text("entered"), "payee_kind": .text(PayeeKind.individual.rawValue),
                "basis": basis.map(FieldValue.text) ?? .null, "recipients": PaymentRecipients.field(recipients),
            ], signatures: signatures, requireReviewer: true)
            return id
        }
    }

    /// Withdraws an application, account request or payment this node made.
    public func withdraw(_ kind: StatefulDocument, _ id: String, actor: String, reason: String?) throws {
        try write { transaction, _ in
            guard let document = try transaction.document(ReplicatedTable(rawValue: kind.rawValue)!, id),
                  document["org"]?.textValue == org.rawValue else { throw NodeError(.notFound, "\(kind.rawValue) \(id) is not one of \(org)'s") }
            try transaction.appendTransition(kind, id, to: "withdrawn", actor: actor, reason: reason, byHub: false)
        }
    }
}
