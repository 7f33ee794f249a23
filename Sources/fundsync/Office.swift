import BatchExchange
import BatchWire
import Foundation
import HubCore
import HubPostgres
import LedgerCore
import NodeAgent
import ReplicaStore

/// A data folder opened as whichever role it holds.
enum Office {
    case hub(Hub)
    case node(Node)

    static func open(_ path: String) throws -> Office {
        let directory = DataDirectory(path)
        // A hub whose store of record is PostgreSQL may have no working copy yet (a new machine): openHub makes it.
        if try HubStoreConfiguration.read(directory) != nil { return .hub(try openHub(path)) }
        let store = try ReplicaStore.open(path: directory.replica.path, clock: SystemClock())
        switch store.role {
        case .hub: return .hub(try openHub(path))
        case .node:
            let node = try Node.open(directory: directory, clock: SystemClock())
            try AuditTrail.attach(to: node.store)
            return .node(node)
        }
    }

    var store: ReplicaStore {
        switch self {
        case .hub(let hub): hub.store
        case .node(let node): node.store
        }
    }

    var directory: DataDirectory {
        switch self {
        case .hub(let hub): hub.directory
        case .node(let node): node.directory
        }
    }

    /// The office's end of its links (imports, sealing, export).
    var exchange: BatchExchange {
        switch self {
        case .hub(let hub): hub.exchange
        case .node(let node): node.exchange
        }
    }

    func export(to folder: URL, encrypt: Bool = false) throws -> [URL] {
        switch self {
        case .hub(let hub): try hub.export(to: folder, encrypt: encrypt)
        case .node(let node): try node.export(to: folder, encrypt: encrypt)
        }
    }

    func verify() throws -> [String] {
        switch self {
        case .hub(let hub): try hub.verify()
        case .node(let node): try node.verify()
        }
    }
}

/// Errors the CLI reports as one sentence.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func parseOrg(_ text: String, flag: String) throws -> OrgCode {
    guard let code = OrgCode(text) else {
        throw CLIError("\(flag) '\(text)' is not an org code (1-32 letters, digits, '.', '_' or '-')")
    }
    return code
}

func readTextFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes a line for a person on standard error, or, with `FUNDSYNC_LOG_FORMAT=json`, the same words as one JSON log
/// line (level `warning`).
func writeError(_ line: String) {
    if LogFormat.fromEnvironment == .json {
        return OperationLog(.json, label: "fundsync").record(line, level: .warning, [:])
    }
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Opens the hub in `path` for the current command, with its audit context. When the folder names a PostgreSQL
/// store of record (`store.json`, from `hub init --store`), the working copy is first made current (rebuilt from
/// PostgreSQL when missing or behind) and every write of this process then commits in PostgreSQL first.
func openHub(_ path: String) throws -> Hub {
    let directory = DataDirectory(path)
    guard let configuration = try HubStoreConfiguration.read(directory) else {
        let hub = try Hub.open(directory: directory, clock: SystemClock())
        try AuditTrail.attach(to: hub.store)
        return hub
    }
    let settings = try configuration.settings()
    let opening = try HubStoreOfRecord.prepareWorkingCopy(at: directory.replica.path, settings: settings)
    let hub = try Hub.open(directory: directory, clock: SystemClock())
    _ = try HubStoreOfRecord.attach(hub.store, opening: opening, settings: settings)
    try AuditTrail.attach(to: hub.store)
    return hub
}
