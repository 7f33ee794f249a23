import ArgumentParser
import BankStatements
import Foundation
import WebConsole
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import ReportWriters

extension ReportKind: ExpressibleByArgument {}

struct HubReconcile: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile",
        abstract: "Run every reconciliation check for a period, per unit and day, rolled up county → city → province.",
        discussion: """
            Examples:
              fundsync hub reconcile --data hub --from 2026-12-01 --through 2026-12-31
              fundsync hub reconcile --data hub --from 2026-12-01 --through 2026-12-31 --incremental --notify
            """)
    @OptionGroup var data: DataOption
    @Option(help: "First day.") var from: BusinessDate
    @Option(help: "Last day.") var through: BusinessDate
    @Flag(help: "Rebuild only the days batches changed since the last run.") var incremental = false
    @Flag(help: "Send a difference notice to each office with open differences.") var notify = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let hub = try openHub(data)
        let report = try Reconciler(hub: hub).run(from: from, through: through, incremental: incremental)
        let notices = notify ? try hub.sendDifferenceNotices() : []
        if json { return try printJSON(report) }
        print("reconciled \(from)…\(through): \(report.cellsRebuilt) unit-day(s) rebuilt, \(report.findings.count) finding(s)")
        for finding in report.findings {
            print("  \(finding.date) \(finding.level.padding(toLength: 8, withPad: " ", startingAt: 0)) \(finding.org) [\(finding.check)] \(finding.message)"
                  + (finding.status == "explained" ? " — explained: \(finding.explanation ?? "")" : ""))
        }
        if !notices.isEmpty { print("\(notices.count) difference notice(s) queued for the offices concerned") }
    }
}

struct HubStatement: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement",
        abstract: "Bank statements at the hub: import them (matched to the bank journal), list what is stored.",
        discussion: """
            Examples:
              fundsync hub statement --data hub /media/bank/icbc-2026-12.xml
              fundsync hub statement list --data hub
            """,
        subcommands: [Import.self, List.self], defaultSubcommand: Import.self)

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import bank statements (camt.053, MT940, the CSV layout, or a bank's export through a profile) and match them to the bank journal.",
            discussion: """
                Each file is imported whole or refused whole. For each statement it prints what \
                `fundsync statement check` prints, and how many entries were matched to the bank journal.

                Examples:
                  fundsync hub statement import --data hub /media/bank/icbc-2026-12.xml
                  fundsync hub statement import --data hub /media/bank/boc-2026-12.sta /media/bank/ccb-2026-12.csv
                  fundsync hub statement import --data hub 工行流水.csv --profile icbc
                """)
        @OptionGroup var data: DataOption
        @Option(help: "Read the files as a bank's export with this profile (\(BankProfiles.all.map(\.id).joined(separator: ", "))).")
        var profile: String?
        @Option(help: "The bank's time zone for camt.053 date-times (an IANA name such as Asia/Shanghai); when not given, each account's zone from the registry (hub account add --time-zone), else UTC.")
        var timeZone: String?
        @Flag(help: "Print JSON: per statement its figures, identity, matched and unmatched entries.") var json = false
        @Argument(help: ArgumentHelp("Statement files.", valueName: "FILE")) var files: [String]

        func run() throws {
            let hub = try openHub(data)
            let chosen = try profile.map { id in
                guard let found = BankProfiles.profile(id: id) else {
                    throw ValidationError("no bank profile '\(id)': use one of \(BankProfiles.all.map(\.id).joined(separator: ", "))")
                }
                return found
            }
            let zone = try timeZone.map { name in
                guard let zone = TimeZone(identifier: name) else { throw ValidationError("\(name) is not a time zone name (for example Asia/Shanghai)") }
                return zone
            }
            var refused = 0
            var all: [Hub.StatementImportResult] = []
            for file in files {
                do {
                    let results = try hub.importStatementFile(URL(fileURLWithPath: file), profile: chosen, timeZone: zone)
                    all += results
                    guard !json else { continue }
                    for result in results {
                        print("imported " + StatementCommand.Check.describe(result.summary))
                        print("  matched to the bank journal: \(result.matched) entr\(result.matched == 1 ? "y" : "ies"), unmatched \(result.unmatched)")
                    }
                } catch let error as StatementImportError {
                    refused += 1
                    writeError("refused \(file): \(error.description)")
                }
            }
            if json { try printJSON(all) }
            if refused > 0 { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The statements stored at the hub, with their entries matched and unmatched.",
            discussion: """
                Examples:
                  fundsync hub statement list --data hub
                  fundsync hub statement list --data hub --account 6217000012345678901 --json
                """)
        @OptionGroup var data: DataOption
        @Option(help: "Only this bank account's statements.") var account: String?
        @Flag(help: "Print JSON.") var json = false

        struct Line: Encodable {
            var account: String, number: Int64?, reference: String, from: String, through: String, currency: String
            var opening: Int64, closing: Int64, entries: Int, matched: Int, format: String, file: String
            /// The office that imported it and sent it up (6/6 item 4); `null` for the hub's own import.
            var importedBy: String?
        }

        func run() throws {
            let listing = try openHub(data).storage.statementListing(account: account)
            let lines = listing.map { item in
                Line(account: item.statement.account, number: item.statement.sequence, reference: item.statement.statementID,
                     from: item.statement.openingDate, through: item.statement.closingDate, currency: item.statement.currency,
                     opening: item.statement.opening, closing: item.statement.closing, entries: item.entryCount, matched: item.matchedCount,
                     format: item.statement.format, file: item.statement.file, importedBy: item.statement.importedBy)
            }
            if json { return try printJSON(lines) }
            if lines.isEmpty { return print("no statements stored" + (account.map { " for \($0)" } ?? "")) }
            for line in lines {
                let digits = CurrencyCode(line.currency)?.minorUnitDigits ?? 2
                let number = line.number.map(String.init) ?? "-"
                let balances = "opening \(StatementSummary.text(line.opening, digits: digits)) closing \(StatementSummary.text(line.closing, digits: digits))"
                let importedAt = line.importedBy.map { ", imported at \($0)" } ?? ""
                print("\(line.account) no. \(number) \(line.from) … \(line.through) \(line.currency) \(balances); \(line.entries) entries, "
                      + "\(line.matched) matched, \(line.entries - line.matched) unmatched (\(line.format), \(line.file)\(importedAt))")
            }
        }
    }
}

