import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Tells each branch that the bank has paid its payments (7/7 item 2): every released payment whose instruction is
    /// settled moves `released → paid`, dated on the bank's booking date, and the branch books it on that date (PROTOCOL
    /// §6.18). One transaction for all of them. Run after every pass over the bank's files and after a cashier records
    /// a booking; a pass that stopped halfway is completed by the next, since the query reads only stored state.
    /// - Returns: the payments marked paid, with the bank's booking date.
    @discardableResult
    public func markPaymentsTheBankPaid() throws -> [String: String] {
        try write { transaction, _ in
            var paid: [String: String] = [:]
            for booked in try transaction.paymentsBookedByBank() {
                guard let date = BusinessDate(booked.bookedOn) else { continue }
                _ = try transaction.appendTransition(.payment, booked.payment, to: "paid", actor: DocumentSigning.softwareActor,
                                                     reason: "booked by the bank (\(booked.bank)) on \(date)", byHub: true, date: date)
                paid[booked.payment] = date.description
            }
            return paid
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
        try markPaymentsTheBankPaid()
    }
}
