import BatchWire
import ArgumentParser
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Create a node (county, city or subsidiary office).",
                                                    subcommands: [NodeInit.self, NodeRebuild.self, NodeRotateKey.self, NodeServe.self])
}

struct NodeInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a node: key pair and replica.",
        discussion: """
            Examples:
              fundsync node init --data county --org 340122 --hub-key /media/usb/hub-public.key
              fundsync node init --data county --org 340122 --hub-key /media/usb/hub-public.key --algorithm sm2-sm3 \\
                  --hub-encryption-key /media/usb/hub-encryption-public.key
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The office's institution code, e.g. 340122.") var org: String
    @Option(name: .customLong("hub-key"), help: ArgumentHelp("The hub's public.key file.", valueName: "FILE")) var hubKey: String
    @Option(name: .customLong("hub-encryption-key"),
            help: ArgumentHelp("The hub's encryption-public.key file (for 'export --encrypt').", valueName: "FILE"))
    var hubEncryptionKey: String?
    @Option(help: "Signing algorithm: ed25519 (with an X25519 encryption key) or sm2-sm3 (with an SM2 encryption key).")
    var algorithm: SignatureAlgorithm = .ed25519

    func run() throws {
        let node = try Node.initialize(directory: DataDirectory(data.data), org: try parseOrg(org, flag: "--org"),
                                       hubKeyPEM: try readTextFile(hubKey), clock: SystemClock(), algorithm: algorithm,
                                       hubEncryptionKeyPEM: try hubEncryptionKey.map(readTextFile))
        print("node \(node.org) created in \(data.data); give \(node.directory.publicKey.path) to the hub for enrolment (key id \(node.signingKey.publicKey.keyID))")
        print("and \(node.encryptionKeyFiles.publicKey.path) with it, for 'hub enroll --encryption-key'")
    }
}

struct Post: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Post vouchers from a JSON file (all or nothing; works offline).",
        discussion: """
            At a node: its own vouchers. At the hub: the hub's own vouchers a person writes (opening balances, transfers \
            between its own accounts), each with a preparer and a different reviewer.

            Examples:
              fundsync post --data county vouchers-2026-12-03.json
              fundsync post --data county late-bank-fee.json --adjust      # re-dated to the first open day
              fundsync post --data hub hub-opening.json
            """)
    @OptionGroup var data: DataOption
    @Argument(help: ArgumentHelp("The voucher file; format in README.md.", valueName: "FILE.json")) var file: String
    @Flag(help: "Re-date vouchers that fall in a closed period to the first open day, as adjustments (nodes).") var adjust = false

    func run() throws {
        let office = try Office.open(data.data)
        let url = URL(fileURLWithPath: file)
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= Limits.postFileBytesMax else { throw CLIError("\(file) is \(size) bytes, over the limit of \(Limits.postFileBytesMax)") }
        let drafts: [VoucherDraft]
        do {
            drafts = try VoucherDraft.decodeFile(try Data(contentsOf: url))
        } catch let error as DecodingError {
            throw CLIError("\(file) is not a voucher file: \(Self.describe(error))")
        }
        let posted: [Voucher]
        switch office {
        case .node(let node):
            posted = try node.post(drafts, adjustClosedPeriod: adjust)
        case .hub(let hub):
            guard !adjust else { throw CLIError("--adjust is for nodes; the hub posts in its open period") }
            posted = try hub.postOwnVouchers(try drafts.enumerated().map { index, draft in
                guard draft.reverses == nil else { throw CLIError("voucher \(index + 1): reversals of the hub's own vouchers are not posted from a file") }
                guard let date = BusinessDate(draft.date) else { throw CLIError("voucher \(index + 1): '\(draft.date)' is not a date") }
                let shape = try hub.store.read { reader in try draft.voucher(id: "", org: hub.org, lookup: reader.lookup(asOf: date)) }
                return HubVoucherEntry(lines: shape.lines, date: date, memo: shape.memo, signatures: shape.signatures)
            })
        }
        for voucher in posted {
            print("posted \(voucher.id) \(voucher.date) \(try voucher.total(.debit)) \(voucher.currency) \(TerminalText.safe(voucher.memo))")
        }
        print("\(posted.count) voucher(s) posted at \(office.store.org)")
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

struct NodeRotateKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate-key",
        abstract: "Replace this office's signing key; give the new public.key to the hub ('hub key add'), which then revokes the old one.",
        discussion: """
            Example:
              fundsync node rotate-key --data county
            """)
    @OptionGroup var data: DataOption

    func run() throws {
        guard case .node(let node) = try Office.open(data.data) else { throw CLIError("rotate-key is for a node; the hub's key is managed at init") }
        let old = node.signingKey.publicKey.keyID
        let rotated = try node.rotateSigningKey(to: try SigningKey.generate(node.signingKey.algorithm))
        print("key \(old) replaced by \(rotated.signingKey.publicKey.keyID); give \(rotated.directory.publicKey.path) to the hub")
    }
}

struct NodeRebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild a lost node from the hub alone: a new replica that takes back from the hub this office's changes and the hub's stream.",
        discussion: """
            For an office whose data folder is lost with no backup. The new replica posts nothing until its first exchange
            with the hub has brought back everything the hub holds of this office: its vouchers and documents (with their
            numbers), the registry, and the hub's documents (PROTOCOL.md §8.8). What the office wrote and never exported is
            lost: it was nowhere but on the lost disk.

            A new signing key is created (the lost one must be treated as compromised). Give the new public.key to the hub
            ('hub key add') and revoke the lost one there before the first exchange.

            Example:
              fundsync node rebuild --data county --org 340122 --hub-org 340000 --hub-key /media/usb/hub-public.key
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The office's institution code, e.g. 340122.") var org: String
    @Option(name: .customLong("hub-org"), help: "The hub's institution code, e.g. 340000.") var hubOrg: String
    @Option(name: .customLong("hub-key"), help: ArgumentHelp("The hub's public.key file.", valueName: "FILE")) var hubKey: String
    @Option(name: .customLong("hub-encryption-key"),
            help: ArgumentHelp("The hub's encryption-public.key file (for 'export --encrypt').", valueName: "FILE"))
    var hubEncryptionKey: String?
    @Option(help: "Signing algorithm of a new key: ed25519 or sm2-sm3.") var algorithm: SignatureAlgorithm = .ed25519

    func run() throws {
        let hub = try parseOrg(hubOrg, flag: "--hub-org")
        let node = try Node.initialize(directory: DataDirectory(data.data), org: try parseOrg(org, flag: "--org"),
                                       hubKeyPEM: try readTextFile(hubKey), clock: SystemClock(), algorithm: algorithm,
                                       hubEncryptionKeyPEM: try hubEncryptionKey.map(readTextFile))
        try node.store.setMeta("hub_org", hub.rawValue)
        try node.store.requireResync()
        print("node \(node.org) rebuilt in \(data.data) with key \(node.signingKey.publicKey.keyID); it posts nothing until its first exchange "
              + "with the hub \(hub) has brought back this office's changes")
        print("at the hub: 'fundsync hub key add' with \(node.directory.publicKey.path) (and revoke the lost key), then sync or export here")
    }
}