struct HubBankRec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bank-rec",
        abstract: "The bank reconciliation statement (银行存款余额调节表) of an account on a date.",
        discussion: """
            Examples:
              fundsync hub bank-rec --data hub --account 6217000012345678901 --date 2026-12-31
              fundsync hub bank-rec --data hub --account 6217000012345678901 --date 2026-12-31 --json
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The bank account.") var account: String
    @Option(help: "The date.") var date: BusinessDate
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let statement = try openHub(data).bankReconciliation(account: account, date: date)
        if json { return try printJSON(statement) }
        func yuan(_ fen: Int64) -> String { AmountMinorUnits(fen).description }
        print("Bank reconciliation statement of \(account) on \(date)")
        print("  balance per bank statement \(yuan(statement.bankBalanceMinorUnits))    balance per bank journal \(yuan(statement.bookBalanceMinorUnits))")
        if statement.ledgerBalanceMinorUnits != statement.bookBalanceMinorUnits {
            print("  THE BANK JOURNAL DIFFERS FROM THE LEDGER: ledger \(yuan(statement.ledgerBalanceMinorUnits)), difference "
                  + yuan(statement.bookBalanceMinorUnits &- statement.ledgerBalanceMinorUnits))
        }
        for (title, items) in [("bank received, books not", statement.bankReceivedBooksNot), ("bank paid, books not", statement.bankPaidBooksNot),
                               ("books received, bank not", statement.booksReceivedBankNot), ("books paid, bank not", statement.booksPaidBankNot)] {
            for item in items { print("  \(title): \(item.date) \(yuan(item.amountMinorUnits)) \(item.reference)") }
        }
        print("  adjusted bank balance \(yuan(statement.adjustedBankMinorUnits))    adjusted book balance \(yuan(statement.adjustedBooksMinorUnits))"
              + (statement.balanced ? "    agree" : "    DO NOT AGREE"))
    }
}

struct HubReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "A report for a unit or level and a period: in the terminal, or as JSON, CSV (UTF-8 with BOM) or an .xlsx workbook.",
        discussion: """
            Examples:
              fundsync hub report in-transit --data hub --from 2026-12-01 --through 2026-12-31 --org 340100
              fundsync hub report fund-flow --data hub --from 2026-12-01 --through 2026-12-31 --lang en
              fundsync hub report receipts --data hub --from 2026-12-01 --through 2026-12-31 --xlsx receipts-2026-12.xlsx
              fundsync hub report differences --data hub --from 2026-12-01 --through 2026-12-31 --org 340122 --csv differences-340122.csv
            """)
    @OptionGroup var data: DataOption
    @Argument(help: "\(ReportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ReportKind
    @Option(help: "First day.") var from: BusinessDate
    @Option(help: "Last day.") var through: BusinessDate
    @Option(help: "A unit: the report covers it and the units below it (a city = the city level).") var org: String?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: ArgumentHelp("Write CSV to this file.", valueName: "FILE")) var csv: String?
    @Option(help: ArgumentHelp("Write an Excel workbook to this file.", valueName: "FILE")) var xlsx: String?
    @OptionGroup var language: LanguageOption

    func run() throws {
        let written = try openHub(data).report(kind, from: from, through: through, org: try org.map { try parseOrg($0, flag: "--org") })
        // Headers in the reader's language (the console's catalogs) for people; JSON keeps the report's own names, so a
        // program reads the same keys whatever the language.
        let report = ReportTranslation(catalog: try ConsoleCatalog.load(), language: language.language).translate(written, kind: kind)
        if let csv {
            try CSVWriter.write(report.tables[0], to: URL(fileURLWithPath: csv))
            print("wrote \(csv)")
        }
        if let xlsx {
            try XLSXWriter.write(report, to: URL(fileURLWithPath: xlsx))
            print("wrote \(xlsx)")
        }
        if json { print(String(decoding: try JSONReportWriter.data(for: written), as: UTF8.self)) }
        if csv == nil && xlsx == nil && !json { print(try TextTableWriter.render(report)) }
    }
}

struct HubClose: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close",
        abstract: "Close a month once every node has synced past it, counters are gap-free and nothing in transit is unexplained.",
        discussion: """
            Example:
              fundsync hub close --data hub --period 2026-12
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The month, YYYY-MM.") var period: String

    func run() throws {
        let hub = try openHub(data)
        do {
            try hub.closePeriod(period)
            print("\(period) closed; the lock reaches every node with the next export")
        } catch let refusal as CloseRefusal {
            writeError("\(period) cannot be closed yet:")
            for reason in refusal.reasons { writeError("  \(reason)") }
            throw ExitCode(1)
        }
    }
}

