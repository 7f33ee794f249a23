import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Tells each branch what the bank did with its payments (7/7 item 2), once the bank has answered for good for
    /// every instruction of a payment (each settled or rejected), in one transaction for all of them:
    /// - something was paid: `released → paid`, dated on the bank's (latest) booking date; the branch books it then. A
    ///   batch payment (代发) of which the bank paid only some people carries the `amount` it paid, and its reason names
    ///   each person the bank returned, with the bank's reason;
    /// - nothing was paid: `released → returned`, dated on the requested execution day (the day the money was to
    ///   leave and did not), with the bank's reason, so the county that entered it sees why.
    ///
    /// Run after every pass over the bank's files and after a cashier records a booking; a pass that stopped halfway is
    /// completed by the next, since the query reads only stored state. An answer that arrives later (a late
    /// rejection after a booking) never undoes what was decided: an instruction only moves forwards.
    /// - Returns: the payments decided, with their new state and date (`paid 2026-11-03`, `returned 2026-11-02`).
    @discardableResult
    public func settlePaymentsTheBankAnswered() throws -> [String: String] {
        try write { transaction, _ in
            var decided: [String: String] = [:]
            for (payment, outcomes) in try transaction.paymentsTheBankAnswered().sorted(by: { $0.key < $1.key }) {
                let paid = outcomes.filter { $0.state == .settled }, returned = outcomes.filter { $0.state == .rejected }
                let bank = outcomes.first?.bank ?? "default"
                let batch = outcomes.count > 1 || outcomes.first?.endToEndID != payment
                func why(_ outcome: PaymentInstructionOutcome) -> String { outcome.reason ?? outcome.statusCode ?? "no reason given" }
                let names = returned.map { "\($0.creditorName) (\($0.creditorAccount)) \(AmountMinorUnits($0.amountMinorUnits)): \(why($0))" }
                if paid.isEmpty {
                    guard let date = outcomes.compactMap({ BusinessDate($0.requestedDate) }).min() else { continue }
                    let reason = batch ? "the bank returned all \(outcomes.count) (\(bank)): " + names.joined(separator: "; ")
                        : "the bank returned it (\(bank)): \(why(returned[0]))"
                    _ = try transaction.appendTransition(.payment, payment, to: "returned", actor: DocumentSigning.softwareActor,
                                                         reason: reason, byHub: true, date: date)
                    decided[payment] = "returned \(date)"
                } else {
                    guard let date = paid.compactMap({ BusinessDate($0.bookedOn ?? $0.requestedDate) }).max() else { continue }
                    var total: Int64 = 0
                    for outcome in paid { total = total.addingReportingOverflow(outcome.amountMinorUnits).partialValue }
                    var reason = "booked by the bank (\(bank)) on \(date)"
                    var extra: [String: FieldValue] = [:]
                    if !returned.isEmpty {
                        reason += "; \(paid.count) of \(outcomes.count) paid, \(AmountMinorUnits(total)); returned: " + names.joined(separator: "; ")
                        extra["amount"] = .integer(total)
                    }
                    _ = try transaction.appendTransition(.payment, payment, to: "paid", actor: DocumentSigning.softwareActor,
                                                         reason: reason, byHub: true, date: date, extra: extra)
                    decided[payment] = "paid \(date)"
                }
            }
            return decided
        }
    }

    /// A fund-centre cashier (or the supervisor) records a booking the bank made, read from the bank's receipt (电子回单),
    /// for an account whose bank has no link or whose answer will not come: the instruction is settled on `bookedOn`
    /// with who recorded it and the receipt's reference, is never sent afterwards if it was still queued, and its
    /// payment is marked paid. An instruction the bank rejected, or already booked, is refused with the reason.
    public func recordBankBooking(of endToEndID: String, bookedOn: BusinessDate, by staff: String, receipt: String) throws {
        let receipt = receipt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !receipt.isEmpty else { throw TreasuryError(.invalidValue, "name the bank's receipt (--receipt): it is what the booking rests on") }
        guard let member = try store.read({ try $0.staffMember(staff) }), member.org == org,
              !member.roles.isDisjoint(with: [.fundCentreCashier, .fundCentreSupervisor]) else {
            throw TreasuryError(.notPermitted, "\(staff) is neither a fund-centre cashier nor the supervisor")
        }
        guard let instruction = try storage.bankInstruction(endToEndID) else {
            throw TreasuryError(.notFound, "no instruction to the bank has the end-to-end id \(endToEndID)")
        }
        switch instruction.state {
        case .rejected:
            throw TreasuryError(.wrongState, "the bank rejected \(endToEndID) (\(instruction.reason ?? instruction.statusCode ?? "")): it did not pay it")
        case .settled:
            throw TreasuryError(.wrongState, "\(endToEndID) is already booked by the bank on \(instruction.bookedOn ?? instruction.requestedDate)")
        case .queued, .sending, .sent, .accepted:
            break
        }
        guard let requested = BusinessDate(instruction.requestedDate), bookedOn >= requested else {
            throw TreasuryError(.invalidValue, "\(endToEndID) was released for \(instruction.requestedDate): the bank cannot have booked it on \(bookedOn)")
        }
        try storage.recordBankAnswer(endToEndID, state: .settled, statusCode: "BOOK", reason: "recorded by \(staff) from the bank's receipt \(receipt)",
                                     bookedOn: bookedOn.description, atMilliseconds: clock.nowMilliseconds())
        try settlePaymentsTheBankAnswered()
    }
}
