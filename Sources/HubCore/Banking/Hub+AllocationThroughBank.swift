import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// A fund-centre cashier pays an approved allocation order through the bank (7/7 item 1): instead of paying it at the
    /// bank's counter and recording the advice (`payAllocation`), the order becomes an instruction from its source
    /// account to the branch's expense account, queued for the next `hub bank send`. Nothing is booked yet: when the bank
    /// books it, the order is paid on the bank's booking date, in this cashier's name (the bank journal line, the
    /// voucher, the slip to the branch), exactly as a cashier's payment would be. A rejected instruction leaves the
    /// order approved, with the bank's reason in `hub bank list`; it may then be sent again or paid by hand.
    ///
    /// The controls act here, when the person decides: the cashier's post and separation from the order's preparer
    /// and approver, the source account, a branch that can receive, the available balance.
    /// - Returns: the instruction's end-to-end id, `<order>-<n>` (`n` counts the order's instructions).
    @discardableResult
    public func sendAllocationToBank(_ id: String, cashier: String, date bankDate: BusinessDate? = nil) throws -> String {
        try write { transaction, _ in
            guard let order = try transaction.document(.allocation, id), order["state"]?.textValue == "approved",
                  order["slip"]?.textValue == nil, let branch = order["branch"]?.textValue.flatMap(OrgCode.init),
                  let amount = order["amount"]?.integerValue, let ordered = order["date"]?.textValue.flatMap(BusinessDate.init),
                  let source = order["source_account"]?.textValue, let preparer = order["preparer"]?.textValue,
                  let approver = order["approver"]?.textValue else {
                throw TreasuryError(.wrongState, "allocation order \(id) is not approved and waiting to be paid")
            }
            let earlier = try transaction.bankInstructions(source: "allocation:\(id)")
            if let pending = earlier.first(where: { $0.state != .rejected }) {
                throw TreasuryError(.alreadyDone, "allocation order \(id) is with the bank already as \(pending.endToEndID) (\(pending.state.rawValue))")
            }
            let date = bankDate ?? ordered
            guard date >= ordered else { throw TreasuryError(.invalidValue, "allocation order \(id) is dated \(ordered): it cannot be paid on \(date)") }
            guard let member = try transaction.staffMember(cashier), member.org == org,
                  !member.roles.isDisjoint(with: [.fundCentreCashier, .fundCentreSupervisor]) else {
                throw TreasuryError(.notPermitted, "\(cashier) is not a fund-centre cashier of the hub")
            }
            guard ![preparer, approver].contains(cashier) else { throw LedgerRuleViolation(.segregationOfDuties(person: cashier)) }
            guard let paying = try transaction.account(source, asOf: date), paying.kind == .bank, paying.status == .active else {
                throw TreasuryError(.accountNotUsable, "\(source) is not an active bank account on \(date)")
            }
            if order["kind"]?.textValue != "transfer" { try checkSourceAccount(source, date: date, in: transaction) }
            try checkBranchCanReceive(branch, on: date, in: transaction)
            try CashControls.checkAvailable(source, amount: AmountMinorUnits(amount), available: try transaction.availableBalance(source, through: date))
            // The branch receives allocations on its expense account (DOMAIN.md §3.3): the first active one.
            let receiving = try transaction.accounts(of: branch).filter { $0.kind == .bank }
                .filter { try transaction.accountAttributes($0.id).purpose == "expense" && transaction.account($0.id, asOf: date)?.status == .active }
                .min { $0.id < $1.id }
            guard let receiving else { throw TreasuryError(.accountNotUsable, "\(branch) has no active expense account to receive the allocation") }
            let payer = try transaction.orgUnit(paying.org)?.name ?? paying.name
            let bank = try transaction.document(.account, paying.id)?["bank"]?.textValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            var record = BankInstructionRecord(
                endToEndID: "\(id)-\(earlier.count + 1)", source: "allocation:\(id)", org: paying.org.rawValue, bank: bank,
                debtorAccount: paying.id, debtorName: payer, debtorAgent: nil,
                creditorName: try transaction.orgUnit(branch)?.name ?? branch.rawValue, creditorAccount: receiving.id, creditorAgent: nil,
                amountMinorUnits: amount, currency: paying.currency.code, remittance: "allocation \(id)",
                requestedDate: date.description, createdAtMilliseconds: clock.nowMilliseconds())
            record.requestedBy = cashier
            try transaction.queueBankInstruction(record)
            return record.endToEndID
        }
    }

    /// Books every allocation order whose instruction the bank has booked (one transaction each): paid on the bank's
    /// booking date, with the instruction's end-to-end id as the bank's reference, in the name of the cashier who sent
    /// it. Run after every pass over the bank's files; the query reads only stored state, so a pass that stopped
    /// halfway is completed by the next.
    /// - Returns: the orders paid, with the bank's booking date.
    @discardableResult
    public func settleAllocationsTheBankPaid() throws -> [String: String] {
        var paid: [String: String] = [:]
        for instruction in try write({ transaction, _ in try transaction.allocationsBookedByBank() }) {
            let id = String(instruction.source.dropFirst("allocation:".count))
            guard let date = BusinessDate(instruction.bookedOn ?? instruction.requestedDate), let cashier = instruction.requestedBy else { continue }
            try write { transaction, books in
                // Read again inside the transaction: another pass may have booked it meanwhile.
                guard try transaction.document(.allocation, id)?["state"]?.textValue == "approved" else { return }
                _ = try payAllocation(id, cashier: cashier, date: date, advice: "BANK \(instruction.endToEndID)", bankConfirmed: true,
                                      in: transaction, books: books)
                paid[id] = date.description
            }
        }
        return paid
    }
}
