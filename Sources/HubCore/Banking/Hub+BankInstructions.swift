import BankPayments
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// The instructions that pay a released payment (7/7 item 1), built from the payment document and the registry:
    /// the paying account and its unit, the payee and the payee's account, the amount, the purpose. An ordinary
    /// payment is one instruction whose end-to-end id is the payment's id, so every answer of the bank finds the payment
    /// again. A batch payment (代发, item 5) is one instruction per person, end-to-end id `<payment id>-<nnnn>` (the
    /// person's position in the list), all with the payment as their source.
    ///
    /// Each is checked as a pain.001 would be (lengths, characters, amount) before it is queued, so a payment the bank
    /// could never be sent is refused at its release, not discovered in a failed batch.
    func bankInstructions(payment id: String, fields: [String: FieldValue], paying: AccountRecord, date: BusinessDate,
                          in transaction: ReplicaTransaction) throws -> [BankInstructionRecord] {
        let reader = FieldReader(fields, context: "payment \(id)")
        let unit = try transaction.orgUnit(paying.org)
        let bank = try transaction.document(.account, paying.id)?["bank"]?.textValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let purpose = try reader.optionalText("purpose") ?? id
        func instruction(_ endToEndID: String, name: String, account: String, amount: Int64, remittance: String) -> BankInstructionRecord {
            BankInstructionRecord(
                endToEndID: endToEndID, source: "payment:\(id)", org: paying.org.rawValue, bank: bank, debtorAccount: paying.id,
                debtorName: unit?.name ?? paying.name, debtorAgent: nil, creditorName: name, creditorAccount: account, creditorAgent: nil,
                amountMinorUnits: amount, currency: paying.currency.code, remittance: String(remittance.unicodeScalars.prefix(140)),
                requestedDate: date.description, createdAtMilliseconds: clock.nowMilliseconds())
        }
        let records: [BankInstructionRecord]
        if let recipients = try transaction.paymentRecipients(id) {
            records = recipients.enumerated().map { index, person in
                let number = String(index + 1)
                return instruction("\(id)-" + String(repeating: "0", count: max(0, 4 - number.count)) + number, name: person.name,
                                   account: person.account, amount: person.amount.value,
                                   remittance: person.memo.map { "\(purpose) \($0)" } ?? purpose)
            }
        } else {
            records = [instruction(id, name: try reader.text("payee"), account: try reader.text("payee_account"),
                                   amount: try reader.integer("amount"), remittance: purpose)]
        }
        do {
            _ = try Pain001Writer.write(Self.paymentMessage(id: "check", records: records, initiatingParty: "check", at: 0), version: .v09)
        } catch {
            throw TreasuryError(.invalidValue, "payment \(id) cannot be sent to the bank: \(error.description)")
        }
        return records
    }

    /// The pain.001 message of `records` (one bank's): one group per paying account and execution day.
    static func paymentMessage(id: String, records: [BankInstructionRecord], initiatingParty: String, at milliseconds: Int64) -> PaymentMessage {
        var groups: [PaymentGroup] = []
        for record in records {
            let instruction = PaymentInstruction(
                endToEndID: record.endToEndID, amount: AmountMinorUnits(record.amountMinorUnits), currency: CurrencyCode(record.currency) ?? .cny,
                creditor: PaymentParty(name: record.creditorName, account: PaymentAccount(record.creditorAccount), agent: agent(record.creditorAgent)),
                remittance: record.remittance)
            let date = BusinessDate(record.requestedDate) ?? BusinessDate("1970-01-01")!
            if let index = groups.firstIndex(where: { $0.debtor.account.number == record.debtorAccount && $0.requestedExecutionDate == date }) {
                groups[index].instructions.append(instruction)
            } else {
                groups.append(PaymentGroup(id: "\(id)-\(groups.count + 1)",
                                           debtor: PaymentParty(name: record.debtorName, account: PaymentAccount(record.debtorAccount),
                                                                agent: agent(record.debtorAgent)),
                                           requestedExecutionDate: date, instructions: [instruction]))
            }
        }
        return PaymentMessage(id: id, createdAtMilliseconds: milliseconds, initiatingParty: initiatingParty, groups: groups)
    }

    /// A registry bank code: 12 digits are a CNAPS number, 8 or 11 letters and digits a BIC.
    static func agent(_ code: String?) -> PaymentAgent {
        guard let code, !code.isEmpty else { return .notProvided }
        if code.utf8.count == 12, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return .cnaps(code) }
        return .bic(code)
    }
}
