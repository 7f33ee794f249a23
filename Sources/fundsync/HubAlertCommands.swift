import ArgumentParser
import Foundation
import HubCore
import ReplicaStore

/// `hub alerts`: the hub's links that need a person — security alerts (a batch its own signer may not have sent) and
/// links whose verified batches keep failing to apply (blocked after 5 attempts and an hour). `hub alerts clear`
/// clears one alert with the operator's signed acknowledgement.
struct HubAlerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Security alerts and failing or blocked links, which stay until dealt with.",
        discussion: """
            Examples:
              fundsync hub alerts --data hub          # the same as 'hub alerts list'
              fundsync hub alerts clear --data hub --id 7 --by 340000-zhoumin --note "stale copy of a 340122 batch; deleted"
            """,
        subcommands: [List.self, Clear.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open security alerts and failing links (all alerts with --all).",
            discussion: """
                Examples:
                  fundsync hub alerts list --data hub
                  fundsync hub alerts list --data hub --all --json
                """)
        @OptionGroup var data: DataOption
        @Flag(help: "Also the cleared alerts, with who cleared them and whether the clearance's signature verifies.") var all = false
        @Flag(help: "JSON: {alerts: [...], failingLinks: [...], blockedLinks: [...]}.") var json = false

        struct Report: Encodable {
            var alerts: [SecurityAlert]
            var failingLinks: [LinkFailure]
            var blockedLinks: [String]
        }

        func run() throws {
            let hub = try openHub(data.data)
            let alerts = try hub.storage.securityAlerts().filter { all || $0.isOpen }
            let failing = try hub.storage.linkFailures()
            let blocked = try hub.blockedLinks().map(\.peer)
            if json { return try printJSON(Report(alerts: alerts, failingLinks: failing, blockedLinks: blocked)) }
            for alert in alerts {
                let state = alert.isOpen ? "OPEN" : "cleared by \(TerminalText.safe(alert.clearedBy ?? "?"))"
                    + (SecurityAlertClearance.verify(alert, with: hub.signingKey.publicKey) ? " (signature verifies)" : " (SIGNATURE DOES NOT VERIFY)")
                print("alert \(alert.id) on \(alert.link) [\(alert.code)] key \(alert.keyID), file \(alert.fileHash.prefix(16)): \(state)")
                print("  " + TerminalText.safe(alert.detail, characterCountMax: 400))
            }
            for link in failing {
                let state = blocked.contains(link.peer) ? "BLOCKED" : "failing"
                print("link \(link.peer) \(state): \(link.attempts) failed attempt(s) since \(link.firstFailedAtMilliseconds) ms; last: "
                      + TerminalText.safe(link.lastError, characterCountMax: 400))
            }
            if alerts.isEmpty && failing.isEmpty { print("no security alerts and no failing links") }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear one security alert; the hub's key signs the acknowledgement.",
            discussion: """
                Example:
                  fundsync hub alerts clear --data hub --id 7 --by 340000-zhoumin --note "stale copy of a 340122 batch from an old USB stick; deleted"
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The alert's id (hub alerts).") var id: Int64
        @Option(help: "Who clears it.") var by: String
        @Option(help: "What was found and done.") var note: String

        func run() throws {
            try openHub(data.data).clearSecurityAlert(id, by: by, note: note)
            print("security alert \(id) cleared by \(TerminalText.safe(by)); the acknowledgement is signed with the hub's key")
        }
    }
}
