import Foundation
import GRDB
import LedgerCore

/// Where an instruction to the bank stands (7/7). It only moves forwards: `queued` → `sending` → `sent` → `accepted` →
/// `settled`, or to `rejected`; the one step back is `sending` → `queued`, when the bank says it does not know the
/// instruction after an uncertain delivery (or a person signs a resend off).
public enum BankInstructionState: String, Codable, Sendable, CaseIterable {
    /// Created at release; not yet in any message.
    case queued
    /// In a message whose delivery is not known to have succeeded (the sender stopped between writing and recording
    /// it): never sent again until the bank says it does not know it.
    case sending
    /// The bank has the message; no answer yet ("sent, unconfirmed", with its age).
    case sent
    /// The bank will execute it (pain.002 accepted or pending).
    case accepted
    /// The bank booked it: the money left, on ``BankInstructionRecord/bookedOn``.
    case settled
    /// The bank will not pay it; ``BankInstructionRecord/reason`` says why.
    case rejected

    /// The order states move in; an answer never moves an instruction back.
    var rank: Int {
        switch self {
        case .queued: 0
        case .sending: 1
        case .sent: 2
        case .accepted: 3
        case .settled, .rejected: 4
        }
    }
}

/// One instruction to a bank: what to pay, from where to whom, and where it stands.
public struct BankInstructionRecord: Codable, Sendable, Equatable {
    /// The instruction's identity towards the bank (the payment document's id).
    public var endToEndID: String
    /// What it pays: `payment:<id>`.
    public var source: String
    /// The unit whose account pays.
    public var org: String
    /// The bank it goes to (the paying account's bank, as the registry names it): one message per bank.
    public var bank: String
    public var debtorAccount: String
    public var debtorName: String
    /// The paying bank's CNAPS number or BIC, when the registry knows it.
    public var debtorAgent: String?
    public var creditorName: String
    public var creditorAccount: String
    public var creditorAgent: String?
    public var amountMinorUnits: Int64
    public var currency: String
    public var remittance: String
    public var requestedDate: String
    public var state: BankInstructionState
    public var messageID: String?
    public var createdAtMilliseconds: Int64
    public var sentAtMilliseconds: Int64?
    public var answeredAtMilliseconds: Int64?
    /// The bank's ISO status code of its last answer.
    public var statusCode: String?
    /// The bank's reason, for a rejection.
    public var reason: String?
    /// The bank's booking date, once settled.
    public var bookedOn: String?
    /// Who signed off a resend after an uncertain delivery.
    public var resendApprovedBy: String?
    /// Who sent it, when a person did rather than a release (an allocation order's cashier): the booking made when
    /// the bank confirms it is in their name.
    public var requestedBy: String?

    public init(endToEndID: String, source: String, org: String, bank: String, debtorAccount: String, debtorName: String,
                debtorAgent: String?, creditorName: String, creditorAccount: String, creditorAgent: String?, amountMinorUnits: Int64,
                currency: String, remittance: String, requestedDate: String, createdAtMilliseconds: Int64) {
        self.endToEndID = endToEndID
        self.source = source
        self.org = org
        self.bank = bank
        self.debtorAccount = debtorAccount
        self.debtorName = debtorName
        self.debtorAgent = debtorAgent
        self.creditorName = creditorName
        self.creditorAccount = creditorAccount
        self.creditorAgent = creditorAgent
        self.amountMinorUnits = amountMinorUnits
        self.currency = currency
        self.remittance = remittance
        self.requestedDate = requestedDate
        self.state = .queued
        self.createdAtMilliseconds = createdAtMilliseconds
    }

    init(_ row: Row) {
        endToEndID = row["end_to_end_id"]
        source = row["source"]
        org = row["org"]
        bank = row["bank"]
        debtorAccount = row["debtor_account"]
        debtorName = row["debtor_name"]
        debtorAgent = row["debtor_agent"]
        creditorName = row["creditor_name"]
        creditorAccount = row["creditor_account"]
        creditorAgent = row["creditor_agent"]
        amountMinorUnits = row["amount"]
        currency = row["currency"]
        remittance = row["remittance"]
        requestedDate = row["requested_date"]
        state = BankInstructionState(rawValue: row["state"]) ?? .sending  // an unknown state is never taken as sendable
        messageID = row["message_id"]
        createdAtMilliseconds = row["created_at_ms"]
        sentAtMilliseconds = row["sent_at_ms"]
        answeredAtMilliseconds = row["answered_at_ms"]
        statusCode = row["status_code"]
        reason = row["reason"]
        bookedOn = row["booked_on"]
        resendApprovedBy = row["resend_approved_by"]
        requestedBy = row.hasColumn("requested_by") ? row["requested_by"] : nil
    }
}

