import ArgumentParser
import HubCore
import ReplicaStore

/// `hub findings`: the facts the hub booked although one of its own controls would have refused them (a counterpart
/// on an account it froze or closed, or in a period it closed), so that no county's stream stopped. Each is for the
/// fund centre to look at; none needs the county to do anything.
struct HubFindings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings", abstract: "Facts booked against the hub's own controls so that no office's stream stopped.",
        discussion: """
            Examples:
              fundsync hub findings --data hub
              fundsync hub findings --data hub --json
            """)
    @OptionGroup var data: DataOption
    @Flag(help: "JSON: an array of {kind, document, org, businessDate, detail, recordedAtMilliseconds}.") var json = false

    func run() throws {
        let hub = try openHub(data.data)
        let findings = try hub.streamFindings()
        if json { return try printJSON(findings) }
        for finding in findings {
            print("\(finding.businessDate)  \(finding.org)  \(finding.kind)  \(TerminalText.safe(finding.document)): "
                  + TerminalText.safe(finding.detail, characterCountMax: 400))
        }
        if findings.isEmpty { print("no findings: every counterpart was booked within the hub's controls") }
    }
}
