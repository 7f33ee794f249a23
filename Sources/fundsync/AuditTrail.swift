import ArgumentParser
import Foundation
import ReplicaStore

/// The audit log at the composition root. A command that changes an office (posts, approvals, registry and key
/// changes, imports, backups) runs with an `AuditContext` on the office's store — who (`--preparer`, `--by`,
/// `--approver`, or the login name) and what (the command and its arguments) — and the store writes the entry in the
/// same transaction as each change it records (`ReplicaStore.auditing`). An import is audited in the transaction of
/// each batch that applied something. The entry is a replicated change, so a node's log travels up to the hub with its
/// next batch.
///
/// Three kinds of command write their entry on its own: `export` and `sync` before they run, so the entry leaves with
/// the batches they send (sealing a batch changes no books); `hub init` and `node init` after, once the replica exists.
enum AuditTrail {
    /// Commands that only read, or that have no replica of their own to record in: nothing to audit.
    static let readOnly: Set<String> = ["status", "balances", "verify", "rejections", "keys", "conflicts", "documents", "differences",
                                        "audit", "report", "bank-rec", "simulate", "registry", "serve", "--help", "-h", "help",
                                        "relay", "restore", "findings", "vouchers"]
    /// Commands whose entry is written on its own before they run.
    static let recordedBefore: Set<String> = ["export", "sync"]
    /// Commands whose entry is written on its own after they run (they create the replica).
    static let recordedAfter: Set<String> = ["init"]

    /// The context of this process's command, set once by `FundSync.main` before the command runs.
    nonisolated(unsafe) static var current: (context: AuditContext, data: String)?

    /// The audit context of the command in `arguments`, and its data folder; `nil` when it is not audited.
    static func context(for arguments: [String]) -> (context: AuditContext, data: String)? {
        let words = Array(arguments.dropFirst())
        guard let dataIndex = words.firstIndex(of: "--data"), dataIndex + 1 < words.count else { return nil }
        let action = words.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
        guard !action.isEmpty, !words.contains(where: readOnly.contains),
              !action.split(separator: " ").contains(where: { readOnly.contains(String($0)) }) else { return nil }
        let actor = value(after: ["--preparer", "--by", "--approver"], in: words) ?? operator_()
        return (AuditContext(actor: actor, action: action, detail: words.joined(separator: " ")), words[dataIndex + 1])
    }

    /// Whether the command's entry is written on its own before it runs (`true`), after it (`false`), or by the
    /// store in each transaction (`nil`).
    static func standaloneEntry(_ context: AuditContext) -> Bool? {
        let words = context.action.split(separator: " ").map(String.init)
        if words.contains(where: recordedBefore.contains) { return true }
        if words.contains(where: recordedAfter.contains) { return false }
        return nil
    }

    /// Audits the store of an office opened for the current command, and gives it the people's keys of this
    /// terminal (`FUNDSYNC_KEYS`), so its documents and its audit entry are signed by the people they name.
    static func attach(to store: ReplicaStore) throws {
        store.auditing = current?.context
        if let agent = ProcessInfo.processInfo.environment["FUNDSYNC_AGENT"], !agent.isEmpty {
            store.signer = try AgentSigner(socket: agent)
        } else {
            store.signer = try KeyFolderSigner.fromEnvironment()
        }
    }

    /// Writes the current command's entry on its own, in a transaction of its own.
    static func recordStandalone() {
        guard let (context, data) = current else { return }
        do {
            let office = try Office.open(data)
            let policy: any ReplicaPolicy
            switch office {
            case .hub(let hub): policy = hub.replicaPolicy
            case .node(let node):
                guard node.hubOrg != nil else { return }  // nothing can be sent before the first import
                policy = try node.replicaPolicy
            }
            office.store.auditing = nil
            try office.store.audit(actor: context.actor, action: context.action, detail: context.detail, policy: policy)
        } catch {
            FileHandle.standardError.write(Data("warning: the audit log could not record this command: \(error)\n".utf8))
        }
    }

