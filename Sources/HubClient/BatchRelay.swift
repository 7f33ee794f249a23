import BatchWire
import Foundation
import LedgerCore
import NodeAgent

/// The relay engine (`fundsync relay`): carries batch files between folders and the hub for offices that cannot
/// reach the hub themselves. It reads only the unencrypted header, to route, and never alters a byte: a batch is signed
/// by its sender, so anything changed on the way is refused by its recipient. One run counts what it moved and what
/// went wrong, and reports one line per file through `report` and `warn`.
///
/// Requests are retried up to `SyncLimits.retryAttemptCountMax` times with exponential backoff and jitter (each wait
/// drawn between half and all of the exponential delay), so relays started by the same timer do not retry in lockstep.
public struct BatchRelay {
    public let counties: Set<OrgCode>
    public let limits: SyncLimits
    public private(set) var movedCount = 0
    public private(set) var problemCount = 0
    let report: (String) -> Void
    let warn: (String) -> Void
    var random: AnyRandomNumberGenerator

    /// - Parameters:
    ///   - counties: the org units whose batches to carry (all when empty; required when pulling from the hub).
    ///   - report: receives one line per file carried; `warn`, one line per problem.
    ///   - random: draws the retry jitter (injected so a test can replay it).
    public init(counties: Set<OrgCode>, limits: SyncLimits, report: @escaping (String) -> Void, warn: @escaping (String) -> Void,
                random: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.counties = counties
        self.limits = limits
        self.report = report
        self.warn = warn
        self.random = AnyRandomNumberGenerator(random)
    }

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
                warn("skipped \(name): \(error) (left where it is)")
            }
        }
        return batches
    }

    /// FOLDER → FOLDER: each file is written whole at the target (temporary name, fsync, rename), then removed here.
    public mutating func moveFiles(from source: URL, to target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for batch in try batches(in: source) {
            let destination = target.appendingPathComponent(batch.file.lastPathComponent)
            if let existing = try? BatchFiles.read(destination), existing != batch.bytes {
                problemCount += 1
                warn("kept \(batch.file.lastPathComponent): a different file of that name is already in \(target.path)")
                continue
            }
            try BatchFiles.writeAtomically(batch.bytes, to: destination)
            try FileManager.default.removeItem(at: batch.file)
            movedCount += 1
            report("moved \(batch.file.lastPathComponent) to \(target.path)")
        }
    }

    /// FOLDER → hub: uploads each file; removes it once the hub has answered (applied, already applied or refused).
    public mutating func upload(from source: URL, client: HubHTTPClient) async {
        let files: [(file: URL, bytes: [UInt8], header: BatchHeader)]
        do {
            files = try batches(in: source)
        } catch {
            problemCount += 1
            return warn("cannot read \(source.path): \(error)")
        }
        for batch in files {
            let name = batch.file.lastPathComponent
            do {
                let answer = try await retrying { () async throws(HubTransportError) in try await client.upload(batch.bytes) }
                try? FileManager.default.removeItem(at: batch.file)
                movedCount += 1
                switch answer {
                case .applied(let count): report("delivered \(name): applied (\(count) change(s))")
                case .alreadyApplied: report("delivered \(name): already applied")
                }
            } catch {
                problemCount += 1
                switch error.code {
                case .refused:
                    let refused = source.appendingPathComponent("refused", isDirectory: true)
                    try? FileManager.default.createDirectory(at: refused, withIntermediateDirectories: true)
                    try? FileManager.default.moveItem(at: batch.file, to: refused.appendingPathComponent(name))
                    warn("refused \(name) by the hub: \(error.message) (moved to \(refused.path))")
                case .uncertain:
                    warn("uncertain: \(name) got no answer; the next relay run settles it (the hub ignores a replay)")
                case .unreachable, .serverFailure:
                    return warn("stopped at \(name): \(error) (this and the remaining files stay for the next run)")
                }
            }
        }
    }

    /// hub → FOLDER: the next batch of each county, written under its standard name.
    public mutating func download(to target: URL, client: HubHTTPClient, key: SigningKey) async {
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        } catch {
            problemCount += 1
            return warn("cannot create \(target.path): \(error)")
        }
        for county in counties.sorted() {
            do {
                let next = { () async throws(HubTransportError) in try await client.downloadNext(for: county, key: key) }
                guard let bytes = try await retrying(next) else {
                    report("nothing from the hub for \(county)")
                    continue
                }
                let header = try BatchEnvelope.parse(bytes).header
                let file = target.appendingPathComponent(BatchFiles.fileName(sender: header.sender, recipient: header.recipient,
                                                                             batchSequence: header.batchSequence))
                try BatchFiles.writeAtomically(bytes, to: file)
                movedCount += 1
                report("fetched \(file.lastPathComponent) for \(county)")
            } catch {
                problemCount += 1
                warn("could not fetch for \(county): \(error)")
            }
        }
    }

    /// Runs `request` up to `retryAttemptCountMax` times with jittered exponential backoff; a refusal is never retried.
    mutating func retrying<T>(_ request: () async throws(HubTransportError) -> T) async throws(HubTransportError) -> T {
        var attempt = 1
        while true {
            do {
                return try await request()
            } catch {
                guard error.isRetryable, attempt < limits.retryAttemptCountMax else { throw error }
                try? await Task.sleep(for: .milliseconds(limits.retryDelayMilliseconds(afterAttempt: attempt, jitter: &random)))
                attempt += 1
            }
        }
    }
}
