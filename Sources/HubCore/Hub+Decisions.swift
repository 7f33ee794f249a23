import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Approves or rejects a submitted special fund application at the hub's tier. An approval checks the
    /// approver's post against the approval table as of the application's date, with the hub's view of the
    /// branch's cumulative approved total in the month.
    public func decideApplication(_ id: String, approve: Bool, approver: String, reason: String?) throws {
        try write { transaction, _ in
            guard let application = try transaction.document(.application, id), let branch = application["org"]?.textValue.flatMap(OrgCode.init),
                  let amount = application["amount"]?.integerValue, let category = application["category"]?.textValue,
                  let date = application["date"]?.textValue.flatMap(BusinessDate.init) else {
                throw TreasuryError(.notFound, "application \(id) has not reached the hub")
            }
            if approve {
                guard let member = try transaction.staffMember(approver), member.org == org else {
                    throw TreasuryError(.notPermitted, "\(approver) is not registered staff of the hub")
                }
                let before = try transaction.approvedApplicationTotal(org: branch, category: category, month: date, excluding: id)
                let required = try ApprovalAuthority.requiredRole(category: category, amount: AmountMinorUnits(amount),
                                                                  cumulativeBefore: before, rules: transaction.approvalRules(asOf: date))
                try ApprovalAuthority.check(approver: member, required: required)
            }
            try transaction.appendTransition(.application, id, to: approve ? "approved" : "rejected", actor: approver, reason: reason,
                                             byHub: true)
        }
    }

    /// Decides a branch's request to open, change or close a bank account. An approval by the fund-centre
    /// manager also changes the registry: the account is opened (active), its attributes changed, or closed.
    /// - Parameter date: the business day of the decision: an account opened or closed by it is so from that day
    ///   (reports are expected from it on). `nil`: the request's own date.
    public func decideAccountRequest(_ id: String, approve: Bool, by staff: String, reason: String?, on date: BusinessDate? = nil) throws {
        try write { transaction, _ in
            guard let request = try transaction.document(.accountRequest, id), let branch = request["org"]?.textValue.flatMap(OrgCode.init),
                  let action = request["action"]?.textValue, let account = request["account"]?.textValue else {
                throw TreasuryError(.notFound, "account request \(id) has not reached the hub")
            }
            try requireRole(staff, .fundCentreManager, in: transaction)
            var reason = reason
            if approve {
                // Two steps (3/6 item 6, D4): the fund manager checks, then the fund-centre manager approves; never one
                // person doing both.
                guard let check = try transaction.accountRequestCheck(id) else {
                    throw TreasuryError(.wrongState, "account request \(id) has not been checked by a fund manager ('hub check-request') before approval")
                }
                guard check.checkedBy != staff else { throw LedgerRuleViolation(.segregationOfDuties(person: staff)) }
                reason = [reason, "checked by \(check.checkedBy)" + (check.note.map { ": \($0)" } ?? "")].compactMap { $0 }.joined(separator: "; ")
                // The people who signed the request are the unit's registered staff (3/6 item 6): an account is opened
                // on the word of people the registry knows, never on a free-text name.
                for field in ["preparer", "reviewer", "approver"] {
                    guard let signer = request[field]?.textValue, !signer.isEmpty else { continue }
                    guard let member = try transaction.staffMember(signer), member.org == branch else {
                        throw TreasuryError(.notPermitted, "account request \(id) is signed by '\(signer)' (\(field)), who is not registered staff of \(branch)")
                    }
                }
            }
            try transaction.appendTransition(.accountRequest, id, to: approve ? "approved" : "refused", actor: staff, reason: reason, byHub: true)
            guard approve else { return }
            let details = Self.details(request["details"]?.textValue)
            let effective = date ?? request["date"]?.textValue.flatMap(BusinessDate.init)
            try applyAccountRequest(action: action, account: account, branch: branch, details: details, effectiveFrom: effective, in: transaction)
        }
    }

    func applyAccountRequest(action: String, account: String, branch: OrgCode, details: [String: String],
                             effectiveFrom: BusinessDate? = nil, in transaction: ReplicaTransaction) throws {
        var fields: [String: FieldValue]
        if let existing = try transaction.account(account) {
            guard existing.org == branch else { throw TreasuryError(.accountNotUsable, "account \(account) belongs to \(existing.org)") }
            fields = existing.fields.merging(try storedAttributes(account, in: transaction)) { current, _ in current }
            // A change keeps the account's status history (from when, why, by whom): only its attributes change.
            let stored = try transaction.document(.account, account) ?? [:]
            for name in ["status_from", "status_reason", "status_by"] where stored[name] != nil && stored[name] != .null { fields[name] = stored[name] }
        } else {
            guard action == "open" else { throw TreasuryError(.accountNotUsable, "account \(account) does not exist") }
            do {
                let number = try BankAccountNumber(account)
                guard number.value == account else {
                    throw TreasuryError(.invalidValue, "bank account number '\(account)' is written '\(number.value)' in its normal form")
                }
            } catch let error as BankAccountNumberError {
                throw TreasuryError(.invalidValue, error.description)
            }
            fields = AccountRecord(id: account, org: branch, kind: .bank, code: account, name: details["name"] ?? "Bank account \(account)",
                                   currency: CurrencyCode(details["currency"] ?? "CNY") ?? .cny, status: .active).fields
        }
        for name in ["name", "purpose", "class", "bank", "settlement_number"] { if let value = details[name] { fields[name] = .text(value) } }
        for name in ["retained_balance", "max_deposit"] {
            guard let text = details[name] else { continue }
            do {
                fields[name] = .integer(try AmountMinorUnits.parsing(text, scale: 2).value)
            } catch {
                throw TreasuryError(.invalidValue, "request \(name): \(error.description)")
            }
        }
        if action == "close" {
            try checkClosable(account, in: transaction)
            fields["status"] = .text(AccountStatus.closed.rawValue)
        }
        if action == "open" || action == "change", fields["class"] == .text("basic") {
            try checkOneBasicAccount(branch, opening: account, in: transaction)
        }
        if action == "open" || action == "close", let effectiveFrom { fields["status_from"] = .text(effectiveFrom.description) }
        try transaction.appendLocal(table: .account, key: account, operation: transaction.account(account) == nil ? .insert : .update,
                                    fields: fields)
    }

    static func details(_ json: String?) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { return [:] }
        return object
    }

    /// Releases a level-1 payment (levels 2 and 3 of the online-banking authority, DOMAIN.md §4): a fund-centre
    /// cashier up to the cashier release limit (`cashier_release_limit.<org>`, else `cashier_release_limit`),
    /// above it only the fund-centre supervisor. The paying account must still be active on the payment date.
    /// - Parameter date: the bank date of the release, the day the money leaves: the payment is booked on it (at the
    ///   branch) and its available balance is checked on it. `nil`: the payment's own date.
    public func releasePayment(_ id: String, by staff: String, on releaseDate: BusinessDate? = nil) throws {
        try write { transaction, _ in
            guard let payment = try transaction.document(.payment, id), let branch = payment["org"]?.textValue.flatMap(OrgCode.init),
                  let amount = payment["amount"]?.integerValue, let account = payment["account"]?.textValue,
                  let entered = payment["date"]?.textValue.flatMap(BusinessDate.init) else {
                throw TreasuryError(.notFound, "payment \(id) has not reached the hub")
            }
            let date = releaseDate ?? entered
            guard date >= entered else { throw TreasuryError(.invalidValue, "payment \(id) was entered on \(entered): it cannot be released on \(date)") }
            guard let member = try transaction.staffMember(staff), member.org == org else {
                throw TreasuryError(.notPermitted, "\(staff) is not registered staff of the hub")
            }
            let limitText = try transaction.parameter("cashier_release_limit.\(branch)", asOf: date)
                ?? transaction.parameter("cashier_release_limit", asOf: date)
            var limit = AmountMinorUnits.zero
            if let limitText {
                do { limit = try AmountMinorUnits.parsing(limitText, scale: 2) } catch {
                    throw TreasuryError(.invalidValue, "parameter cashier_release_limit: \(error)")
                }
            }
            if member.roles.contains(.fundCentreSupervisor) {
                // Level 3: any amount.
            } else if member.roles.contains(.fundCentreCashier) {
                guard amount <= limit.value else {
                    throw TreasuryError(.notPermitted, "\(AmountMinorUnits(amount)) is above the cashier release limit of \(limit): the fund-centre supervisor must release it")
                }
            } else {
                throw TreasuryError(.notPermitted, "\(staff) is neither a fund-centre cashier nor the supervisor")
            }
            try transaction.periodLock().check(date)
            guard let paying = try transaction.account(account, asOf: date), paying.status == .active else {
                throw TreasuryError(.accountNotUsable, "account \(account) is not active on \(date): the payment cannot be released")
            }
            // Cash controls (3/6), checked again as the money leaves: the rules of the document, and the available
            // balance of the paying account as the hub's books know it.
            let fields = FieldReader(payment, context: "payment \(id)")
            try HubValidation.checkCashControls(fields, origin: branch, in: transaction, recipients: try transaction.paymentRecipients(id))
            // Within the unit's overdraft line (basic and general accounts only, not suspended) no further approval
            // is needed (D3); beyond it, or without one, the release is refused.
            try CashControls.checkAvailable(account, amount: AmountMinorUnits(amount),
                                            available: try transaction.availableBalance(account, through: date, excludingPayment: id),
                                            overdraftLine: try transaction.overdraftRoom(for: account, on: date, excludingPayment: id))
            try transaction.appendTransition(.payment, id, to: "released", actor: staff, reason: nil, byHub: true, date: date)
            // The instructions that pay it, in the same transaction (7/7): released exactly when they are queued for the bank
            // (one, or one per person of a batch payment).
            for instruction in try bankInstructions(payment: id, fields: payment, paying: paying, date: date, in: transaction) {
                try transaction.queueBankInstruction(instruction)
            }
        }
    }

    /// Refuses a level-1 payment at the hub.
    public func refusePayment(_ id: String, by staff: String, reason: String) throws {
        try write { transaction, _ in
            guard let member = try transaction.staffMember(staff), member.org == org,
                  !member.roles.isDisjoint(with: [.fundCentreCashier, .fundCentreSupervisor]) else {
                throw TreasuryError(.notPermitted, "\(staff) may not refuse payments")
            }
            try transaction.appendTransition(.payment, id, to: "refused", actor: staff, reason: reason, byHub: true)
        }
    }
}
