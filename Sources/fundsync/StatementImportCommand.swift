import ArgumentParser
import BankStatements
import BatchWire
import Foundation
import LedgerCore
import NodeAgent

extension StatementCommand {
    /// `fundsync statement import FILE --data county`: a county imports its own bank's statement (6/6 item 4). It is
    /// matched against the county's bank journal here and travels to the hub as the county's `statement` document.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a bank statement of this office's bank account: matched against its bank journal here, sent to the hub.",
            discussion: """
                Reads the file as `statement check` does (camt.053, MT940, FundSync CSV, or a bank's own export through a \
                profile), checks every statement (its entries make its closing balance; for a bank account of this \
                office in its currency; not imported before), and stores them all or none. Each is then matched \
                against this office's bank journal, and goes to the fund centre with the next sync, where the \
                centre's bank reconciliation sees it.

                Examples:
                  fundsync statement import 工行流水-2026-11.csv --data county --profile icbc --preparer 340122-wangfang
                  fundsync statement import boc-2026-11.sta --data county --preparer 340122-wangfang --reviewer 340122-liuyang --json
                """)
        @OptionGroup var input: StatementFileOptions
        @OptionGroup var data: DataOption
        @OptionGroup var signatures: SignatureOptions
        @Flag(help: "Print JSON: each statement with its figures, matched and unmatched entries.") var json = false

        func run() throws {
            let node = try openNode(data, "a statement is imported with `statement import`")
            let read: StatementFileOptions.Read
            do {
                let zones = try node.store.read { try $0.accountTimeZones() }.compactMapValues(TimeZone.init(identifier:))
                read = try input.read(registryZone: { zones[$0] })
                try StatementValidation.validate(read.statements)
            } catch let error as StatementParseError {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            } catch let error as StatementValidationError {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            } catch let error as StatementCheckRefusal {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            }
            let hash = hexString(PayloadHashAlgorithm.sha256.digest([UInt8](read.data)))
            let name = URL(fileURLWithPath: input.file).lastPathComponent
            let documents = read.statements.map { statement in
                StatementDocument(
                    org: node.org, account: statement.account, currency: statement.currency, number: statement.sequenceNumber.map(Int64.init),
                    page: statement.pageNumber.map(Int64.init), reference: statement.statementID,
                    openingMinorUnits: statement.openingBalance.value, openingDate: statement.openingDate,
                    closingMinorUnits: statement.closingBalance.value, closingDate: statement.closingDate,
                    entries: statement.entries.map { entry in
                        StatementDocument.Entry(date: entry.bookingDate, amountMinorUnits: entry.amount.value, reference: entry.reference,
                                                counterparty: entry.counterparty, narrative: entry.narrative)
                    },
                    format: read.format, file: name, fileSHA256: hash)
            }
            let listings: [NodeStatementListing]
            do {
                listings = try node.importStatements(documents, signatures: signatures.signatures)
            } catch let error as NodeError {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            }
            let results = zip(read.summaries, listings).map { summary, listing in
                Result(id: listing.statement.document.key, summary: summary, matched: listing.matches.count,
                       unmatched: listing.statement.document.entries.count - listing.matches.count)
            }
            if json { return try printJSON(results) }
            for result in results {
                print("imported " + StatementCommand.Check.describe(result.summary))
                print("  \(result.matched) matched to the bank journal, \(result.unmatched) not yet (`fundsync statement list --unmatched`)")
            }
            print("sent to the fund centre with the next sync")
        }

        struct Result: Encodable {
            var id: String
            var summary: StatementSummary
            var matched: Int
            var unmatched: Int
        }
    }

    /// `fundsync statement list --data county`: the statements imported at this office, matched against its bank
    /// journal as it is now.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The statements imported at this office, with their entries matched to the bank journal and those not yet.",
            discussion: """
                Examples:
                  fundsync statement list --data county
                  fundsync statement list --data county --account 6217000012345678901 --unmatched
                """)
        @OptionGroup var data: DataOption
        @Option(help: "Only this bank account's statements.") var account: String?
        @Flag(help: "List each entry the bank journal does not have yet.") var unmatched = false
        @Flag(help: "Print JSON.") var json = false

        struct Line: Encodable {
            struct Entry: Encodable {
                var date: String, amount: Int64, reference: String, counterparty: String, narrative: String
            }
            var id: String, account: String, number: Int64?, page: Int64?, from: String, through: String, currency: String
            var opening: Int64, closing: Int64, entries: Int, matched: Int, format: String, file: String, preparer: String
            var unmatchedEntries: [Entry]
        }

        func run() throws {
            let node = try openNode(data, "`statement list` lists an office's imports; at the hub use `hub statement list`")
            let lines = try node.statementListing(account: account).map { listing in
                let document = listing.statement.document
                return Line(id: document.key, account: document.account, number: document.number, page: document.page,
                            from: document.openingDate.description, through: document.closingDate.description, currency: document.currency.code,
                            opening: document.openingMinorUnits, closing: document.closingMinorUnits, entries: document.entries.count,
                            matched: listing.matches.count, format: document.format, file: document.file, preparer: listing.statement.preparer,
                            unmatchedEntries: listing.unmatched.map {
                                Line.Entry(date: $0.date.description, amount: $0.amountMinorUnits, reference: $0.reference,
                                           counterparty: $0.counterparty, narrative: $0.narrative)
                            })
            }
            if json { return try printJSON(lines) }
            if lines.isEmpty { return print("no statements imported" + (account.map { " for \($0)" } ?? "")) }
            for line in lines {
                let digits = CurrencyCode(line.currency)?.minorUnitDigits ?? 2
                let number = line.number.map(String.init) ?? "-"
                let balances = "opening \(StatementSummary.text(line.opening, digits: digits)) closing \(StatementSummary.text(line.closing, digits: digits))"
                print("\(line.account) no. \(number) \(line.from) … \(line.through) \(line.currency) \(balances); \(line.entries) entries, "
                      + "\(line.matched) matched, \(line.entries - line.matched) unmatched (\(line.format), \(line.file), imported by \(line.preparer))")
                guard unmatched else { continue }
                for entry in line.unmatchedEntries {
                    let side = entry.amount > 0 ? "贷 bank credit" : "借 bank debit"
                    let amount = StatementSummary.text(entry.amount, digits: digits)
                    let words = [entry.reference, entry.counterparty, entry.narrative].filter { !$0.isEmpty }.joined(separator: " ")
                    print("    \(entry.date) \(side) \(amount) \(words)")
                }
            }
        }
    }
}
