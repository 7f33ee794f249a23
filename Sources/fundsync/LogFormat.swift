import ArgumentParser
import Foundation
import Logging

/// `--log-format text|json`: how the long-running commands (`hub serve`) write their log lines, on standard error.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// `FUNDSYNC_LOG_FORMAT` (`text` or `json`): the format of every verb's error and warning lines, and of the
    /// operation lines of the verbs that take `--log-format` when it is not given. The services set it in their
    /// environment files.
    static var fromEnvironment: LogFormat? {
        ProcessInfo.processInfo.environment["FUNDSYNC_LOG_FORMAT"].flatMap { LogFormat(rawValue: $0.lowercased()) }
    }

    /// Bootstraps swift-log once for the process (the composition root's job, STYLE.md R12).
    func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = switch self {
            case .text: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// One JSON object per line: `{"time":…,"level":…,"label":…,"message":…, metadata…}`, for log collectors.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private static let lock = NSLock()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) { object[key] = "\(value)" }
        object["time"] = ISO8601DateFormatter().string(from: Date())
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: options) else { return }
        line.append(0x0A)
        Self.lock.withLock { FileHandle.standardError.write(line) }
    }
}

/// The log line of one operation of a short verb (`sync`, `import`, `export`), with its counts (8: "one line per
/// import, export and sync with its counts"; "every verb honours --log-format json"). With `--log-format json` it is
/// one JSON object on standard error, for a log collector, beside the verb's usual words on standard output; without
/// it, nothing more is written.
struct OperationLog {
    let logger: Logger?

    init(_ format: LogFormat?, label: String) {
        logger = (format ?? LogFormat.fromEnvironment) == .json ? Logger(label: label, factory: { JSONLogHandler(label: $0) }) : nil
    }

    func record(_ message: String, level: Logger.Level = .info, _ fields: [String: String]) {
        logger?.log(level: level, "\(message)", metadata: fields.mapValues { .string($0) })
    }
}