/// A message written for a bank whose delivery is not recorded yet.
public struct UndeliveredBankMessage: Sendable {
    public var id: String
    public var bank: String
    public var version: String
    public var bytes: Data
    public var endToEndIDs: [String]
}

extension ReplicaTransaction {
    /// Queues an instruction in the same transaction as the decision that makes it (a release): the instruction
    /// exists exactly when the decision does.
    /// - Throws: when an instruction of that end-to-end id exists (a payment is released once).
    public func queueBankInstruction(_ record: BankInstructionRecord) throws {
        try db.execute(sql: """
            INSERT INTO bank_instruction (end_to_end_id, source, org, bank, debtor_account, debtor_name, debtor_agent, creditor_name,
                creditor_account, creditor_agent, amount, currency, remittance, requested_date, state, created_at_ms, requested_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
            """, arguments: [record.endToEndID, record.source, record.org, record.bank, record.debtorAccount, record.debtorName,
                             record.debtorAgent, record.creditorName, record.creditorAccount, record.creditorAgent, record.amountMinorUnits,
                             record.currency, record.remittance, record.requestedDate, record.createdAtMilliseconds, record.requestedBy])
    }

    /// Every instruction made for `source` (`payment:<id>`, `allocation:<id>`), oldest first.
    public func bankInstructions(source: String) throws -> [BankInstructionRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM bank_instruction WHERE source = ? ORDER BY created_at_ms, end_to_end_id",
                         arguments: [source]).map(BankInstructionRecord.init)
    }

    /// The allocation orders still `approved` and unpaid whose instruction the bank has booked (7/7): the hub books
    /// their payment now, on the bank's booking date, in the name of the cashier who sent it.
    public func allocationsBookedByBank() throws -> [BankInstructionRecord] {
        try Row.fetchAll(db, sql: """
            SELECT i.* FROM allocation a JOIN bank_instruction i ON i.source = 'allocation:' || a.id
            WHERE a.state = 'approved' AND a.slip IS NULL AND i.state = 'settled' ORDER BY a.id
            """).map(BankInstructionRecord.init)
    }
}