    /// The person at this terminal when the command names none: `FUNDSYNC_OPERATOR` (a staff id, whose key then signs
    /// the entry), else the operating-system account, marked as such — an entry never says "unknown".
    static func operator_() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let staff = environment["FUNDSYNC_OPERATOR"], !staff.isEmpty { return staff }
        return "os:" + (environment["USER"] ?? environment["LOGNAME"] ?? "uid-\(getuid())")
    }

    static func value(after flags: [String], in words: [String]) -> String? {
        for flag in flags {
            if let index = words.firstIndex(of: flag), index + 1 < words.count { return words[index + 1] }
        }
        return nil
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the audit log (at the hub: every office's), or export it as CSV.",
        discussion: """
            Examples:
              fundsync audit --data hub --org 340122
              fundsync audit --data county --csv audit-340122-2026-12.csv     # UTF-8 with BOM, opens in Excel
              fundsync audit --data hub --json
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Only this office.") var org: String?
    @Option(help: ArgumentHelp("Write CSV (UTF-8 with BOM) to this file.", valueName: "FILE")) var csv: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let entries = try Office.open(data.data).store.auditLog(org: try org.map { try parseOrg($0, flag: "--org") })
        if json { return try printJSON(entries) }
        if let csv {
            func quote(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var text = "\u{FEFF}id,org,at_ms,actor,actor_name,signed_with_key,action,detail\r\n"
            for entry in entries {
                text += [entry.id, entry.org, String(entry.atMilliseconds), entry.actor, entry.actorName ?? "", entry.signedWithKey ?? "",
                         entry.action, entry.detail].map(quote).joined(separator: ",") + "\r\n"
            }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            print("wrote \(entries.count) audit entries to \(csv)")
            return
        }
        let formatter = ISO8601DateFormatter()
        for entry in entries {
            let when = formatter.string(from: Date(timeIntervalSince1970: Double(entry.atMilliseconds) / 1000))
            print("\(when) \(entry.org) \(entry.actorDescription): \(entry.action) — \(entry.detail)")
        }
        if entries.isEmpty { print("the audit log is empty") }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Take a consistent copy of the replica while the office keeps working (SQLite online backup).",
        discussion: """
            Example:
              fundsync backup --data hub --to /backup/hub-2026-12-31.sqlite
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("The backup file to create.", valueName: "FILE")) var to: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: to) else { throw CLIError("\(to) already exists; choose a new file") }
        try Office.open(data.data).store.backup(to: to)
        print("backup of \(data.data) written to \(to); keep the office's key files (private.key) safe separately")
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring a backup back as the office's replica (refused while the office is served); the current replica is kept aside.",
        discussion: """
            Examples:
              fundsync restore --data hub --from /backup/hub-2026-12-31.sqlite
              fundsync restore --data county --from /backup/340122-2026-12-31.sqlite     # then sync once before posting
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("The backup file.", valueName: "FILE")) var from: String

    func run() throws {
        let directory = DataDirectory(data.data)
        // No server may hold the replica while it is swapped, and none may start until the swap is done.
        let officeLock = try OfficeLock(directory, purpose: "restore")
        defer { withExtendedLifetime(officeLock) {} }
        let backup = try ReplicaStore.open(path: from, clock: SystemClock())
        let current = try? ReplicaStore.open(path: directory.replica.path, clock: SystemClock())
        if let current, current.org != backup.org {
            throw CLIError("the backup is of \(backup.org), but \(data.data) holds \(current.org)")
        }
        let problems = try backup.verify { _ in backup.role == .hub }
        guard problems.isEmpty else { throw CLIError("the backup does not pass verify: \(problems.joined(separator: "; "))") }
        var aside = directory.root.appendingPathComponent("replica.before-restore-\(Int(Date().timeIntervalSince1970)).sqlite")
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside.path) {
            aside = directory.root.appendingPathComponent("replica.before-restore-\(Int(Date().timeIntervalSince1970))-\(attempt).sqlite")
            attempt += 1
        }
        if FileManager.default.fileExists(atPath: directory.replica.path) {
            try FileManager.default.moveItem(at: directory.replica, to: aside)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory.replica.path + suffix) }
        }
        try FileManager.default.copyItem(atPath: from, toPath: directory.replica.path)
        print("restored \(backup.org) from \(from)" + (FileManager.default.fileExists(atPath: aside.path) ? "; the previous replica is in \(aside.lastPathComponent)" : ""))
        if backup.role == .node {
            // The backup does not know what this office posted after it was taken: posting on would reuse counters and
            // document numbers the hub already holds. It waits for the hub's answer (PROTOCOL.md §8.8).
            try ReplicaStore.open(path: directory.replica.path, clock: SystemClock()).requireResync()
            print("this office posts nothing until it has exchanged with the hub once more: sync (or export, carry the file "
                  + "to the hub, and import the hub's answer); the hub sends back what it holds of this office beyond the backup")
        }
    }
}
