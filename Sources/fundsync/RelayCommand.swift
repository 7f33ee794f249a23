import ArgumentParser
import BatchWire
import Foundation
import HubClient
import LedgerCore
import NodeAgent

/// `fundsync relay`: moves batch files between folders and the hub, online or offline, for offices that cannot reach
/// the hub themselves. It reads only the unencrypted header (to route) and never alters a byte: a batch is signed by
/// its sender, so anything changed on the way is refused by its recipient.
struct Relay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Carry batch files between folders and the hub without reading or altering them (a city office for its counties).",
        discussion: """
            FOLDER to FOLDER moves the .fsb files (carried on a USB stick, a shared folder). FOLDER to URL uploads them to \
            the hub and removes each one the hub has answered; refused ones go to FOLDER/refused/. URL to FOLDER asks the \
            hub for the next batch of each --county, signed with --key: the relay office's own key, enrolled at the hub for \
            an org unit above those counties (it never holds theirs).

            Examples:
              fundsync relay --from https://hub.example.internal:8640 --to /media/usb/down --county 340122 --key city/private.key
              fundsync relay --from /media/usb/up --to https://hub.example.internal:8640
              fundsync relay --from /media/usb/down --to /srv/share/340122-inbox --county 340122
            """)
    @Option(help: ArgumentHelp("Where the batches are: a folder, or the hub's URL.", valueName: "FOLDER|URL")) var from: String
    @Option(help: ArgumentHelp("Where they go: a folder, or the hub's URL.", valueName: "FOLDER|URL")) var to: String
    @Option(name: .customLong("county"), help: ArgumentHelp("An org unit whose batches to carry (repeatable); all when absent, "
                                                             + "required when pulling from the hub.", valueName: "ORG"))
    var counties: [String] = []
    @Option(help: ArgumentHelp("The relay office's private.key, to pull from the hub.", valueName: "FILE")) var key: String?
    @OptionGroup var connection: HubConnectionOptions
    @Option(help: "Also write each file moved, each problem and the run's counts as JSON log lines on standard error (json).")
    var logFormat: LogFormat?

    enum Endpoint {
        case folder(URL)
        case hub(String)

        init(_ text: String) {
            let lowered = text.lowercased()
            self = lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? .hub(text) : .folder(URL(fileURLWithPath: text, isDirectory: true))
        }
    }

    func validate() throws {
        for (text, flag) in [(from, "--from"), (to, "--to")] {
            if case .hub(let url) = Endpoint(text) { try HubHTTPClient.validate(url, flag: flag) }
        }
        if case .hub = Endpoint(from), case .hub = Endpoint(to) { throw ValidationError("--from and --to cannot both be the hub") }
        if case .hub = Endpoint(from) {
            guard !counties.isEmpty, key != nil else {
                throw ValidationError("pulling from the hub needs --county (one or more) and --key (the relay office's private.key)")
            }
        }
        for county in counties { _ = try parseOrg(county, flag: "--county") }
    }

    func run() async throws {
        let orgs = Set(try counties.map { try parseOrg($0, flag: "--county") })
        // With --log-format json every file moved, each problem and each retry stop is also one JSON line, and the run ends
        // with its counts.
        let log = OperationLog(logFormat, label: "fundsync.relay")
        var relay = BatchRelay(counties: orgs, limits: connection.limits,
                               report: { print($0); log.record("relay", ["event": $0]) },
                               warn: { writeError($0); log.record("relay", level: .warning, ["event": $0]) })
        switch (Endpoint(from), Endpoint(to)) {
        case (.folder(let source), .folder(let target)):
            try relay.moveFiles(from: source, to: target)
        case (.folder(let source), .hub(let url)):
            let client = connection.client(url)
            await relay.upload(from: source, client: client)
            await client.shutdown()
        case (.hub(let url), .folder(let target)):
            let signingKey = try SigningKey(pem: try readTextFile(key ?? ""))
            let client = connection.client(url)
            await relay.download(to: target, client: client, key: signingKey)
            await client.shutdown()
        case (.hub, .hub):
            throw CLIError("--from and --to cannot both be the hub")
        }
        print("relayed \(relay.movedCount) batch file(s); \(relay.problemCount) problem(s)")
        log.record("relay", level: relay.problemCount > 0 ? .error : .info,
                   ["from": from, "to": to, "relayed": String(relay.movedCount), "problems": String(relay.problemCount)])
        if relay.problemCount > 0 { throw ExitCode(1) }
    }
}

