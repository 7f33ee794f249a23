import ArgumentParser
import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Version vector and outbox, inbox, pending and quarantine counts.",
        discussion: """
            Examples:
              fundsync status --data county
              fundsync status --data hub --json
            """)
    @OptionGroup var data: DataOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let office = try Office.open(data.data)
        var status = try office.store.status()
        status.quarantine = try BatchFiles.quarantineCount(in: office.directory.quarantine)
        status.keyID = try SigningKeyFile.keyID(office.directory)
        if case .hub(let hub) = office {
            let health = try hub.linkHealth()
            status.securityAlerts = health.openAlerts
            status.failingLinks = health.failingLinks
            status.blockedLinks = try hub.blockedLinks().map(\.peer)
        } else {
            status.resync = try office.store.resyncState()?.description
        }
        if json { return try printJSON(status) }
        print("\(status.role) \(status.org), signing key \(status.keyID ?? "?")")
        print("version vector: " + status.versionVector.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " "))
        print("vouchers \(status.vouchers)  outbox \(status.outbox)  inbox \(status.inbox)  pending \(status.pending)  "
              + "quarantine \(status.quarantine)  rejected \(status.rejected)")
        for peer in status.peers {
            print("  \(peer.peer): sent up to \(peer.sentPosition), acknowledged \(peer.ackedPosition), "
                  + "outbox \(peer.outbox); received up to \(peer.receivedPosition), pending \(peer.pending)")
        }
        if let resync = status.resync { print("RESYNC PENDING: this office was \(resync)") }
        // At the hub, what needs a person is said loudly, last, where it is seen (details: `hub alerts`).
        if case .hub(let hub) = office {
            let health = try hub.linkHealth()
            for alert in health.openAlerts {
                print("SECURITY ALERT \(alert.id) on \(alert.link): [\(alert.code)] " + TerminalText.safe(alert.detail, characterCountMax: 200))
            }
            for link in try hub.blockedLinks() {
                print("BLOCKED LINK \(link.peer): \(link.attempts) failed attempts to apply its batches; last: "
                      + TerminalText.safe(link.lastError, characterCountMax: 200))
            }
        }
    }
}

struct Balances: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Account balances from posted vouchers (rejected ones excluded), as of a date, with 借/贷.",
        discussion: """
            Examples:
              fundsync balances --data county                              # today's books, in Chinese
              fundsync balances --data hub --org 340122 --as-of 2026-11-30 --lang en
              fundsync balances --data hub --json                          # amounts in minor units (fen)
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Only this org unit's accounts.") var org: String?
    @Option(help: "Only vouchers dated on or before this day.") var asOf: BusinessDate?
    @OptionGroup var language: LanguageOption
    @Flag(help: "Print JSON (amounts in minor units).") var json = false

    struct Report: Encodable {
        var org: String
        var accounts: [AccountBalance]
        var debitMinorUnits: Int64
        var creditMinorUnits: Int64
    }

    func run() throws {
        let office = try Office.open(data.data)
        // A node holds only its own vouchers; accounts of other units in its registry scope (a city's counties)
        // would show zero for "no data here", so a node lists its own accounts unless asked otherwise.
        let defaultOrg: OrgCode? = office.store.role == .node ? office.store.org : nil
        let balances = try office.store.balances(org: try org.map { try parseOrg($0, flag: "--org") } ?? defaultOrg, asOf: asOf)
        let report = Report(org: office.store.org.rawValue, accounts: balances,
                            debitMinorUnits: try balances.reduce(AmountMinorUnits.zero) { try $0.adding(AmountMinorUnits($1.debitMinorUnits)) }.value,
                            creditMinorUnits: try balances.reduce(AmountMinorUnits.zero) { try $0.adding(AmountMinorUnits($1.creditMinorUnits)) }.value)
        if json { return try printJSON(report) }
        let words = try language.words()
        if let asOf { print("\(words("balances")) \(words("asOf")) \(asOf)") }
        for balance in balances {
            let magnitude = balance.balanceMinorUnits == Int64.min ? Int64.max : abs(balance.balanceMinorUnits)
            let amount = words.amount(magnitude, currency: balance.currency)
            print("\(balance.org)  \(ListingWords.pad(balance.account, 28)) \(words.direction(balance.balanceMinorUnits)) "
                  + "\(ListingWords.pad(amount, 20, right: true))  \(TerminalText.safe(balance.name))"
                  + (balance.status == "active" ? "" : " [\(balance.status)]"))
        }
        print("\(words("total")): \(words("debit")) \(words.amount(report.debitMinorUnits, currency: "CNY")), "
              + "\(words("credit")) \(words.amount(report.creditMinorUnits, currency: "CNY")) (\(balances.count) \(words("accounts")))")
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check integrity: counters without gaps, vouchers balance, logs complete.",
        discussion: """
            Example:
              fundsync verify --data county
            """)
    @OptionGroup var data: DataOption

    func run() throws {
        let problems = try Office.open(data.data).verify()
        guard problems.isEmpty else {
            for problem in problems { writeError(problem) }
            throw ExitCode(1)
        }
        print("ok: counters gap-free, every voucher balances, change log complete")
    }
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the signing keys this office knows, with their ids and status.",
        discussion: """
            Example:
              fundsync keys --data hub
            """)
    @OptionGroup var data: DataOption

    func run() throws {
        let office = try Office.open(data.data)
        let own = try SigningKeyFile.keyID(office.directory)
        print("this office (\(office.store.org)) signs with key \(own)")
        for key in try office.store.read({ try $0.nodeKeys() }) {
            print("\(key.org.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(key.keyID)  \(key.algorithm.name)  \(key.status.rawValue)")
        }
    }
}

struct Rejections: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List what was rejected, with the rule's code and the reason.",
        discussion: """
            Examples:
              fundsync rejections --data county
              fundsync rejections --data hub --json
            """)
    @OptionGroup var data: DataOption
    @Flag(help: "JSON: {byHub: [...], here: [...]}, each with change, origin, table, key, code (null before release 2) and reason.")
    var json = false

    struct Report: Encodable {
        var byHub: [RejectionRecord]
        var here: [RejectionRecord]
    }

    func run() throws {
        let office = try Office.open(data.data)
        let changes = try office.store.rejectedChanges()
        let notices = office.store.role == .node ? try office.store.rejectionNotices() : []
        if json { return try printJSON(Report(byHub: notices, here: changes)) }
        func code(_ record: RejectionRecord) -> String { record.code.map { " [\(TerminalText.safe($0))]" } ?? "" }
        for notice in notices {
            print("\(TerminalText.safe(notice.table)) \(TerminalText.safe(notice.key)) rejected by the hub\(code(notice)): "
                  + TerminalText.safe(notice.reason, characterCountMax: 400))
        }
        for change in changes {
            print("change \(change.change) (\(TerminalText.safe(change.table)) \(TerminalText.safe(change.key))) rejected here\(code(change)): "
                  + TerminalText.safe(change.reason, characterCountMax: 400))
        }
        if notices.isEmpty && changes.isEmpty { print("nothing rejected") }
    }
}

/// The office's own key id, read from its public key file.
enum SigningKeyFile {
    static func keyID(_ directory: DataDirectory) throws -> String {
        try PublicKey(pem: try directory.readText(directory.publicKey)).keyID
    }
}
