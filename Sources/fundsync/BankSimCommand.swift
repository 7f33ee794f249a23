import ArgumentParser
import Foundation
import LedgerCore
import Logging
import SimulatedBank

/// `fundsync bank-sim`: the simulated bank on a bank folder (7/7), for the demo and for trying a fund centre's set-up
/// before a real bank is connected. It takes the hub's pain.001 from FOLDER/outbox/ and answers in FOLDER/inbox/.
struct BankSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank-sim", abstract: "A simulated bank on a bank folder: answers the hub's payment messages, writes statements.",
        discussion: """
            Examples:
              fundsync bank-sim run --folder /tmp/bank --booking-date 2026-12-04 --reject 340123-P000012=AC04:收款账户已销户 --delay 340122-P000003
              fundsync bank-sim end-of-day --folder /tmp/bank --date 2026-12-04 --opening 1302010129000051236=1000000.00
              fundsync bank-sim serve --folder /tmp/bank --listen 127.0.0.1:8443 --tls-certificate bank.pem --tls-key bank.key \\
                --client-ca hub-ca.pem
            """,
        subcommands: [Run.self, EndOfDay.self, Serve.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take every waiting message and answer it (pain.002 and camt.054), with the faults asked for.",
            discussion: """
                Example:
                  fundsync bank-sim run --folder /tmp/bank --booking-date 2026-12-04 --drop 340121-P000002 --accept-duplicates
                """)
        @Option(help: "The bank folder (the hub's --bank-folder).") var folder: String
        @Option(help: "The bank's booking day.") var bookingDate: BusinessDate
        @Option(help: "Reject an instruction: END_TO_END_ID=CODE:TEXT (repeat).") var reject: [String] = []
        @Option(help: "Hold an instruction's answers until the next run (repeat).") var delay: [String] = []
        @Option(help: "Pay an instruction but never answer (repeat).") var drop: [String] = []
        @Flag(help: "Pay a repeated end-to-end id again (as many banks do) instead of rejecting it.") var acceptDuplicates = false
        @Flag(help: "Write every status report twice.") var duplicateAnswers = false

        func run() throws {
            var rejects: [String: SimulatedBankReason] = [:]
            for item in reject {
                let parts = item.split(separator: "=", maxSplits: 1)
                let reason = parts.count == 2 ? parts[1].split(separator: ":", maxSplits: 1) : []
                guard parts.count == 2, reason.count == 2 else { throw ValidationError("--reject is END_TO_END_ID=CODE:TEXT, e.g. 340121-P000001=AC04:账户已销户") }
                rejects[String(parts[0])] = SimulatedBankReason(code: String(reason[0]), text: String(reason[1]))
            }
            let bank = try SimulatedBank(folder: URL(fileURLWithPath: folder), behaviour: SimulatedBankBehaviour(
                rejects: rejects, delays: Set(delay), drops: Set(drop), duplicatesAnswers: duplicateAnswers, acceptsDuplicates: acceptDuplicates),
                bookingDate: bookingDate, nowMilliseconds: SystemClock().nowMilliseconds())
            let report = try bank.run()
            print("bank: \(report.messages.count) message(s), paid \(report.paid.count), rejected \(report.rejected.count), "
                  + "held \(report.held.count), dropped \(report.dropped.count)"
                  + (report.refusedFiles.isEmpty ? "" : ", refused files \(report.refusedFiles.joined(separator: ", "))"))
            if !bank.paidTwice.isEmpty { print("PAID TWICE: \(bank.paidTwice.joined(separator: ", "))") }
        }
    }

    struct EndOfDay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end-of-day", abstract: "Write the day's camt.053 statement of every account the bank booked on.",
            discussion: """
                Example:
                  fundsync bank-sim end-of-day --folder /tmp/bank --date 2026-12-04 --opening 1302010129000051236=1000000.00
                """)
        @Option(help: "The bank folder.") var folder: String
        @Option(help: "The day.") var date: BusinessDate
        @Option(help: "ACCOUNT=AMOUNT: an account's balance before the day, in yuan (repeat; 0 when not given).") var opening: [Pair] = []

        func run() throws {
            let bank = try SimulatedBank(folder: URL(fileURLWithPath: folder), bookingDate: date, nowMilliseconds: SystemClock().nowMilliseconds())
            try bank.endOfDay(date, openings: try moneyPairs(opening, what: "--opening").mapValues(\.value))
            print("bank: statements for \(date) written")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The bank's host-to-host door: HTTPS with client certificates, in front of the bank folder.",
            discussion: """
                A message the hub PUTs is stored in FOLDER/outbox/ for `bank-sim run`; the answers in FOLDER/inbox/ are \
                listed, fetched and acknowledged over HTTPS (PROTOCOL.md §14.5). Only clients whose certificate chains to \
                --client-ca get past the TLS handshake.

                Example:
                  fundsync bank-sim serve --folder /tmp/bank --listen 127.0.0.1:8443 --tls-certificate bank.pem \\
                    --tls-key bank.key --client-ca hub-ca.pem
                """)
        @Option(help: "The bank folder.") var folder: String
        @Option(help: "HOST:PORT to listen on (port 0: any free port, printed).") var listen: String = "127.0.0.1:8443"
        @Option(help: "The bank's server certificate (PEM).") var tlsCertificate: String
        @Option(help: "The server certificate's key (PEM).") var tlsKey: String
        @Option(help: "The CA that clients' certificates must chain to (PEM).") var clientCa: String

        func run() async throws {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
                throw ValidationError("--listen is HOST:PORT, for example 127.0.0.1:8443")
            }
            let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let logger = Logger(label: "fundsync.bank-sim")
            let app = try SimulatedBankGateway.application(
                folder: URL(fileURLWithPath: folder), host: host, port: port,
                tls: .init(certificate: tlsCertificate, key: tlsKey, clientCA: clientCa)) { bound in
                logger.info("simulated bank listening on https://\(host):\(bound)/v1 (folder \(folder))")
            }
            try await app.runService()
        }
    }
}
