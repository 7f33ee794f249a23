import BankPayments
import Foundation
import LedgerCore
import ReplicaStore

/// What one run of the sender did.
public struct BankSendReport: Codable, Sendable, Equatable {
    /// Messages delivered now, by id.
    public var delivered: [String] = []
    /// Instructions in them.
    public var instructionsSent = 0
    /// Messages of an earlier run whose delivery was not recorded, which the bank turned out to have.
    public var confirmedDelivered: [String] = []
    /// Such messages the bank certainly does not have: their instructions are queued again, for a new message.
    public var requeued: [String] = []
    /// Such messages nobody can tell about: their instructions wait for the bank's answer or a supervisor's sign-off
    /// (`hub bank resend`), and are never sent again by themselves.
    public var waiting: [String] = []

    public init() {}
}

extension Hub {
    /// Instructions per pain.001 message.
    public static let bankInstructionsPerMessage = 1_000

    /// Sends every queued instruction to its bank, exactly once (7/7 item 4, DECISIONS "never paid twice and never
    /// lost").
    ///
    /// First, every message an earlier run wrote without recording its delivery (the process stopped in between) is
    /// settled by asking the link what the bank knows: delivered if it has it, queued again only if it certainly does
    /// not, left waiting otherwise. Then each bank's queued instructions are claimed into messages, the message's bytes
    /// stored with the claim in one transaction, delivered, and the delivery recorded. A stop at any point leaves each
    /// instruction either queued (not in any message), or in exactly one stored message whose delivery the next run
    /// settles: an instruction is never in two messages unless the bank said it does not know the first or a person
    /// signed the resend off.
    /// - Parameter between: called after a message is stored and before it is delivered, and after it is delivered and
    ///   before that is recorded: the two moments a stop is dangerous. Tests widen them to kill the sender there.
    /// - Parameter bank: only the instructions to this bank (the registry's bank name of the paying accounts), when the
    ///   link reaches one bank of several; `nil`: every bank's, over this one link.
    public func sendBankInstructions(link: any BankLink, bank only: String? = nil, version: Pain001Version = .v03,
                                     perMessage: Int = Hub.bankInstructionsPerMessage,
                                     between: () -> Void = {}) throws -> BankSendReport {
        var report = BankSendReport()
        for message in try storage.undeliveredBankMessages() where only == nil || message.bank == only {
            let pending = try message.endToEndIDs.filter { try storage.bankInstruction($0)?.state == .sending }
            if pending.isEmpty {
                // The bank answered for every instruction of it: it has the message.
                try storage.markBankMessageDelivered(message.id, atMilliseconds: clock.nowMilliseconds())
                report.confirmedDelivered.append(message.id)
                continue
            }
            let knowledge = try link.knowledge(of: pending, messageName: message.id, bytes: message.bytes)
            if pending.allSatisfy({ knowledge[$0] == .knows }) {
                try storage.markBankMessageDelivered(message.id, atMilliseconds: clock.nowMilliseconds())
                report.confirmedDelivered.append(message.id)
            } else if pending.allSatisfy({ knowledge[$0] == .doesNotKnow }) {
                try storage.requeueUndeliveredMessage(message.id, approvedBy: nil)
                report.requeued.append(message.id)
            } else {
                report.waiting.append(message.id)
            }
        }
        let banks = Set(try storage.bankInstructions(state: .queued).map(\.bank)).filter { only == nil || $0 == only }.sorted()
        let initiatingParty = try store.read { try $0.orgUnit(org)?.name } ?? org.rawValue
        for bank in banks {
            while let message = try storage.claimBankInstructions(
                bank: bank, messagePrefix: "\(org.rawValue)-M", version: version.rawValue, limit: perMessage,
                atMilliseconds: clock.nowMilliseconds(), write: { id, records in
                    Data(try Pain001Writer.write(Self.paymentMessage(id: id, records: records, initiatingParty: initiatingParty,
                                                                     at: clock.nowMilliseconds()), version: version))
                }) {
                between()
                try link.deliver(message.bytes, name: message.id)
                between()
                try storage.markBankMessageDelivered(message.id, atMilliseconds: clock.nowMilliseconds())
                report.delivered.append(message.id)
                report.instructionsSent += message.endToEndIDs.count
            }
        }
        return report
    }

    /// A fund-centre supervisor signs off sending again the instructions of `message`, whose delivery nobody can tell
    /// (DECISIONS: a resend after an uncertain outcome needs the bank to say it does not know the id, or a person).
    /// The person should have asked the bank first: a bank that already has the message may pay twice.
    public func approveBankResend(message: String, by staff: String) throws {
        guard let member = try store.read({ try $0.staffMember(staff) }), member.org == org, member.roles.contains(.fundCentreSupervisor) else {
            throw TreasuryError(.notPermitted, "only a fund-centre supervisor may sign off sending instructions again")
        }
        guard try storage.undeliveredBankMessages().contains(where: { $0.id == message }) else {
            throw TreasuryError(.notFound, "message \(message) is not waiting: it was delivered, queued again, or never written")
        }
        try storage.requeueUndeliveredMessage(message, approvedBy: staff)
    }
}
