import LedgerCore
import ReplicaStore

/// The hub's checks of one incoming change, against its registry as of the document's business date
/// (DESIGN.md §2: ownership, balance, active accounts, open period, approval tier).
///
/// Throws the first `LedgerRuleViolation`, the only verdict it gives. A registry read that fails (disk, I/O) is
/// thrown as it is and never turned into a verdict: a failed period-lock read must not skip the closed-period
/// check, and a failed cumulative total must not count as zero and lower the approval tier.
struct HubValidation {
    let hub: OrgCode
    let transaction: ReplicaTransaction

    func check(_ change: Change, from peer: OrgCode) throws {
        let origin = change.id.origin
        guard origin == peer else {
            throw LedgerRuleViolation.malformed("change \(change.id) was sent by \(peer), which may not forward another office's changes")
        }
        guard let table = change.replicatedTable, !table.isHubOwned else {
            throw LedgerRuleViolation(.notOwner(table: change.table, origin: origin.rawValue))
        }
        guard change.operation == .insert else {
            throw LedgerRuleViolation.malformed("documents are immutable: \(change.operation.name) of \(change.table) \(change.key) is not allowed")
        }
        let fields = FieldReader(change.fields, context: "\(change.table) \(change.key)")
        if table.isDatedDocument {
            let dateText = try fields.text("date")
            guard let date = BusinessDate(dateText) else { throw LedgerRuleViolation(.invalidDate(dateText)) }
            do {
                try transaction.periodLock().check(date)
            } catch let violation as LedgerRuleViolation {
                // A fact — money that has moved at a bank, or the booking of one — is recorded even in a period the hub
                // has closed since (DECISIONS: a broken control becomes a finding, never a rejection). Anything else a
                // person chose to date there is refused, and becomes an adjustment in the open period.
                guard try Self.isFact(table, fields: fields) else { throw violation }
                try transaction.recordStreamFinding(
                    kind: "fact-in-closed-period", document: "\(table.rawValue):\(change.key)", org: origin, businessDate: date,
                    detail: "\(table.rawValue) \(change.key) of \(origin) is dated \(date), in a period closed since (\(violation.description)); "
                        + "it records money that moved, so it stands: reopen nothing, adjust in the open period if needed")
            }
        }
        switch table {
        case .voucher: try checkVoucher(change)
        case .bankJournal, .balanceReport, .forecast, .accountRequest, .explanation: try checkOwnDocument(fields, origin: origin, table: table)
        case .audit:
            guard try fields.orgCode("org") == origin else { throw LedgerRuleViolation(.wrongOrigin(org: try fields.text("org"), origin: origin.rawValue)) }
        case .slip: try checkSlip(fields, origin: origin)
        case .application: try checkApplication(change, fields: fields)
        case .payment: try checkPayment(fields, origin: origin)
        case .transition: try checkTransition(fields, origin: origin)
        case .confirmation: try ConfirmationCheck(hub: hub, transaction: transaction).check(fields, origin: origin)
        case .statement: try checkStatement(change, fields: fields, origin: origin)
        case .officeRelease: try Self.checkOfficeRelease(change, fields: fields, origin: origin)
        default: throw LedgerRuleViolation(.notOwner(table: change.table, origin: origin.rawValue))
        }
        try PersonalSignatureCheck(hub: hub, transaction: transaction).check(change, table: table)
        try checkOfficeVolume(change, table: table, fields: fields)
    }