extension ReplicaStore {
    /// Every instruction (in `state` when given), oldest first.
    public func bankInstructions(state: BankInstructionState? = nil) throws -> [BankInstructionRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bank_instruction WHERE ?1 IS NULL OR state = ?1 ORDER BY created_at_ms, end_to_end_id",
                             arguments: [state?.rawValue]).map(BankInstructionRecord.init)
        }
    }

    /// How many instructions are in each state, and when the oldest one handed to a bank and not yet answered for good
    /// (`sending`, `sent`, `accepted`) was sent (or claimed): what the metrics and an alert read.
    public func bankInstructionSummary() throws -> (counts: [String: Int], oldestUnconfirmedSentMilliseconds: Int64?) {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM bank_instruction GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            let oldest = try Int64.fetchOne(db, sql: """
                SELECT MIN(COALESCE(sent_at_ms, created_at_ms)) FROM bank_instruction WHERE state IN ('sending', 'sent', 'accepted')
                """)
            return (counts, oldest)
        }
    }

    /// One instruction.
    public func bankInstruction(_ endToEndID: String) throws -> BankInstructionRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM bank_instruction WHERE end_to_end_id = ?", arguments: [endToEndID]).map(BankInstructionRecord.init)
        }
    }

    /// Claims up to `limit` queued instructions of `bank`, builds their message with `write` and records it, in one
    /// transaction: afterwards the instructions are `sending` in the message and the message's bytes are stored, so
    /// whatever happens to the delivery the same bytes are what the bank may have, and nothing is claimed twice.
    /// - Returns: the message, or `nil` when nothing of `bank` is queued.
    /// - Parameter messagePrefix: the message id is this prefix, the next message number (six digits at least), `-`,
    ///   and the claim's time in milliseconds in base 36 (upper case): `340000-M000005-MIQ3K2AB`. The time keeps ids
    ///   unique towards the bank even when the hub is restored from a backup and counts its messages again (a bank
    ///   refuses a message id it has seen, and must never take a new message for an old one).
    public func claimBankInstructions(bank: String, messagePrefix: String, version: String, limit: Int, atMilliseconds: Int64,
                                      write: (_ messageID: String, [BankInstructionRecord]) throws -> Data) throws -> UndeliveredBankMessage? {
        try writeTransaction { db in
            let number = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bank_message") ?? 0) + 1
            let digits = String(number)
            let messageID = messagePrefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "-"
                + String(max(0, atMilliseconds), radix: 36).uppercased()
            let claimed = try Row.fetchAll(db, sql: """
                SELECT * FROM bank_instruction WHERE state = 'queued' AND bank = ? ORDER BY created_at_ms, end_to_end_id LIMIT ?
                """, arguments: [bank, limit]).map(BankInstructionRecord.init)
            guard !claimed.isEmpty else { return nil }
            let bytes = try write(messageID, claimed)
            try db.execute(sql: """
                INSERT INTO bank_message (id, bank, version, bytes, state, created_at_ms) VALUES (?, ?, ?, ?, 'sending', ?)
                """, arguments: [messageID, bank, version, bytes, atMilliseconds])
            for record in claimed {
                try db.execute(sql: "UPDATE bank_instruction SET state = 'sending', message_id = ? WHERE end_to_end_id = ? AND state = 'queued'",
                               arguments: [messageID, record.endToEndID])
            }
            return UndeliveredBankMessage(id: messageID, bank: bank, version: version, bytes: bytes, endToEndIDs: claimed.map(\.endToEndID))
        }
    }

    /// Records that the bank has `messageID`: its instructions still `sending` become `sent`.
    public func markBankMessageDelivered(_ messageID: String, atMilliseconds: Int64) throws {
        try writeTransaction { db in
            try db.execute(sql: "UPDATE bank_message SET state = 'delivered', delivered_at_ms = ? WHERE id = ? AND state = 'sending'",
                           arguments: [atMilliseconds, messageID])
            try db.execute(sql: "UPDATE bank_instruction SET state = 'sent', sent_at_ms = ? WHERE message_id = ? AND state = 'sending'",
                           arguments: [atMilliseconds, messageID])
        }
    }

    /// Messages written and not recorded as delivered: after a crash, the sender must find out what the bank has.
    public func undeliveredBankMessages() throws -> [UndeliveredBankMessage] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, bank, version, bytes FROM bank_message WHERE state = 'sending' ORDER BY created_at_ms, id").map { row in
                let id: String = row["id"]
                let ids = try String.fetchAll(db, sql: "SELECT end_to_end_id FROM bank_instruction WHERE message_id = ? ORDER BY end_to_end_id",
                                              arguments: [id])
                return UndeliveredBankMessage(id: id, bank: row["bank"], version: row["version"], bytes: row["bytes"], endToEndIDs: ids)
            }
        }
    }

    /// The bank said it does not know any instruction of `messageID` (or a person signed the resend off, `approvedBy`):
    /// the message is abandoned and its instructions still `sending` are queued again, for a new message.
    public func requeueUndeliveredMessage(_ messageID: String, approvedBy: String?) throws {
        try writeTransaction { db in
            try db.execute(sql: "UPDATE bank_message SET state = 'abandoned' WHERE id = ? AND state = 'sending'", arguments: [messageID])
            try db.execute(sql: """
                UPDATE bank_instruction SET state = 'queued', message_id = NULL, resend_approved_by = COALESCE(?, resend_approved_by)
                WHERE message_id = ? AND state = 'sending'
                """, arguments: [approvedBy, messageID])
        }
    }

    /// Records the bank's answer about one instruction. An answer never moves an instruction back (a late `pending`
    /// after `settled` is kept as it was), and an answer about an id the hub never sent is not applied.
    /// - Returns: the instruction as it stands afterwards, or `nil` when the hub has no such instruction.
    @discardableResult
    public func recordBankAnswer(_ endToEndID: String, state: BankInstructionState, statusCode: String, reason: String?,
                                 bookedOn: String?, atMilliseconds: Int64) throws -> BankInstructionRecord? {
        try recordBankAnswers([BankAnswer(endToEndID: endToEndID, state: state, statusCode: statusCode, reason: reason, bookedOn: bookedOn)],
                              atMilliseconds: atMilliseconds)[0]
    }

    /// Records many answers of one bank file in one transaction (a status report of thousands of instructions is one
    /// fsync, not thousands), each as ``recordBankAnswer(_:state:statusCode:reason:bookedOn:atMilliseconds:)`` would.
    /// - Returns: each instruction as it stands afterwards, `nil` for an id the hub never sent; in the order given.
    public func recordBankAnswers(_ answers: [BankAnswer], atMilliseconds: Int64) throws -> [BankInstructionRecord?] {
        try writeTransaction { db in
            try answers.map { answer in
                try Self.record(answer.endToEndID, state: answer.state, statusCode: answer.statusCode, reason: answer.reason,
                                bookedOn: answer.bookedOn, atMilliseconds: atMilliseconds, in: db)
            }
        }
    }

    static func record(_ endToEndID: String, state: BankInstructionState, statusCode: String, reason: String?, bookedOn: String?,
                       atMilliseconds: Int64, in db: Database) throws -> BankInstructionRecord? {
        let select = "SELECT * FROM bank_instruction WHERE end_to_end_id = ?"
        guard let current = try Row.fetchOne(db, sql: select, arguments: [endToEndID]).map(BankInstructionRecord.init) else { return nil }
        // An answer means the bank has it, whatever the sender recorded.
        if current.state == .queued || current.state == .sending || state.rank > current.state.rank
            || (state == .settled && current.state == .settled && current.bookedOn == nil) {
            let next = state.rank >= current.state.rank ? state : current.state
            try db.execute(sql: """
                UPDATE bank_instruction SET state = ?, status_code = ?, reason = COALESCE(?, reason), booked_on = COALESCE(?, booked_on),
                    answered_at_ms = ?, sent_at_ms = COALESCE(sent_at_ms, ?)
                WHERE end_to_end_id = ?
                """, arguments: [next.rawValue, statusCode, reason, bookedOn, atMilliseconds, atMilliseconds, endToEndID])
        }
        return try Row.fetchOne(db, sql: select, arguments: [endToEndID]).map(BankInstructionRecord.init)
    }
}

