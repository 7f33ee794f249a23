import ArgumentParser
import BatchWire
import Foundation
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
            """)
    @Option(help: ArgumentHelp("Where the batches are: a folder, or the hub's URL.", valueName: "FOLDER|URL")) var from: String
    @Option(help: ArgumentHelp("Where they go: a folder, or the hub's URL.", valueName: "FOLDER|URL")) var to: String
    @Option(name: .customLong("county"), help: ArgumentHelp("An org unit whose batches to carry (repeatable); all when absent, "
                                                             + "required when pulling from the hub.", valueName: "ORG"))
    var counties: [String] = []
    @Option(help: ArgumentHelp("The relay office's private.key, to pull from the hub.", valueName: "FILE")) var key: String?
    @OptionGroup var connection: HubConnectionOptions

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
        var relay = RelayRun(counties: orgs, limits: connection.limits)
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
        if relay.problemCount > 0 { throw ExitCode(1) }
    }
}

/// One relay run: what it moved and what went wrong, one line per file.
struct RelayRun {
    let counties: Set<OrgCode>
    let limits: SyncLimits
    var movedCount = 0
    var problemCount = 0

    /// The batch files in `folder` that this relay carries, with their bytes and header (structure checked only).
    mutating func batches(in folder: URL) throws -> [(file: URL, bytes: [UInt8], header: BatchHeader)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".\(BatchFiles.fileExtension)") && !$0.hasPrefix(".") }.sorted()
        var batches: [(URL, [UInt8], BatchHeader)] = []
        for name in names {
            let file = folder.appendingPathComponent(name)
            do {
                let bytes = try BatchFiles.read(file)
                let header = try BatchEnvelope.parse(bytes).header
                if counties.isEmpty || counties.contains(header.sender) || counties.contains(header.recipient) {
                    batches.append((file, bytes, header))
                }
            } catch {
                problemCount += 1
                writeError("skipped \(name): \(error) (left where it is)")
            }
        }
        return batches
    }

    /// FOLDER → FOLDER: each file is written whole at the target (temporary name, fsync, rename), then removed here.
    mutating func moveFiles(from source: URL, to target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for batch in try batches(in: source) {
            let destination = target.appendingPathComponent(batch.file.lastPathComponent)
            if let existing = try? BatchFiles.read(destination), existing != batch.bytes {
                problemCount += 1
                writeError("kept \(batch.file.lastPathComponent): a different file of that name is already in \(target.path)")
                continue
            }
            try BatchFiles.writeAtomically(batch.bytes, to: destination)
            try FileManager.default.removeItem(at: batch.file)
            movedCount += 1
            print("moved \(batch.file.lastPathComponent) to \(target.path)")
        }
    }

    /// FOLDER → hub: uploads each file; removes it once the hub has answered (applied, already applied or refused).
    mutating func upload(from source: URL, client: HubHTTPClient) async {
        let files: [(file: URL, bytes: [UInt8], header: BatchHeader)]
        do {
            files = try batches(in: source)
        } catch {
            problemCount += 1
            return writeError("cannot read \(source.path): \(error)")
        }
        for batch in files {
            let name = batch.file.lastPathComponent
            do {
                let answer = try await retrying { () async throws(HubTransportError) in try await client.upload(batch.bytes) }
                try? FileManager.default.removeItem(at: batch.file)
                movedCount += 1
                switch answer {
                case .applied(let count): print("delivered \(name): applied (\(count) change(s))")
                case .alreadyApplied: print("delivered \(name): already applied")
                }
            } catch {
                problemCount += 1
                switch error.code {
                case .refused:
                    let refused = source.appendingPathComponent("refused", isDirectory: true)
                    try? FileManager.default.createDirectory(at: refused, withIntermediateDirectories: true)
                    try? FileManager.default.moveItem(at: batch.file, to: refused.appendingPathComponent(name))
                    writeError("refused \(name) by the hub: \(error.message) (moved to \(refused.path))")
                case .uncertain:
                    writeError("uncertain: \(name) got no answer; the next relay run settles it (the hub ignores a replay)")
                case .unreachable, .serverFailure:
                    return writeError("stopped at \(name): \(error) (this and the remaining files stay for the next run)")
                }
            }
        }
    }

    /// hub → FOLDER: the next batch of each county, written under its standard name.
    mutating func download(to target: URL, client: HubHTTPClient, key: SigningKey) async {
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        } catch {
            problemCount += 1
            return writeError("cannot create \(target.path): \(error)")
        }
        for county in counties.sorted() {
            do {
                let next = { () async throws(HubTransportError) in try await client.downloadNext(for: county, key: key) }
                guard let bytes = try await retrying(next) else {
                    print("nothing from the hub for \(county)")
                    continue
                }
                let header = try BatchEnvelope.parse(bytes).header
                let file = target.appendingPathComponent(BatchFiles.fileName(sender: header.sender, recipient: header.recipient,
                                                                             batchSequence: header.batchSequence))
                try BatchFiles.writeAtomically(bytes, to: file)
                movedCount += 1
                print("fetched \(file.lastPathComponent) for \(county)")
            } catch {
                problemCount += 1
                writeError("could not fetch for \(county): \(error)")
            }
        }
    }

    /// Runs `request` up to `retryAttemptCountMax` times with exponential backoff; a refusal is never retried.
    func retrying<T>(_ request: () async throws(HubTransportError) -> T) async throws(HubTransportError) -> T {
        var attempt = 1
        while true {
            do {
                return try await request()
            } catch {
                guard error.isRetryable, attempt < limits.retryAttemptCountMax else { throw error }
                try? await Task.sleep(for: .milliseconds(limits.retryDelayMilliseconds(afterAttempt: attempt)))
                attempt += 1
            }
        }
    }
}