    /// An office's statement of its release (§6.28): its own, keyed `<org>:<number>`, a release from 2 (release 1
    /// announces nothing) up to a bound no real release reaches, a version people can read, and the batch formats it
    /// reads, which must include format 1 (every release reads it). Any release is accepted, even one newer than the
    /// hub's: the hub then writes for it what it writes for its own release.
    static func checkOfficeRelease(_ change: Change, fields: FieldReader, origin: OrgCode) throws {
        let org = try fields.orgCode("org")
        guard org == origin else { throw LedgerRuleViolation(.wrongOrigin(org: org.rawValue, origin: origin.rawValue)) }
        let number = try fields.integer("number")
        guard (2...9_999).contains(number) else {
            throw LedgerRuleViolation.malformed("office_release \(change.key): release \(number) is not a release that announces itself (2 to 9999)")
        }
        guard change.key == "\(org.rawValue):\(number)" else {
            throw LedgerRuleViolation.malformed("office_release \(change.key): the key must be \(org.rawValue):\(number)")
        }
        let version = try fields.text("version")
        guard (1...64).contains(version.utf8.count), version.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw LedgerRuleViolation.malformed("office_release \(change.key): the version must be 1 to 64 printable ASCII characters")
        }
        let formats = try fields.text("formats").split(separator: ",", omittingEmptySubsequences: false)
        // Canonical decimal only ("1", never "01" or "+1"), so every implementation reads the same list.
        let numbers = formats.compactMap { part in UInt8(part).flatMap { String($0) == part ? $0 : nil } }
        guard !formats.isEmpty, numbers.count == formats.count, numbers.contains(1), numbers == numbers.sorted(), Set(numbers).count == numbers.count
        else {
            throw LedgerRuleViolation.malformed("office_release \(change.key): formats must list format versions in ascending order, 1 among them")
        }
    }

    /// What `change` adds to its office's booked volume: a voucher's debit side, a document's amount, 0 otherwise.
    /// Called after the document's own checks passed, so its amounts are known to be positive and within the cap.
    static func volume(of change: Change, table: ReplicatedTable, in transaction: ReplicaTransaction) throws -> Int64 {
        switch table {
        case .voucher: return try transaction.voucher(of: change).total(.debit).value
        case .bankJournal, .slip, .payment, .application: return max(0, change.fields["amount"]?.integerValue ?? 0)
        default: return 0
        }
    }

    /// No office may book more than `Limits.officeVolumeMinorUnitsMax` in all: past it every further document of that
    /// office is rejected (2/6 finding 3: enough maximal vouchers on one account once overflowed every report's sums).
    func checkOfficeVolume(_ change: Change, table: ReplicatedTable, fields: FieldReader) throws {
        let added = try Self.volume(of: change, table: table, in: transaction)
        guard added > 0 else { return }
        let office = change.id.origin
        let volume = try transaction.officeVolume(office)
        let (total, overflow) = volume.addingReportingOverflow(added)
        guard !overflow, total <= Limits.officeVolumeMinorUnitsMax else {
            throw LedgerRuleViolation(.officeVolumeOverCap(office: office.rawValue, volumeMinorUnits: volume, addedMinorUnits: added,
                                                           volumeMinorUnitsMax: Limits.officeVolumeMinorUnitsMax))
        }
    }

    /// Facts: a bank journal line (a bank advice), a sweep slip (money that left a county's bank), and a voucher that
    /// books one of them or a counterpart of the hub's own document (its `source` names it).
    static func isFact(_ table: ReplicatedTable, fields: FieldReader) throws -> Bool {
        switch table {
        case .bankJournal: return true
        case .slip: return try ["sweep_up", "expense_on_behalf"].contains(fields.text("kind"))
        case .voucher:
            guard let source = try fields.optionalText("source") else { return false }
            return ["slip:", "bank:", "receipt:", "payment:"].contains { source.hasPrefix($0) }
        default: return false
        }
    }

    func checkVoucher(_ change: Change) throws {
        let voucher = try transaction.voucher(of: change)
        guard change.key.hasPrefix("\(change.id.origin.rawValue)-") else {
            throw LedgerRuleViolation.malformed("voucher id \(change.key) does not start with its origin \(change.id.origin)")
        }
        try voucher.signatures.validate(requireReviewer: false)
        // A duplicate voucher id is caught by the voucher table's primary key when it is applied, and rejected
        // with that reason; checking it here as well would cost a query per change on the hub's hot path.
        try VoucherValidator.validate(voucher, origin: change.id.origin, lookup: transaction.lookup(asOf: voucher.date))
    }

    /// Documents of the origin's own org, signed by distinct people, on the origin's own accounts.
    func checkOwnDocument(_ fields: FieldReader, origin: OrgCode, table: ReplicatedTable) throws {
        let org = try fields.orgCode("org")
        // A county's cashier journals and reports the bank accounts of the budget units whose books it keeps (3/6 item 9).
        let journalOrReport = table == .bankJournal || table == .balanceReport
        // Only looked up when the unit is not the origin (the hot path is an office's own documents).
        guard try org == origin || (journalOrReport && transaction.lookup(asOf: BusinessDate("9999-12-31")!).keepsBooks(of: org, origin: origin)) else {
            throw LedgerRuleViolation(.wrongOrigin(org: try fields.text("org"), origin: origin.rawValue))
        }
        try DocumentSignatures(fields: fields).validate(requireReviewer: false)
        if table == .bankJournal || table == .balanceReport {
            try checkAccount(try fields.text("account"), org: org, date: try fields.text("date"), mustBeActive: table == .bankJournal)
        }
    }

    /// A bank statement an office imported (PROTOCOL.md §6.22b): every rule of a statement (its entries make its
    /// closing balance, each lies in its period, its key is its identity), of the origin or of a budget unit whose
    /// books it keeps, on a bank account of that unit in the statement's currency. A closed account's last statement
    /// is still the bank's figure, so the account need not be active.
    func checkStatement(_ change: Change, fields: FieldReader, origin: OrgCode) throws {
        let statement = try StatementDocument(fields: change.fields, key: change.key)
        guard try statement.org == origin
            || transaction.lookup(asOf: BusinessDate("9999-12-31")!).keepsBooks(of: statement.org, origin: origin) else {
            throw LedgerRuleViolation(.wrongOrigin(org: statement.org.rawValue, origin: origin.rawValue))
        }
        try DocumentSignatures(fields: fields).validate(requireReviewer: false)
        try checkAccount(statement.account, org: statement.org, date: statement.closingDate.description, mustBeActive: false)
        guard let account = try transaction.account(statement.account, asOf: statement.closingDate), account.kind == .bank else {
            throw LedgerRuleViolation(.statementRefused("\(statement.account) is not a bank account"))
        }
        guard account.currency == statement.currency else {
            throw LedgerRuleViolation(.statementRefused("the statement is in \(statement.currency), the account \(account.id) in \(account.currency)"))
        }
    }

    func checkAccount(_ id: String, org: OrgCode, date: String, mustBeActive: Bool) throws {
        guard let businessDate = BusinessDate(date) else { throw LedgerRuleViolation(.invalidDate(date)) }
        guard let account = try transaction.account(id, asOf: businessDate) else { throw LedgerRuleViolation(.unknownAccount(id)) }
        guard account.org == org else {
            throw LedgerRuleViolation(.accountOfOtherOrg(account: id, accountOrg: account.org.rawValue, voucherOrg: org.rawValue))
        }
        if mustBeActive && account.status != .active {
            throw LedgerRuleViolation(.accountNotActive(account: id, status: account.status.rawValue))
        }
    }

    /// A document's `amount`: positive and within the cap (`Limits.amountMinorUnitsMax`), whatever the node checked.
    @discardableResult
    func checkDocumentAmount(_ fields: FieldReader) throws -> AmountMinorUnits {
        let amount = AmountMinorUnits(try fields.integer("amount"))
        guard amount.value > 0 else { throw LedgerRuleViolation(.nonPositiveAmount(line: 1)) }
        guard amount.isWithinCap else {
            throw LedgerRuleViolation(.amountOverCap(line: 0, amountMinorUnits: amount.value, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
        }
        return amount
    }

    func checkSlip(_ fields: FieldReader, origin: OrgCode) throws {
        guard try fields.orgCode("issuer") == origin else {
            throw LedgerRuleViolation(.wrongOrigin(org: try fields.text("issuer"), origin: origin.rawValue))
        }
        let kind = try fields.text("kind")
        guard try fields.orgCode("receiver") == hub, ["sweep_up", "expense_on_behalf", "slip_returned"].contains(kind) else {
            throw LedgerRuleViolation.malformed("a node issues sweep-up, expense-on-behalf and returned slips to the hub only")
        }
        let amount = try checkDocumentAmount(fields)
        try DocumentSignatures(fields: fields).validate(requireReviewer: true)
        switch kind {
        case "slip_returned":
            // A branch returns a cost allocation the hub proposed to it, whole, with its reason (D4 §5.3.2: re-issue).
            guard let returned = try fields.optionalText("related"), let slip = try transaction.document(.slip, returned),
                  slip["kind"]?.textValue == "cost_allocation", slip["receiver"]?.textValue == origin.rawValue,
                  slip["issuer"]?.textValue == hub.rawValue, slip["amount"]?.integerValue == amount.value else {
                throw LedgerRuleViolation.malformed("a returned slip names a cost allocation the hub sent to \(origin), with its amount")
            }
            guard slip["status"]?.textValue != "rejected",
                  try transaction.vouchers(source: "slip:\(returned)").allSatisfy({ $0.org != origin }) else {
                throw LedgerRuleViolation.malformed("slip \(returned) was already returned or booked by \(origin)")
            }
            guard let reason = try fields.optionalText("memo"), reason.contains(where: { !$0.isWhitespace }) else {
                throw LedgerRuleViolation.malformed("a returned slip says why (memo)")
            }
        case "expense_on_behalf":
            try checkAccount(try fields.text("bank_account"), org: origin, date: try fields.text("date"), mustBeActive: true)
            // The centre's side is booked from the slip as it stands: exactly Dr an expense subject of the hub / Cr 2242.02.<origin>.
            guard let lines = JournalEntries.lines(of: fields.fields["receiver_entries"]), lines.count == 2,
                  let debit = lines.first(where: { $0.side == .debit }), let credit = lines.first(where: { $0.side == .credit }),
                  debit.amount == amount, credit.amount == amount,
                  credit.account == LedgerAccounts.hubIntercompany(hub: hub, branch: origin),
                  let date = BusinessDate(try fields.text("date")), let expense = try transaction.account(debit.account, asOf: date) else {
                throw LedgerRuleViolation.malformed("an expense paid on the centre's behalf proposes Dr a hub expense subject / Cr 2242.02.\(origin), for its amount")
            }
            try CashControls.checkExpenseSubject(expense, payingOrg: hub)
            // The counterpart is booked after this verdict, so anything that would fail there is refused here instead.
            guard expense.status == .active, expense.currency == .cny, try fields.text("currency") == "CNY" else {
                throw LedgerRuleViolation.malformed("\(debit.account) is not an active CNY expense subject of the hub on \(date)")
            }
        default:
            try checkAccount(try fields.text("bank_account"), org: origin, date: try fields.text("date"), mustBeActive: true)
        }
    }

    func checkApplication(_ change: Change, fields: FieldReader) throws {
        let origin = change.id.origin
        try checkOwnDocument(fields, origin: origin, table: .application)
        try DocumentSignatures(fields: fields).validate(requireReviewer: true)
        let state = try fields.text("state")
        guard state == "submitted" || state == "approved" else { throw LedgerRuleViolation.malformed("a new application must be submitted or approved") }
        guard state == "approved" else { return }
        // Approved locally: the approver must hold the post the approval table requires, with the hub's totals.
        let amount = try checkDocumentAmount(fields)
        guard let date = BusinessDate(try fields.text("date")) else { throw LedgerRuleViolation(.invalidDate(try fields.text("date"))) }
        let category = try fields.text("category")
        let approverID = try fields.optionalText("approver") ?? ""
        guard let approver = try transaction.staffMember(approverID), approver.org == origin else {
            throw LedgerRuleViolation.malformed("approver '\(approverID)' is not registered staff of \(origin)")
        }
        let rules = try transaction.approvalRules(asOf: date)
        let before = try transaction.approvedApplicationTotal(org: origin, category: category, month: date, excluding: change.key)
        let required = try ApprovalAuthority.requiredRole(category: category, amount: amount, cumulativeBefore: before, rules: rules)
        try ApprovalAuthority.check(approver: approver, required: required)
    }

    func checkPayment(_ fields: FieldReader, origin: OrgCode) throws {
        try checkOwnDocument(fields, origin: origin, table: .payment)
        try DocumentSignatures(fields: fields).validate(requireReviewer: true)
        guard try fields.text("state") == "entered" else { throw LedgerRuleViolation.malformed("a new payment must be entered") }
        try checkDocumentAmount(fields)
        try checkAccount(try fields.text("account"), org: origin, date: try fields.text("date"), mustBeActive: true)
        try checkAccount(try fields.text("expense_account"), org: origin, date: try fields.text("date"), mustBeActive: true)
        try Self.checkCashControls(fields, origin: origin, in: transaction, recipients: try PaymentRecipients.read(fields.fields["recipients"]))
    }

    /// The cash controls of a payment that do not depend on the moment (3/6): paying account, expense subject, basis.
    /// The available balance is checked when the payment is released (`Hub.releasePayment`), when money leaves.
    /// A batch payment (代发, `recipients`, 7/7 item 5) is checked as its list: whole (``PaymentRecipients/check(_:)``),
    /// adding up to the payment's amount, and the basis rule applied to each person it pays.
    static func checkCashControls(_ fields: FieldReader, origin: OrgCode, in transaction: ReplicaTransaction,
                                  recipients: [PaymentRecipient]?) throws {
        let account = try fields.text("account"), expenseID = try fields.text("expense_account")
        guard let date = BusinessDate(try fields.text("date")) else { throw LedgerRuleViolation(.invalidDate(try fields.text("date"))) }
        try CashControls.checkPayingAccount(account, purpose: try transaction.accountAttributes(account).purpose)
        guard let expense = try transaction.account(expenseID, asOf: date) else { throw LedgerRuleViolation(.unknownAccount(expenseID)) }
        try CashControls.checkExpenseSubject(expense, payingOrg: origin)
        // A payment of release 1 names no payee kind: it is read as an organisation's (compatibility window).
        let kindText = try fields.optionalText("payee_kind") ?? PayeeKind.organisation.rawValue
        guard let payee = PayeeKind(rawValue: kindText) else { throw LedgerRuleViolation.malformed("payee_kind '\(kindText)' is neither organisation nor individual") }
        let amount = AmountMinorUnits(try fields.integer("amount")), basis = try fields.optionalText("basis")
        guard let recipients else { return try CashControls.checkBasis(payee: payee, amount: amount, basis: basis) }
        let total = try PaymentRecipients.check(recipients)
        guard total == amount, payee == .individual else {
            throw LedgerRuleViolation.malformed("a batch payment pays individuals the amount it states: its recipients add up to \(total), not \(amount)")
        }
        for recipient in recipients { try CashControls.checkBasis(payee: .individual, amount: recipient.amount, basis: basis) }
    }

    func checkTransition(_ fields: FieldReader, origin: OrgCode) throws {
        guard try fields.integer("by_hub") == 0 else { throw LedgerRuleViolation.malformed("a node may not write a transition as the hub") }
        guard let kind = StatefulDocument(rawValue: try fields.text("doc_table")), let table = ReplicatedTable(rawValue: kind.rawValue) else {
            throw LedgerRuleViolation.malformed("transition of a document kind without states")
        }
        let id = try fields.text("doc_id")
        guard let document = try transaction.document(table, id), document["org"]?.textValue == origin.rawValue else {
            throw LedgerRuleViolation.malformed("\(kind.rawValue) \(id) does not exist or is not \(origin)'s")
        }
        try kind.check(from: try fields.text("from_state"), to: try fields.text("to_state"), byHub: false)
    }
}
