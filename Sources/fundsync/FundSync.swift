import Foundation
import ArgumentParser

/// `fundsync`: the command-line tool and composition root (live clock, paths).
@main
struct FundSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundsync",
        abstract: "Keep a provincial treasury network's books in step between offices that are often offline.",
        discussion: """
            A hub (the province) and nodes (cities, counties, subsidiaries) each keep a SQLite replica in a data \
            folder. Nodes post vouchers offline; 'export' writes signed batch files, carried by hand or sent over \
            the network; 'import' verifies and applies them. See README.md for the file formats.
            """,
        version: BuildInfo.versionText,
        subcommands: [HubCommand.self, NodeCommand.self, Post.self, Export.self, Import.self, Status.self,
                      Balances.self, Verify.self, Rejections.self, Keys.self, BankAdvice.self, Sweep.self, ReportBalances.self, Confirm.self, SlipCommand.self, PayOnBehalf.self,
                      Forecast.self, Apply.self, RequestAccount.self, Pay.self, PayBatch.self, Withdraw.self, Conflicts.self, Documents.self,
                      Differences.self, Explain.self, Sync.self, Relay.self, Simulate.self, Audit.self,
                      Backup.self, Restore.self, StaffKeyNew.self, KeyAgent.self, ConsoleLoginCommand.self, Vouchers.self, StatementCommand.self, BankSim.self])
}

extension FundSync {
    /// Runs the command with its audit context (one place for every command; see `AuditTrail`).
    static func main() async {
        do {
            var command = try parseAsRoot()
            AuditTrail.current = AuditTrail.context(for: CommandLine.arguments)
            let standalone = AuditTrail.current.flatMap { AuditTrail.standaloneEntry($0.context) }
            if standalone == true { AuditTrail.recordStandalone() }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            if standalone == false { AuditTrail.recordStandalone() }
        } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
            // File-system errors as one sentence, never Foundation's error dump.
            let path = (error.userInfo[NSFilePathErrorKey] as? String).map { " (\($0))" } ?? ""
            fail(CLIError(error.localizedDescription + path))
        } catch {
            fail(error)
        }
    }

    /// Ends the process for `error`: as ArgumentParser words it, or, with `FUNDSYNC_LOG_FORMAT=json`, as one JSON log
    /// line (8: every verb honours the JSON log format, so a collector never meets a free-text error line).
    static func fail(_ error: any Error) -> Never {
        guard let log = LogFormat.fromEnvironment, log == .json else { exit(withError: error) }
        let code = exitCode(for: error), message = fullMessage(for: error)
        // An `ExitCode` thrown after the verb said why has no words of its own: nothing more to log.
        if code != .success, !message.isEmpty {
            OperationLog(.json, label: "fundsync").record(message, level: .error,
                                                           ["exit_status": String(code.rawValue), "command": CommandLine.arguments.dropFirst().first ?? ""])
        }
        Foundation.exit(code.rawValue)
    }
}

/// The `--data DIR` option every command that works on a replica takes.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The office's data folder.", valueName: "DIR"))
    var data: String
}
