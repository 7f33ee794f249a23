import ArgumentParser
import Logging
import Foundation
import HubClient
import NodeAgent

/// Options shared by the commands that talk to the hub over HTTP (`sync`, `relay`).
struct HubConnectionOptions: ParsableArguments {
    @Option(help: "Attempts of one request before giving up (bounded retries with exponential backoff).")
    var retryAttemptCountMax = SyncLimits().retryAttemptCountMax
    @Option(help: "Delay before the first retry; it doubles on each retry.")
    var retryDelayMillisecondsInitial = SyncLimits().retryDelayMillisecondsInitial
    @Option(help: "Longest delay between two attempts.")
    var retryDelayMillisecondsMax = SyncLimits().retryDelayMillisecondsMax
    @Option(help: "Time to connect to the hub.") var connectTimeoutMilliseconds: Int64 = 5_000
    @Option(help: "Time for one request, from sending it to its last byte of answer; past it an upload is uncertain.")
    var requestTimeoutMilliseconds: Int64 = 60_000
    @Option(help: ArgumentHelp("For an https:// hub: trust only hub certificates issued by these CAs (PEM); the system's "
                               + "otherwise.", valueName: "FILE"))
    var caFile: String?

    func validate() throws {
        guard retryAttemptCountMax >= 1 else { throw ValidationError("--retry-attempt-count-max must be at least 1") }
        guard retryDelayMillisecondsInitial >= 0, retryDelayMillisecondsInitial <= retryDelayMillisecondsMax else {
            throw ValidationError("--retry-delay-milliseconds-initial must be between 0 and --retry-delay-milliseconds-max")
        }
        guard connectTimeoutMilliseconds > 0, requestTimeoutMilliseconds > 0 else { throw ValidationError("timeouts must be positive") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { throw ValidationError("--ca-file \(caFile) cannot be read") }
    }

    var limits: SyncLimits {
        SyncLimits(retryAttemptCountMax: retryAttemptCountMax, retryDelayMillisecondsInitial: retryDelayMillisecondsInitial,
                   retryDelayMillisecondsMax: retryDelayMillisecondsMax)
    }

    func client(_ url: String) -> HubHTTPClient {
        HubHTTPClient(baseURL: url, connectTimeoutMilliseconds: connectTimeoutMilliseconds, requestTimeoutMilliseconds: requestTimeoutMilliseconds,
                      trustedCAFile: caFile)
    }
}

/// `fundsync sync`: a node's online exchange with the hub.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push this node's batches to the hub over HTTP, then pull until the hub has nothing more to send.",
        discussion: """
            The same signed batch files as 'export'/'import' travel in the HTTP bodies. A sync cut at any point is \
            safe to run again: replays are no-ops and acknowledgements trim the outbox. Exit status: 0 done, 1 failed or \
            refused, 3 uncertain (an upload got no answer; the next sync settles it by acknowledgement).

            Examples:
              fundsync sync --data county --hub http://127.0.0.1:8640
              fundsync sync --data county --hub https://hub.example.internal:8640 --ca-file province-ca.pem
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("The hub's URL.", valueName: "URL")) var hub: String
    @OptionGroup var connection: HubConnectionOptions
    @Option(help: "Also write the sync's outcome and counts as one JSON log line on standard error (json).") var logFormat: LogFormat?

    func validate() throws { try HubHTTPClient.validate(hub, flag: "--hub") }

    func run() async throws {
        guard case .node(let node) = try Office.open(data.data) else {
            throw CLIError("\(data.data) is the hub: 'sync' runs at a node (the hub serves with 'fundsync hub serve')")
        }
        let client = connection.client(hub)
        let transport = HTTPHubTransport(client: client, node: node.org, key: node.signingKey)
        let report = await SyncSession.run(node: node, transport: transport, limits: connection.limits, clock: ContinuousClock())
        await client.shutdown()
        let outcome: String, level: Logger.Level
        switch report.outcome {
        case .complete: (outcome, level) = ("complete", .info)
        case .incomplete: (outcome, level) = ("incomplete", .info)
        case .uncertain: (outcome, level) = ("uncertain", .warning)
        case .failed: (outcome, level) = ("failed", .error)
        case .refused(let reason, _): (outcome, level) = ("refused: \(reason)", .error)
        }
        OperationLog(logFormat, label: "fundsync.sync").record("sync", level: level, [
            "office": node.org.rawValue, "outcome": outcome, "uploaded_batches": String(report.uploadedBatchCount),
            "uploaded_changes": String(report.uploadedChangeCount), "already_applied_uploads": String(report.alreadyAppliedUploadCount),
            "uncertain_uploads": String(report.uncertainUploadCount), "downloaded_batches": String(report.downloadedBatchCount),
            "applied_changes": String(report.appliedChangeCount), "retries": String(report.retryCount),
        ])
        switch report.outcome {
        case .complete, .incomplete:
            print(report.summary)
        case .uncertain:
            writeError(report.summary)
            throw ExitCode(3)
        case .failed, .refused:
            writeError(report.summary)
            throw ExitCode(1)
        }
    }
}
