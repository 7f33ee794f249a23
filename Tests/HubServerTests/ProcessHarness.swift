import Foundation
import SyncTesting
import Testing

/// Runs the built `fundsync` binary with time limits, and a `hub serve` process that is always stopped.
struct FundSyncProcesses {
    let folder: TemporaryDirectory

    static var binary: String {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleFolder.appendingPathComponent("fundsync").path,
                          repositoryRoot().appendingPathComponent(".build/debug/fundsync").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    func path(_ component: String) -> String { folder.path(component) }

    /// Runs `fundsync arguments` to completion (killed after `timeoutSeconds`); output goes through files so a chatty
    /// process never blocks on a full pipe.
    @discardableResult
    func run(_ arguments: [String], status expected: Int32? = 0, timeoutSeconds: Double = 60,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, stdout: String, stderr: String) {
        let id = UUID().uuidString
        let outURL = folder.url.appendingPathComponent(".out-\(id)"), errURL = folder.url.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
            Issue.record("fundsync \(arguments.joined(separator: " ")) took more than \(timeoutSeconds) s", sourceLocation: sourceLocation)
        }
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        if let expected {
            #expect(process.terminationStatus == expected,
                    "fundsync \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr)\(stdout)",
                    sourceLocation: sourceLocation)
        }
        return (process.terminationStatus, stdout, stderr)
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(try run(arguments).stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// The replica's version vector (`status --json`).
    func versionVector(_ data: String) throws -> [String: Int] {
        (try json(["status", "--data", path(data), "--json"])["versionVector"] as? [String: Int]) ?? [:]
    }
}

/// A running `fundsync hub serve` on 127.0.0.1 with a port the OS picked. `stop()` ends it (SIGTERM, then SIGKILL).
final class HubServerProcess {
    let process = Process()
    let logURL: URL
    private(set) var url = ""
    /// The admin listener (status, metrics), on loopback.
    private(set) var adminURL = ""

    /// Starts the server and waits (at most `timeoutSeconds`) for its "listening on" line.
    init(data: String, logURL: URL, extraArguments: [String] = [], timeoutSeconds: Double = 30) throws {
        self.logURL = logURL
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: FundSyncProcesses.binary)
        process.arguments = ["hub", "serve", "--data", data, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"] + extraArguments
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on https?://127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let admin = text.range(of: #"administrators at http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                url = String(text[range].dropFirst("listening on ".count))
                adminURL = String(text[admin].dropFirst("administrators at ".count))
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ServerDidNotStart(log: (try? String(contentsOf: logURL, encoding: .utf8)) ?? "")
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let log: String
        var description: String { "hub serve did not report listening: \(log)" }
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
