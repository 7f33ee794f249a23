import ArgumentParser
import BankPayments
import BankStatements
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

/// `fundsync hub bank …`: released payments become instructions to the bank, and the bank's answers come back (7/7).
struct HubBank: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank", abstract: "Send released payments to the bank as pain.001, read its answers, list where each instruction stands.",
        discussion: """
            A bank reached through folders (its front-end machine, 前置机, or by hand) uses one folder: the hub writes \
            each message into FOLDER/outbox/, the bank takes it from there into FOLDER/outbox/taken/, and puts its \
            answers (pain.002, camt.054, camt.052, camt.053) into FOLDER/inbox/. A bank with a host-to-host API is \
            reached over HTTPS with the hub's client certificate, described in a link file (--bank-link, README \
            "Connecting a bank"): {"url": "https://…/v1", "certificate": "…pem", "key": "…key", "trustedCA": "…pem", \
            "bank": "registry bank name"}; a folder link file is {"folder": "…", "bank": "…"}.

            Examples:
              fundsync hub bank send --data hub --bank-folder /srv/fundsync/bank/ccb
              fundsync hub bank receive --data hub --bank-folder /srv/fundsync/bank/ccb
              fundsync hub bank send --data hub --bank-link /etc/fundsync/banks/icbc.json
              fundsync hub bank list --data hub --state sent
              fundsync hub bank resend --data hub --message 340000-M000042-MIQ3K2AB --by 340000-zhoumin
              fundsync hub bank record-booking --data hub --id 340121-P2026-000007 --booked-on 2026-11-03 \\
                --receipt HD20261103-0042 --by 340000-cashier
            """,
        subcommands: [Send.self, Receive.self, List.self, Resend.self, RecordBooking.self])

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every queued instruction, each exactly once; settle first what an interrupted run left undecided.",
            discussion: """
                Examples:
                  fundsync hub bank send --data hub --bank-folder /srv/fundsync/bank/ccb
                  fundsync hub bank send --data hub --bank-folder /srv/fundsync/bank/ccb --pain-version 09 --json
                """)
        @OptionGroup var data: DataOption
        @OptionGroup var link: BankLinkOptions
        @Option(help: "pain.001 version: 03 (001.001.03) or 09 (001.001.09).") var painVersion: String = "03"
        @Option(help: "Instructions per message.") var perMessage: Int = Hub.bankInstructionsPerMessage
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let version: Pain001Version
            switch painVersion {
            case "03", "001.001.03", "pain.001.001.03": version = .v03
            case "09", "001.001.09", "pain.001.001.09": version = .v09
            default: throw ValidationError("--pain-version is 03 or 09")
            }
            guard (1...Pain001Writer.instructionCountMax).contains(perMessage) else {
                throw ValidationError("--per-message is 1 to \(Pain001Writer.instructionCountMax)")
            }
            let hub = try openHub(data.data)
            // Tests only: widen the two dangerous moments so that a random SIGKILL lands in them (BankSendCrashTests).
            let pause = ProcessInfo.processInfo.environment["FUNDSYNC_TEST_BANK_SEND_PAUSE_MS"].flatMap(UInt32.init).map { min($0, 1_000) } ?? 0
            let (bankLink, bank) = try link.open()
            let report = try hub.sendBankInstructions(link: bankLink, bank: bank, version: version,
                                                      perMessage: perMessage, between: { if pause > 0 { usleep(pause * 1_000) } })
            if json { return try printJSON(report) }
            print("sent \(report.instructionsSent) instruction(s) in \(report.delivered.count) message(s)"
                  + (report.delivered.isEmpty ? "" : ": " + report.delivered.joined(separator: ", ")))
            if !report.confirmedDelivered.isEmpty {
                print("the bank already had \(report.confirmedDelivered.joined(separator: ", ")) (an earlier run stopped before recording it): not sent again")
            }
            if !report.requeued.isEmpty { print("the bank never had \(report.requeued.joined(separator: ", ")): its instructions were sent again") }
            for message in report.waiting {
                print("WAITING \(message): nobody can tell whether the bank has it. Ask the bank; if it does not, a fund-centre "
                      + "supervisor signs the resend off: fundsync hub bank resend --message \(message) --by STAFF")
            }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the bank's answers: status reports, booking notices and statements, matched by end-to-end id.",
            discussion: """
                Example:
                  fundsync hub bank receive --data hub --bank-folder /srv/fundsync/bank/ccb
                """)
        @OptionGroup var data: DataOption
        @OptionGroup var link: BankLinkOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let hub = try openHub(data.data)
            let report = try hub.receiveBankFiles(link: try link.open().link)
            if json { return try printJSON(report) }
            print("read \(report.files.count) file(s): \(report.settled.count) settled, \(report.rejected.count) rejected, "
                  + "\(report.statements.count) statement(s)")
            for (id, day) in report.settled.sorted(by: { $0.key < $1.key }) { print("  settled \(id) on \(day)") }
            for (id, day) in report.allocations.sorted(by: { $0.key < $1.key }) {
                print("  allocation \(id) paid by the bank on \(day): booked, its slip goes to the branch with the next export")
            }
            for (id, outcome) in report.payments.sorted(by: { $0.key < $1.key }) {
                print("  payment \(id) \(outcome)" + (outcome.hasPrefix("paid") ? ": its unit books it on that day" : ": its unit sees the bank's reason"))
            }
            for (id, reason) in report.rejected.sorted(by: { $0.key < $1.key }) { print("  REJECTED \(id): \(reason)") }
            for id in report.unknown { print("  the bank answered about \(id), which the hub never sent: set aside, check with the bank") }
            for (file, reason) in report.refused.sorted(by: { $0.key < $1.key }) { print("  refused \(file) (kept in inbox/refused/): \(reason)") }
            if !report.refused.isEmpty || !report.unknown.isEmpty { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every instruction to the bank and where it stands; sent and unconfirmed ones with their age.",
            discussion: """
                Examples:
                  fundsync hub bank list --data hub
                  fundsync hub bank list --data hub --state sent --json
                """)
        @OptionGroup var data: DataOption
        @Option(help: "Only instructions in this state (queued, sending, sent, accepted, settled, rejected).") var state: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let filter = try state.map { name in
                guard let state = BankInstructionState(rawValue: name) else {
                    throw ValidationError("--state is one of \(BankInstructionState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
            let hub = try openHub(data.data)
            let records = try hub.storage.bankInstructions(state: filter)
            if json { return try printJSON(records) }
            if records.isEmpty { return print("no instructions" + (state.map { " in state \($0)" } ?? "")) }
            let now = SystemClock().nowMilliseconds()
            for record in records {
                let amount = StatementSummary.text(record.amountMinorUnits, digits: CurrencyCode(record.currency)?.minorUnitDigits ?? 2)
                var line = "\(record.endToEndID) \(record.state.rawValue) \(amount) \(record.currency) from \(record.debtorAccount) to "
                    + "\(record.creditorName) (\(record.creditorAccount))"
                if record.state == .sent, let sent = record.sentAtMilliseconds {
                    line += ", sent \(max(0, now - sent) / 3_600_000) h ago, unconfirmed"
                }
                if let booked = record.bookedOn { line += ", booked by the bank on \(booked)" }
                if let reason = record.reason { line += ": \(reason)" }
                print(line)
            }
        }
    }

    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A fund-centre supervisor signs off sending again a message whose delivery nobody can tell.",
            discussion: """
                Ask the bank first: a bank that has the message may pay its instructions twice.

                Example:
                  fundsync hub bank resend --data hub --message 340000-M000042-MIQ3K2AB --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The waiting message.") var message: String
        @Option(help: "The fund-centre supervisor signing it off.") var by: String

        func run() throws {
            try openHub(data.data).approveBankResend(message: message, by: by)
            print("the instructions of \(message) go again with the next `hub bank send`, signed off by \(by)")
        }
    }

    struct RecordBooking: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-booking",
            abstract: "A fund-centre cashier records a booking the bank made, from its receipt (电子回单), when no answer will come.",
            discussion: """
                For a bank without a link, or an answer lost for good. The instruction is settled on the bank's \
                booking date, never sent afterwards, and the payment's unit books it on that date.

                Example:
                  fundsync hub bank record-booking --data hub --id 340121-P2026-000007 --booked-on 2026-11-03 \\
                    --receipt HD20261103-0042 --by 340000-cashier
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The instruction's end-to-end id (the payment's id).") var id: String
        @Option(help: "The bank's booking date, as its receipt says.") var bookedOn: BusinessDate
        @Option(help: "The receipt's reference (回单编号).") var receipt: String
        @Option(help: "The fund-centre cashier or supervisor recording it.") var by: String

        func run() throws {
            try openHub(data.data).recordBankBooking(of: id, bookedOn: bookedOn, by: by, receipt: receipt)
            print("\(id) booked by the bank on \(bookedOn) (receipt \(receipt)), recorded by \(by): its unit books it on that date")
        }
    }
}