/// One answer of a bank about one instruction.
public struct BankAnswer: Sendable, Equatable {
    public var endToEndID: String
    public var state: BankInstructionState
    public var statusCode: String
    public var reason: String?
    public var bookedOn: String?

    public init(endToEndID: String, state: BankInstructionState, statusCode: String, reason: String?, bookedOn: String?) {
        self.endToEndID = endToEndID
        self.state = state
        self.statusCode = statusCode
        self.reason = reason
        self.bookedOn = bookedOn
    }
}

/// What the bank did with one instruction of a released payment.
public struct PaymentInstructionOutcome: Sendable, Equatable {
    public var endToEndID: String
    public var bank: String
    public var state: BankInstructionState
    public var amountMinorUnits: Int64
    public var creditorName: String
    public var creditorAccount: String
    public var requestedDate: String
    public var bookedOn: String?
    public var reason: String?
    public var statusCode: String?
}

extension ReplicaTransaction {
    /// The instructions of every released payment whose instructions the bank has all answered for good (each
    /// `settled` or `rejected`), by payment (7/7): the hub then writes the payment's `paid` or `returned`. Read inside the
    /// transaction that writes them, so a payment is decided once even when two passes over the bank's files overlap.
    /// Walks the released payments (those with the bank: few), not the instructions (every one ever paid).
    public func paymentsTheBankAnswered() throws -> [String: [PaymentInstructionOutcome]] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT p.id AS payment, i.* FROM payment p JOIN bank_instruction i ON i.source = 'payment:' || p.id
            WHERE p.state = 'released' ORDER BY p.id, i.end_to_end_id
            """)
        var outcomes: [String: [PaymentInstructionOutcome]] = [:]
        for row in rows {
            let record = BankInstructionRecord(row)
            outcomes[row["payment"], default: []].append(PaymentInstructionOutcome(
                endToEndID: record.endToEndID, bank: record.bank, state: record.state, amountMinorUnits: record.amountMinorUnits,
                creditorName: record.creditorName, creditorAccount: record.creditorAccount, requestedDate: record.requestedDate,
                bookedOn: record.bookedOn, reason: record.reason, statusCode: record.statusCode))
        }
        return outcomes.filter { $0.value.allSatisfy { $0.state == .settled || $0.state == .rejected } }
    }
}

extension ReplicaTransaction {
    /// The recipients of batch payment `id` (代发), read from the row's JSON text; `nil` for an ordinary payment.
    /// - Throws: ``LedgerRuleViolation`` when the stored list does not read (it was checked when it was written).
    public func paymentRecipients(_ id: String) throws -> [PaymentRecipient]? {
        guard let text = try String.fetchOne(db, sql: "SELECT recipients FROM payment WHERE id = ?", arguments: [id]) else { return nil }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw LedgerRuleViolation.malformed("the recipients of payment \(id) do not read as a list")
        }
        return try PaymentRecipients.read(.list(parsed.map { item in
            .record(item.mapValues { value -> FieldValue in
                if let text = value as? String { return .text(text) }
                if let number = value as? NSNumber { return .integer(number.int64Value) }
                return .null
            })
        }))
    }
}
