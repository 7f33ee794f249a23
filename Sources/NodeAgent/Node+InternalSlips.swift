import LedgerCore
import ReplicaStore

extension Node {
    /// Accepts a cost the centre shared out to this unit (费用分摊): after checking the slip and its documents, the clerk
    /// books the slip's proposed entries (Dr this unit's expense subject / Cr Intercompany–HQ), with preparer and
    /// reviewer. Only then is the cost in this unit's books.
    public func acceptSlip(_ id: String, date: BusinessDate? = nil, signatures: DocumentSignatures) throws -> String {
        try write { transaction, books in
            let (slip, lines) = try proposedSlip(id, in: transaction)
            guard let bookedOn = date ?? slip["date"]?.textValue.flatMap(BusinessDate.init) else {
                throw NodeError(.invalidValue, "slip \(id) has no readable date: give --date")
            }
            for line in lines { _ = try books.activeAccount(line.account, on: bookedOn) }
            let voucher = try books.post(lines, date: bookedOn, memo: "cost shared by the centre, slip \(id): \(slip["memo"]?.textValue ?? "")",
                                         source: "slip:\(id)", signatures: signatures)
            try transaction.setSlipStatus(id, "booked", date: bookedOn)
            return voucher.id
        }
    }

    /// Returns a cost allocation to the centre, whole, with the reason (the amount or the subject is wrong): a
    /// `slip_returned` slip to the hub. The centre reverses its side and re-issues a corrected slip (D4 §5.3.2).
    @discardableResult
    public func returnSlip(_ id: String, reason: String, date: BusinessDate, signatures: DocumentSignatures) throws -> String {
        guard reason.contains(where: { !$0.isWhitespace }) else { throw NodeError(.invalidValue, "say why the slip is returned (--reason)") }
        guard let hub = try knownHub() else { throw NodeError(.notConnected, "this node has not received its registry from the hub yet") }
        return try write { transaction, books in
            let (slip, _) = try proposedSlip(id, in: transaction)
            guard let amount = slip["amount"]?.integerValue, amount > 0 else { throw NodeError(.invalidValue, "slip \(id) has no readable amount") }
            let returned = "\(org.rawValue)-S\(date.year)-\(Self.pad(try transaction.nextSequence("slip.\(date.year)")))"
            try books.write(.slip, id: returned, date: date, fields: [
                "kind": .text("slip_returned"), "issuer": .text(org.rawValue), "receiver": .text(hub.rawValue),
                "amount": .integer(amount), "currency": .text("CNY"), "bank_account": .null, "bank_advice": .null,
                "memo": .text(reason), "related": .text(id), "issuer_entries": .list([]), "receiver_entries": .list([]),
            ], signatures: signatures, requireReviewer: true)
            // The slip stays `proposed` here until the centre re-issues it (the new slip names it, and marks it replaced):
            // if the centre refuses the return, the clerk can still accept it.
            try transaction.setSlipStatus(returned, "returned", date: date)
            return returned
        }
    }

    /// Pays an expense of the centre from this unit's bank (代垫费用): the bank journal payment line, the voucher
    /// Dr Intercompany–HQ / Cr the bank account, and an `expense_on_behalf` slip whose receiver entries the hub books
    /// (Dr its expense subject / Cr 2242.02.<this unit>). Only within the account's available balance.
    @discardableResult
    public func payOnBehalf(account: String, amount: AmountMinorUnits, hubExpense: String, date: BusinessDate, advice: String,
                            memo: String, signatures: DocumentSignatures) throws -> String {
        guard let hub = try knownHub() else { throw NodeError(.notConnected, "this node has not received its registry from the hub yet") }
        guard amount.value > 0 else { throw NodeError(.invalidValue, "the amount must be positive") }
        return try write { transaction, books in
            _ = try books.activeAccount(account, on: date)
            try CashControls.checkPayingAccount(account, purpose: try transaction.accountAttributes(account).purpose)
            // The centre's subjects are not in this office's registry: what can be checked here is that it names one of the
            // centre's expense subjects; the hub checks the account itself when the slip arrives.
            let prefix = "\(hub.rawValue):"
            guard hubExpense.hasPrefix(prefix), SubjectCode.isExpense(String(hubExpense.dropFirst(prefix.count))) else {
                throw LedgerRuleViolation(.notAnExpenseSubject(account: hubExpense, org: hub.rawValue))
            }
            try CashControls.checkAvailable(account, amount: amount, available: try transaction.availableBalance(account, through: date),
                                            overdraftLine: try transaction.overdraftRoom(for: account, on: date))
            let slip = "\(org.rawValue)-S\(date.year)-\(Self.pad(try transaction.nextSequence("slip.\(date.year)")))"
            let lines = JournalEntries.expenseOnBehalfAtBranch(branch: org, bankAccount: account, amount)
            try books.write(.slip, id: slip, date: date, fields: [
                "kind": .text("expense_on_behalf"), "issuer": .text(org.rawValue), "receiver": .text(hub.rawValue),
                "amount": .integer(amount.value), "currency": .text("CNY"), "bank_account": .text(account), "bank_advice": .text(advice),
                "memo": .text(memo), "related": .null, "issuer_entries": Self.entries(lines),
                "receiver_entries": Self.entries(JournalEntries.expenseOnBehalfAtHub(hub: hub, branch: org, hubExpense: hubExpense, amount)),
            ], signatures: signatures, requireReviewer: true)
            try books.write(.bankJournal, id: try books.nextID("B"), date: date, fields: [
                "org": .text(org.rawValue), "account": .text(account), "direction": .text("payment"), "amount": .integer(amount.value),
                "advice": .text(advice), "counterparty": .text(hub.rawValue), "memo": .text("paid on the centre's behalf, slip \(slip)"),
                "slip": .text(slip),
            ], signatures: DocumentSignatures(preparer: signatures.preparer, reviewer: signatures.reviewer), requireReviewer: false)
            try books.post(lines, date: date, memo: "paid on the centre's behalf: \(memo), slip \(slip)", source: "slip:\(slip)", signatures: signatures)
            try transaction.setSlipStatus(slip, "issued", date: date)
            return slip
        }
    }

    /// A cost allocation the hub proposed to this unit and nobody here has accepted or returned yet, with its lines.
    func proposedSlip(_ id: String, in transaction: ReplicaTransaction) throws -> ([String: FieldValue], [VoucherLine]) {
        guard let slip = try transaction.document(.slip, id), slip["kind"]?.textValue == "cost_allocation",
              slip["receiver"]?.textValue == org.rawValue else {
            throw NodeError(.notFound, "\(id) is not a cost allocation slip sent to \(org)")
        }
        guard slip["status"]?.textValue == "proposed" else {
            throw NodeError(.wrongState, "slip \(id) is \(slip["status"]?.textValue ?? "?"), not waiting for this unit's decision")
        }
        if let pending = try transaction.pendingReturn(of: id) {
            throw NodeError(.wrongState, "slip \(id) was returned to the centre (\(pending)); wait for its re-issue, or for the centre's refusal of the return")
        }
        guard let lines = try transaction.slipEntries(id, "receiver_entries"), lines.allSatisfy({ $0.account.hasPrefix("\(org.rawValue):") }) else {
            throw NodeError(.invalidValue, "slip \(id) proposes entries that are not this unit's own accounts")
        }
        return (slip, lines)
    }
}
