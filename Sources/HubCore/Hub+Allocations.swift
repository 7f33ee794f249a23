import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Prepares routine allocation orders (资金调拨单) for `period` from the branches' forecasts: one order per
    /// branch whose forecast for the period has no order yet, for the forecast's total.
    @discardableResult
    public func prepareRoutineAllocations(period: String, date: BusinessDate, sourceAccount: String,
                                          preparer: String) throws -> [String] {
        try write { transaction, _ in
            try checkSourceAccount(sourceAccount, date: date, in: transaction)
            var orders: [String] = []
            for forecast in try transaction.forecasts(period: period) where try !transaction.hasAllocation(branch: forecast.org, period: period) {
                guard forecast.total.value > 0 else { continue }
                orders.append(try writeAllocation(kind: "routine", branch: forecast.org, amount: forecast.total, date: date,
                                                  period: period, application: nil, source: sourceAccount, preparer: preparer,
                                                  in: transaction))
            }
            return orders
        }
    }

    /// Prepares a special allocation order from an approved special fund application.
    @discardableResult
    public func prepareSpecialAllocation(application id: String, date: BusinessDate, sourceAccount: String,
                                         preparer: String) throws -> String {
        try write { transaction, _ in
            try checkSourceAccount(sourceAccount, date: date, in: transaction)
            guard let application = try transaction.document(.application, id), application["state"]?.textValue == "approved",
                  let branch = application["org"]?.textValue.flatMap(OrgCode.init), let amount = application["amount"]?.integerValue else {
                throw TreasuryError(.wrongState, "application \(id) is not an approved application")
            }
            if let existing = try transaction.allocationOrder(forApplication: id) {
                throw TreasuryError(.alreadyDone, "application \(id) already has allocation order \(existing)")
            }
            return try writeAllocation(kind: "special", branch: branch, amount: AmountMinorUnits(amount), date: date, period: nil,
                                       application: id, source: sourceAccount, preparer: preparer, in: transaction)
        }
    }

    /// Prepares a branch-to-branch allocation order (D4 §2.5: it names the source branch's expense account): money
    /// moves from `sourceAccount`, a bank account of branch A, to branch B, through the centre. Approved and paid like any
    /// order; paying it books Dr 2242.02.B / Cr 2242.02.A at the hub, tells A to book the payment from its account
    /// (a `transfer_out` slip: Dr A:3001.01 / Cr the account) and sends B its allocation slip.
    @discardableResult
    public func prepareTransfer(from sourceAccount: String, to branch: OrgCode, amount: AmountMinorUnits, date: BusinessDate,
                                preparer: String) throws -> String {
        try write { transaction, _ in
            try transaction.periodLock().check(date)
            guard amount.value > 0 else { throw TreasuryError(.invalidValue, "the amount must be more than zero") }
            guard let account = try transaction.account(sourceAccount, asOf: date), account.kind == .bank, account.org != org else {
                throw TreasuryError(.notFound, "\(sourceAccount) is not a bank account of a branch")
            }
            guard account.org != branch else { throw TreasuryError(.invalidValue, "a transfer goes to another branch than \(branch)") }
            guard account.status == .active else { throw TreasuryError(.accountNotUsable, "\(sourceAccount) is \(account.status.rawValue)") }
            try CashControls.checkPayingAccount(sourceAccount, purpose: try transaction.accountAttributes(sourceAccount).purpose)
            _ = try currentDeposit(of: account.org, in: transaction)
            _ = try currentDeposit(of: branch, in: transaction)
            return try writeAllocation(kind: "transfer", branch: branch, amount: amount, date: date, period: nil, application: nil,
                                       source: sourceAccount, preparer: preparer, in: transaction)
        }
    }

    func checkSourceAccount(_ id: String, date: BusinessDate, in transaction: ReplicaTransaction) throws {
        try transaction.periodLock().check(date)
        guard let account = try transaction.account(id, asOf: date), account.org == org, account.kind == .bank else {
            throw TreasuryError(.notFound, "\(id) is not a bank account of the hub")
        }
        guard account.status == .active else { throw TreasuryError(.accountNotUsable, "\(id) is \(account.status.rawValue)") }
    }

    func writeAllocation(kind: String, branch: OrgCode, amount: AmountMinorUnits, date: BusinessDate, period: String?,
                         application: String?, source: String, preparer: String, in transaction: ReplicaTransaction) throws -> String {
        let id = "\(org.rawValue)-D\(date.year)-\(HubBooks.pad(try transaction.nextSequence("allocation.\(date.year)")))"
        try transaction.appendLocal(table: .allocation, key: id, operation: .insert, businessDate: date.description, fields: [
            "kind": .text(kind), "branch": .text(branch.rawValue), "amount": .integer(amount.value), "date": .text(date.description),
            "period": period.map(FieldValue.text) ?? .null, "application": application.map(FieldValue.text) ?? .null,
            "source_account": .text(source), "slip": .null, "preparer": .text(preparer), "reviewer": .null, "approver": .null,
            "state": .text("prepared"),
        ])
        return id
    }

    /// Approves an allocation order (the fund-centre manager). Approval is a decision, not the payment: nothing
    /// moves until a cashier pays it (`payAllocation`), so the hub's bank journal and its books record the money on
    /// the day it leaves the bank (3/6 item 4).
    public func approveAllocation(_ id: String, approver: String) throws {
        try write { transaction, _ in
            guard var order = try transaction.document(.allocation, id), order["state"]?.textValue == "prepared",
                  let branch = order["branch"]?.textValue.flatMap(OrgCode.init), let date = order["date"]?.textValue.flatMap(BusinessDate.init) else {
                throw TreasuryError(.wrongState, "allocation order \(id) is not waiting for approval")
            }
            try requireRole(approver, .fundCentreManager, in: transaction)
            try checkBranchCanReceive(branch, on: date, in: transaction)
            order["state"] = .text("approved")
            order["approver"] = .text(approver)
            order.removeValue(forKey: "id")
            try transaction.appendLocal(table: .allocation, key: id, operation: .update, businessDate: date.description, fields: order)
        }
    }

    /// Pays an approved allocation order (the fund-centre cashier): the hub's bank journal line of the payment, and
    /// Dr Intercompany–branch / Cr Bank deposits dated on the bank date; the allocation slip goes down, and the
    /// branch books it as funds in transit. The cash control acts here, as the money leaves: the source account never
    /// overdraws (the centre's primary account has no line, DOMAIN.md §3.7).
    /// - Parameter date: the bank date of the payment (default: the order's date); never before the order's date.
    @discardableResult
    public func payAllocation(_ id: String, cashier: String, date bankDate: BusinessDate? = nil, advice: String) throws -> (slip: String, voucher: String) {
        try write { transaction, books in
            // Sent to the bank as an instruction (`sendAllocationToBank`): booked when the bank confirms it, never paid by
            // hand as well. Only after the bank rejected it may a cashier pay it another way.
            if let pending = try transaction.bankInstructions(source: "allocation:\(id)").first(where: { $0.state != .rejected }) {
                throw TreasuryError(.alreadyDone, "allocation order \(id) was sent to the bank as instruction \(pending.endToEndID) "
                                    + "(\(pending.state.rawValue)): it is booked when the bank confirms it")
            }
            return try payAllocation(id, cashier: cashier, date: bankDate, advice: advice, bankConfirmed: false, in: transaction, books: books)
        }
    }

    /// Books the payment of an approved allocation order. A cashier's payment (`bankConfirmed` false) is a person's
    /// decision, where the controls act; a payment the bank has confirmed for an instruction the cashier sent is a fact
    /// (DECISIONS: a fact is always recorded), booked on the bank's date with the checks made when it was sent.
    func payAllocation(_ id: String, cashier: String, date bankDate: BusinessDate?, advice: String, bankConfirmed: Bool,
                       in transaction: ReplicaTransaction, books: HubBooks) throws -> (slip: String, voucher: String) {
        guard var order = try transaction.document(.allocation, id), order["state"]?.textValue == "approved",
              let branch = order["branch"]?.textValue.flatMap(OrgCode.init), let amountValue = order["amount"]?.integerValue,
              let ordered = order["date"]?.textValue.flatMap(BusinessDate.init), let source = order["source_account"]?.textValue,
              let preparer = order["preparer"]?.textValue, let approver = order["approver"]?.textValue else {
            throw TreasuryError(.wrongState, "allocation order \(id) is not approved and waiting to be paid")
        }
        // A release-1 order was paid when it was approved: it already has its slip, and is never paid twice.
        if let slip = order["slip"]?.textValue {
            throw TreasuryError(.alreadyDone, "allocation order \(id) was paid already (slip \(slip))")
        }
        let date = bankDate ?? ordered
        guard date >= ordered else { throw TreasuryError(.invalidValue, "allocation order \(id) is dated \(ordered): it cannot be paid on \(date)") }
        guard advice.contains(where: { !$0.isWhitespace }) else { throw TreasuryError(.invalidValue, "the bank advice (payment reference) is missing") }
        guard let member = try transaction.staffMember(cashier), member.org == org,
              !member.roles.isDisjoint(with: [.fundCentreCashier, .fundCentreSupervisor]) else {
            throw TreasuryError(.notPermitted, "\(cashier) is not a fund-centre cashier of the hub")
        }
        guard ![preparer, approver].contains(cashier) else { throw LedgerRuleViolation(.segregationOfDuties(person: cashier)) }
        let transferFrom = order["kind"]?.textValue == "transfer" ? try transaction.account(source)?.org : nil
        let amount = AmountMinorUnits(amountValue)
        if !bankConfirmed {
            if transferFrom == nil { try checkSourceAccount(source, date: date, in: transaction) }
            try checkBranchCanReceive(branch, on: date, in: transaction)
            // The paying account never overdraws here: the centre's has no line, and a branch's money is moved for
            // another branch only out of what it holds.
            try CashControls.checkAvailable(source, amount: amount, available: try transaction.availableBalance(source, through: date))
        }
        let signatures = DocumentSignatures(preparer: preparer, reviewer: cashier, approver: approver)
        let slip = "\(org.rawValue)-S\(date.year)-\(HubBooks.pad(try transaction.nextSequence("slip.\(date.year)")))"
        let hubLines: [VoucherLine]
        if let from = transferFrom {
            guard try bankConfirmed || transaction.account(source, asOf: date)?.status == .active else {
                throw TreasuryError(.accountNotUsable, "\(source) is not active on \(date)")
            }
            hubLines = [VoucherLine(account: LedgerAccounts.hubIntercompany(hub: org, branch: branch), side: .debit, amount: amount),
                        VoucherLine(account: LedgerAccounts.hubIntercompany(hub: org, branch: from), side: .credit, amount: amount)]
            let outLines = JournalEntries.expenseOnBehalfAtBranch(branch: from, bankAccount: source, amount)
            let out = "\(org.rawValue)-S\(date.year)-\(HubBooks.pad(try transaction.nextSequence("slip.\(date.year)")))"
            try transaction.appendLocal(table: .slip, key: out, operation: .insert, businessDate: date.description, fields: [
                "kind": .text("transfer_out"), "issuer": .text(org.rawValue), "receiver": .text(from.rawValue), "date": .text(date.description),
                "amount": .integer(amount.value), "currency": .text("CNY"), "bank_account": .text(source), "bank_advice": .text(advice),
                "memo": .text("transfer \(id) to \(branch), paid from \(source)"), "related": .text(slip),
                "issuer_entries": .list([]), "receiver_entries": Self.entries(outLines),
            ].merging(signatures.fields) { current, _ in current })
            try transaction.setSlipStatus(out, "issued", date: date)
        } else {
            hubLines = JournalEntries.allocationAtHub(hub: org, branch: branch, bankAccount: source, amount)
            let journal = "\(org.rawValue)-B\(HubBooks.pad(try transaction.nextSequence("B")))"
            try transaction.appendLocal(table: .bankJournal, key: journal, operation: .insert, businessDate: date.description, fields: [
                "org": .text(org.rawValue), "account": .text(source), "date": .text(date.description), "direction": .text("payment"),
                "amount": .integer(amount.value), "advice": .text(advice), "counterparty": .text(branch.rawValue),
                "memo": .text("allocation \(id) paid"), "slip": .text(slip), "preparer": .text(cashier), "reviewer": .null,
            ])
        }
        // The bank's booking is a fact: a period closed meanwhile or an account frozen since does not refuse it (a
        // stream finding says so instead).
        let voucher = try books.post(hubLines, date: date, memo: "allocation \(id) to \(branch)", source: "slip:\(slip)", signatures: signatures,
                                     factOf: bankConfirmed ? org : nil)
        try transaction.appendLocal(table: .slip, key: slip, operation: .insert, businessDate: date.description, fields: [
            "kind": .text("allocation"), "issuer": .text(org.rawValue), "receiver": .text(branch.rawValue), "date": .text(date.description),
            "amount": .integer(amount.value), "currency": .text("CNY"), "bank_account": .text(source), "bank_advice": .text(advice),
            "memo": .text("\(order["kind"]?.textValue ?? "") allocation \(id)"), "related": order["application"] ?? order["period"] ?? .null,
            "issuer_entries": Self.entries(hubLines),
            "receiver_entries": Self.entries(JournalEntries.allocationSlipAtBranch(branch: branch, amount)),
        ].merging(signatures.fields) { current, _ in current })
        try transaction.setSlipStatus(slip, "issued", date: date)
        order["state"] = .text("paid")
        order["slip"] = .text(slip)
        order.removeValue(forKey: "id")
        try transaction.appendLocal(table: .allocation, key: id, operation: .update, businessDate: date.description, fields: order)
        if let application = order["application"]?.textValue {
            try transaction.appendTransition(.application, application, to: "allocated", actor: approver, reason: "allocation \(id)", byHub: true)
        }
        return (slip, voucher.id)
    }

    /// An allocation goes to a branch's expense account (DOMAIN.md §3.3): if every expense account it has is frozen
    /// or closed on the payment date, the money could never be received, so the order is refused (freezing blocks
    /// new allocations, DOMAIN.md §3.1).
    func checkBranchCanReceive(_ branch: OrgCode, on date: BusinessDate, in transaction: ReplicaTransaction) throws {
        let expense = try transaction.accounts(of: branch).filter { $0.kind == .bank }
            .filter { try transaction.accountAttributes($0.id).purpose == "expense" }
        guard !expense.isEmpty else { return }
        let open = try expense.filter { try transaction.account($0.id, asOf: date)?.status == .active }
        guard !open.isEmpty else {
            throw TreasuryError(.accountNotUsable, "every expense account of \(branch) is frozen or closed on \(date): the allocation could not be received")
        }
    }

    /// Checks that `staffID` is registered staff of the hub holding `role` (or a post of higher approval rank).
    func requireRole(_ staffID: String, _ role: StaffRole, in transaction: ReplicaTransaction) throws {
        guard let member = try transaction.staffMember(staffID), member.org == org else {
            throw TreasuryError(.notPermitted, "\(staffID) is not registered staff of the hub")
        }
        guard member.roles.contains(role) || (role.approvalRank > 0 && member.approvalRank >= role.approvalRank) else {
            throw TreasuryError(.notPermitted, "\(staffID) does not hold the post \(role.rawValue)")
        }
    }

    static func entries(_ lines: [VoucherLine]) -> FieldValue {
        .list(lines.map { .record(["account": .text($0.account), "side": .text($0.side.rawValue), "amount": .integer($0.amount.value)]) })
    }
}
