import ArgumentParser
import BankStatements
import Foundation
import LedgerCore

/// `fundsync statement check FILE`: reads a bank statement file and says what is in it, without a data folder
/// (6/6 item 3) — so a clerk can see, before importing, that the file is the right account and period and adds up.
struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement", abstract: "Bank statement files: check one before importing, import it at an office, list what is imported.",
                                                    subcommands: [Check.self, Import.self, List.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a statement file (camt.053, MT940, FundSync CSV, or a bank's own export) and print what it holds.",
            discussion: """
                Detects the format, reads and checks every statement, then prints its account, currency, period, \
                opening and closing balances, the number of entries, the debit and credit sums, and each warning. No \
                data folder is needed. Exit status 1 when the file is refused or a statement does not add up.

                A Chinese bank's CSV, TXT or xlsx export (GB18030 or UTF-8) is read through a bank profile: \
                \(BankProfiles.all.map(\.id).joined(separator: ", ")), or a profile file of your own (JSON). Without \
                --profile, a file that is none of the standard formats is tried with the generic profile, which maps \
                columns by their Chinese headers.

                Examples:
                  fundsync statement check /media/bank/boc-2026-12.sta
                  fundsync statement check 工行流水.csv --profile icbc --account 1202020309900012345
                  fundsync statement check export.xlsx --profile-file ./our-bank.json --json
                """)
        @OptionGroup var input: StatementFileOptions
        @Flag(help: "Print JSON: a list of statements with their figures and warnings.") var json = false

        func run() throws {
            let summaries: [StatementSummary]
            do {
                summaries = try input.read().summaries
            } catch let error as StatementParseError {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            } catch let error as StatementCheckRefusal {
                writeError("refused \(input.file): \(error.description)")
                throw ExitCode(1)
            }
            if json {
                try printJSON(summaries)
            } else {
                for summary in summaries { print(Self.describe(summary)) }
            }
            if summaries.contains(where: { !$0.balanced }) { throw ExitCode(1) }
        }

        static func describe(_ summary: StatementSummary) -> String {
            let number = summary.sequenceNumber.map { " no. \($0)" + (summary.pageNumber.map { "/\($0)" } ?? "") } ?? ""
            var lines = [
                "\(summary.format) statement\(number) of \(summary.account) (\(summary.currency)), \(summary.periodFrom) … \(summary.periodThrough)",
                "  opening \(summary.openingBalance), closing \(summary.closingBalance)",
                "  \(summary.entryCount) entr\(summary.entryCount == 1 ? "y" : "ies"): \(summary.debitCount) debit(s) \(summary.debitSum), "
                    + "\(summary.creditCount) credit(s) \(summary.creditSum)",
                summary.balanced ? "  adds up" : "  DOES NOT ADD UP",
            ]
            lines += summary.warnings.map { "  warning: \($0)" }
            return lines.joined(separator: "\n")
        }
    }
}

/// A file `statement check` cannot read as any format, in one sentence.
struct StatementCheckRefusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The statement file a command reads and how to read it: shared by `statement check` and `statement import`.
struct StatementFileOptions: ParsableArguments {
    @Argument(help: "The statement file.") var file: String
    @Option(help: "A built-in bank profile for a bank's export (\(BankProfiles.all.map(\.id).joined(separator: ", "))).")
    var profile: String?
    @Option(help: "A bank profile of your own (JSON), for a layout the built-in ones do not know.") var profileFile: String?
    @Option(help: "The account the export is for, when the file does not say.") var account: String?
    @Option(help: "The bank's time zone, in which camt.053 date-times become dates (an IANA name; UTC when not given).")
    var timeZone: String?

    /// What a file holds: its statements as read, what they were read as, their summaries, and the file's bytes.
    struct Read {
        var statements: [BankStatement]
        var format: String
        var summaries: [StatementSummary]
        var data: Data
    }

    /// Reads the file: through the profile named, else as a standard format (camt.053, MT940, FundSync CSV), else
    /// as a bank export through the generic profile. camt.053 date-times are taken in `--time-zone`, else in each
    /// account's zone as `registryZone` gives it (an office's registry), else in UTC.
    /// - Throws: `StatementParseError` or `StatementCheckRefusal` with the file's problem in a sentence.
    func read(registryZone: ((String) -> TimeZone?)? = nil) throws -> Read {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
            throw StatementCheckRefusal("there is no file \(file)")
        }
        guard !isFolder.boolValue else { throw StatementCheckRefusal("\(file) is a folder: name one statement file in it") }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        if let chosen = try chosenProfile() {
            let statement = try BankExportParser.parse(data, profile: chosen, account: account)
            let format = "bank export (\(chosen.id))"
            return Read(statements: [statement], format: format, summaries: [StatementSummary(statement, format: format)], data: data)
        }
        let zone = try timeZone.map { name in
            guard let zone = TimeZone(identifier: name) else { throw ValidationError("\(name) is not a time zone name (for example Asia/Shanghai)") }
            return zone
        }
        let failure: StatementParseError
        do throws(StatementParseError) {
            let file: StatementFile
            if let zone {
                file = try BankStatementReader.read(data, timeZone: zone)
            } else {
                file = try BankStatementReader.read(data, timeZoneOf: registryZone ?? { _ in nil })
            }
            return Read(statements: file.statements, format: file.format.description, summaries: StatementSummary.of(file), data: data)
        } catch {
            failure = error
        }
        // Not a standard format (or not UTF-8 text: GB18030, an xlsx): perhaps a bank's own export, read by its
        // headers.
        switch failure.code {
        case .unrecognizedFormat, .invalidEncoding, .controlCharacter: break
        default: throw failure
        }
        do {
            let statement = try BankExportParser.parse(data, profile: BankProfiles.generic, account: account)
            let format = "bank export (generic)"
            return Read(statements: [statement], format: format, summaries: [StatementSummary(statement, format: format)], data: data)
        } catch {
            // Neither a standard format nor an export the generic profile can read. When the generic reader found
            // a bank export's header row, what it says next is the file's real problem; when it found none, the
            // file is of no layout known here, and both readers say why.
            if case .unrecognizedFormat = failure.code, case .missingField(let field) = error.code, field.hasPrefix("column header row") {
                throw StatementCheckRefusal("\(failure.description); nor is it a bank export whose columns the generic profile "
                                            + "knows (\(error.description)); for a bank's own layout, name its profile with --profile")
            }
            throw error
        }
    }

    func chosenProfile() throws -> BankProfile? {
        if let profileFile {
            return try BankProfile.load(try Data(contentsOf: URL(fileURLWithPath: profileFile)))
        }
        guard let profile else { return nil }
        guard let found = BankProfiles.profile(id: profile) else {
            throw ValidationError("no bank profile '\(profile)': use one of \(BankProfiles.all.map(\.id).joined(separator: ", ")) or --profile-file")
        }
        return found
    }
}