struct Differences: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The hub's difference notices for this office (at the hub: every finding).",
        discussion: """
            Examples:
              fundsync differences --data county
              fundsync differences --data hub
            """)
    @OptionGroup var data: DataOption

    func run() throws {
        let office = try Office.open(data.data)
        if office.store.role == .hub {
            for finding in try office.store.findings() { print("\(finding.date) \(finding.org) [\(finding.check)] \(finding.status): \(finding.message)") }
            return
        }
        let notices = try office.store.documents(.differenceNotice)
        for notice in notices {
            print("\(notice["id"] ?? "") \(notice["date"] ?? "") [\(notice["check_kind"] ?? "")] \(notice["state"] ?? ""): \(notice["message"] ?? "")")
        }
        if notices.isEmpty { print("no difference notices") }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain a difference notice; the explanation goes to the hub with the next export.",
        discussion: """
            Example:
              fundsync explain --data county --notice 340000-N000003 --text "the bank delayed the transfer to 2027-01-04" \\
                  --date 2026-12-31 --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The notice id.") var notice: String
    @Option(help: "The explanation.") var text: String
    @Option(help: "Business date.") var date: BusinessDate
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let id = try openNode(data, "differences are explained").explain(notice: notice, text: text, date: date, signatures: signatures.signatures)
        print("explanation \(id) of \(notice) recorded")
    }
}
