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
        subcommands: [HubCommand.self, NodeCommand.self, Post.self, Export.self, Import.self, Status.self,
                      Balances.self, Verify.self, Rejections.self, Keys.self, BankAdvice.self, Sweep.self, ReportBalances.self,
                      Forecast.self, Apply.self, RequestAccount.self, Pay.self, Withdraw.self, Conflicts.self, Documents.self,
                      Differences.self, Explain.self, Sync.self, Relay.self])
}

/// The `--data DIR` option every command that works on a replica takes.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The office's data folder.", valueName: "DIR"))
    var data: String
}
