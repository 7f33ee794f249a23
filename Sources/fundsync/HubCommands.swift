import ArgumentParser
import Foundation
import HubCore
import HubPostgres
import LedgerCore
import ReplicaStore

struct HubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub", abstract: "Create and administer the provincial hub and its registry.",
        subcommands: [HubInit.self, HubAlerts.self, HubEnroll.self, HubOrg.self, HubAccount.self, HubKey.self, HubStaff.self, HubImportRegistry.self, HubStaffKey.self, HubRule.self,
                      HubSweepPlan.self, HubRate.self, HubParam.self, HubCalendar.self, HubLock.self, HubReviewExplanation.self, HubRegistryStatus.self, HubReceipt.self,
                      HubAllocate.self, HubApproveAllocation.self, HubPayAllocation.self, HubAllocateCost.self, HubReissueSlip.self, HubTransfer.self, HubCheckRequest.self, HubDecide.self, HubRelease.self, HubInterest.self, HubDeposit.self, HubLoan.self, HubContracts.self, HubCreditLine.self, HubOverdraftLine.self, HubOverdrafts.self,
                      HubReconcile.self, HubStatement.self, HubBankRec.self, HubBank.self, HubReport.self, HubClose.self, HubServe.self, HubFindings.self, HubMigrateStore.self])
}

extension SignatureAlgorithm: ExpressibleByArgument {
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { $0.name == argument }) else { return nil }
        self = match
    }
}

struct HubInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a hub: key pair, replica, root org unit.",
        discussion: """
            Examples:
              fundsync hub init --data hub --org 340000 --name "Anhui Provincial Department of Finance (安徽省财政厅)"
              fundsync hub init --data hub --org 340000 --name "Anhui Provincial Department of Finance" --algorithm sm2-sm3
              fundsync hub init --data hub --org 340000 --name "Anhui" \\
                  --store "postgres://fundsync@db-a:5432,db-b:5432/fundsync" --password-file /etc/fundsync/pg.password

            With --store, PostgreSQL is the hub's store of record (docs/DESIGN.md §7.3): the new hub is copied into the
            (empty) database, the settings are kept in DIR/store.json (never the password: it comes from
            --password-file, mode 600, or FUNDSYNC_PG_PASSWORD), and from then on every command that opens the hub
            commits each of its writes in PostgreSQL first. DIR/replica.sqlite is then the hub's working copy, rebuilt
            from PostgreSQL when it is missing or behind.
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The province's institution code, e.g. 340000.") var org: String
    @Option(help: "The province's name.") var name: String
    @Option(help: "Signing algorithm: ed25519 (with an X25519 encryption key) or sm2-sm3 (with an SM2 encryption key).")
    var algorithm: SignatureAlgorithm = .ed25519
    @Option(help: ArgumentHelp("A PostgreSQL database (empty) as the hub's store of record: postgres://user@host:port[,host:port…]/db[?sslmode=…].",
                               valueName: "URL"))
    var store: String?
    @Option(name: .customLong("password-file"), help: ArgumentHelp("A file (mode 600) holding the database password.", valueName: "FILE"))
    var passwordFile: String?

    func run() throws {
        // Settings first: a bad string or password file fails before anything is created.
        let settings = try store.map { try PostgresSettings($0, passwordFile: passwordFile) }
        let directory = DataDirectory(data.data)
        let existing = Set((try? FileManager.default.contentsOfDirectory(atPath: directory.root.path)) ?? [])
        let hub = try Hub.initialize(directory: directory, org: try parseOrg(org, flag: "--org"), name: name,
                                     clock: SystemClock(), algorithm: algorithm)
        if let settings, let store {
            let mirror: PostgresStoreOfRecord
            do {
                mirror = try HubStoreOfRecord.seed(hub.store, settings: settings)
            } catch {
                // A hub that never reached its store of record must not be served from SQLite alone by mistake:
                // what this command created goes (it has written nothing anyone depends on).
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.root.path)) ?? [] where !existing.contains(name) {
                    try? FileManager.default.removeItem(at: directory.root.appendingPathComponent(name))
                }
                throw CLIError("the hub was not created: its store of record could not be seeded: \(error)")
            }
            try HubStoreConfiguration(postgres: settings.connectionString, passwordFile: passwordFile.map { URL(fileURLWithPath: $0).path })
                .write(directory)
            print("store of record: \(store) (\(mirror.currentHost ?? "?")); settings in \(HubStoreConfiguration.file(in: directory).path)")
            mirror.close()
        }
        print("hub \(hub.org) created in \(data.data); public key \(hub.directory.publicKey.path) (key id \(hub.signingKey.publicKey.keyID))")
        print("encryption public key \(hub.encryptionKeyFiles.publicKey.path): give it to the nodes for 'node init --hub-encryption-key'")
    }
}

extension OrgUnit.Level: ExpressibleByArgument {}

struct HubEnroll: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enrol a node: its org unit and its public key.",
        discussion: """
            Examples:
              fundsync hub enroll --data hub --org 340122 --parent 340100 --name "Feidong County Finance Bureau (肥东县财政局)" \\
                  --key /media/usb/340122-public.key
              fundsync hub enroll --data hub --org 340100 --parent 340000 --name "Hefei Municipal Finance Bureau" --level city \\
                  --key /media/usb/340100-public.key --encryption-key /media/usb/340100-encryption-public.key
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The node's institution code.") var org: String
    @Option(help: "The parent org unit's code.") var parent: String
    @Option(help: "The org unit's name.") var name: String
    @Option(help: ArgumentHelp("The node's public.key file.", valueName: "FILE")) var key: String
    @Option(help: "province, city, county or subsidiary.") var level: OrgUnit.Level = .county
    @Option(name: .customLong("encryption-key"), help: ArgumentHelp("The node's encryption-public.key file (for 'export --encrypt').",
                                                                    valueName: "FILE"))
    var encryptionKey: String?
    @Option(help: ArgumentHelp("The FundSync release installed at the office (see its 'fundsync --version'): 1 for an office installed from the previous release's package. Until the node announces its release, the hub writes for this one.",
                               valueName: "N"))
    var release: Int = FundSyncRelease.number

    func run() throws {
        let hub = try openHub(data.data)
        try hub.enroll(org: try parseOrg(org, flag: "--org"), parent: try parseOrg(parent, flag: "--parent"), name: name,
                       level: level, publicKeyPEM: try readTextFile(key), encryptionKeyPEM: try encryptionKey.map(readTextFile),
                       release: release)
        print("enrolled \(org) under \(parent) as release \(release); its registry snapshot is queued for the next export")
    }
}

struct HubOrg: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "org", abstract: "Add or rename an org unit that has no node of its own.",
        discussion: """
            Examples:
              fundsync hub org --data hub --org 340300 --parent 340000 --name "Bengbu Municipal Finance Bureau" --level city
              fundsync hub org --data hub --org 340122901 --parent 340122 --name "Feidong County Education Bureau" --level budget_unit
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The org unit's code.") var org: String
    @Option(help: "The parent org unit's code.") var parent: String
    @Option(help: "The org unit's name.") var name: String
    @Option(help: "province, city, county, subsidiary or budget_unit (预算单位: under its county's node, which keeps its books).")
    var level: OrgUnit.Level = .city

    func run() throws {
        let hub = try openHub(data.data)
        try hub.addOrgUnit(OrgUnit(code: try parseOrg(org, flag: "--org"), parent: try parseOrg(parent, flag: "--parent"),
                                   name: name, level: level))
        print("org unit \(org) recorded under \(parent)")
    }
}

extension AccountKind: ExpressibleByArgument {}

struct HubAccount: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Open, freeze, unfreeze or close accounts in the registry.",
        discussion: """
            Examples:
              fundsync hub account add --data hub --org 340122 --kind subject --code 6602 --name "Administrative expenses"
              fundsync hub account freeze --data hub --account 6217000012345678901 --reason "court freezing order" --by 340000-zhoumin
              fundsync hub account inspections --data hub --date 2026-12-31 --overdue
            """,
        subcommands: [Add.self, Freeze.self, Unfreeze.self, Close.self, Inspect.self, Inspections.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open an account (or redefine an existing one).",
            discussion: """
                Examples:
                  fundsync hub account add --data hub --org 340122 --kind bank --code 6217000012345678901 \\
                      --name "ICBC Feidong Sub-branch income account" --purpose income --class general \\
                      --bank "ICBC Feidong Sub-branch" --retained 20000.00
                  fundsync hub account add --data hub --org 340000 --kind bank --code "DE89 3704 0044 0532 0130 00" \\
                      --currency EUR --name "Frankfurt branch EUR account" --time-zone Europe/Berlin
                  fundsync hub account add --data hub --org 340000 --kind bank --account-scheme other --code 37040044/0532013000 \\
                      --currency EUR --name "BLZ account"
                  fundsync hub account add --data hub --org 340122 --kind subject --code 6602 --name "Administrative expenses"
                  fundsync hub account add --data hub --org 340000 --kind internal --code 2242.02.340122 \\
                      --name "Internal current deposit - Feidong County" --settlement-number 3401220001
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The org unit that owns the account.") var org: String
        @Option(help: "bank, internal or subject.") var kind: AccountKind
        @Option(help: "Bank account number, internal account code (2242.02) or subject code (1002).") var code: String
        @Option(help: "The account's name.") var name: String
        @Option(help: "ISO 4217 currency.") var currency: String = "CNY"
        @Option(help: "Bank accounts: how the number is written — domestic (6–34 digits), iban (check digits verified) or other (a bank's own format such as BLZ/account); detected when not given.")
        var accountScheme: BankAccountNumber.Scheme?
        @Option(help: "Account id; default: the bank account number, or ORG:CODE for internal accounts and subjects.") var id: String?
        @Option(help: "Bank accounts: income, expense, collection or general.") var purpose: String?
        @Option(name: .customLong("class"), help: "Bank accounts: basic, general, special or temporary.") var accountClass: String?
        @Option(help: "Bank and branch name.") var bank: String?
        @Option(help: "Retained balance for sweeps, in yuan.") var retained: Money?
        @Option(name: .customLong("max-deposit"), help: "Maximum deposit, in yuan.") var maxDeposit: Money?
        @Option(name: .customLong("settlement-number"), help: "Internal accounts: the settlement account number.") var settlementNumber: String?
        @Option(help: "Bank accounts: the time zone the bank states its times in (an IANA name such as Europe/Berlin); camt.053 date-times of this account become that zone's days. UTC when not given.")
        var timeZone: String?

        func run() throws {
            let owner = try parseOrg(org, flag: "--org")
            guard let currency = CurrencyCode(currency) else { throw CLIError("--currency '\(currency)' is not a currency code") }
            var code = self.code
            if kind == .bank {
                do {
                    code = try BankAccountNumber(code, scheme: accountScheme).value  // an IBAN upper case, without spaces
                } catch {
                    throw CLIError("--code: \(error.description)")
                }
            }
            let accountID = id ?? (kind == .bank ? code : "\(owner.rawValue):\(code)")
            let hub = try openHub(data.data)
            var attributes: [String: FieldValue] = [:]
            if let purpose { attributes["purpose"] = .text(purpose) }
            if let accountClass { attributes["class"] = .text(accountClass) }
            if let bank { attributes["bank"] = .text(bank) }
            if let retained { attributes["retained_balance"] = .integer(retained.amount.value) }
            if let maxDeposit { attributes["max_deposit"] = .integer(maxDeposit.amount.value) }
            if let settlementNumber { attributes["settlement_number"] = .text(settlementNumber) }
            if let timeZone { attributes["time_zone"] = .text(timeZone) }
            // Redefining keeps the account's status (a frozen account stays frozen: status changes have their own verbs).
            let current = try hub.store.read { try $0.account(accountID) }?.status ?? .active
            try hub.putAccount(AccountRecord(id: accountID, org: owner, kind: kind, code: code, name: name,
                                             currency: currency, status: current), attributes: attributes, scheme: accountScheme)
            print("account \(accountID) \(current == .active ? "open" : current.rawValue) for \(owner)")
        }
    }

    struct StatusChange: ParsableArguments {
        @OptionGroup var data: DataOption
        @Option(help: "The account id.") var account: String
        @Option(name: .customLong("from"), help: "Effective from this business date (default: at once, for every date).") var effectiveFrom: BusinessDate?

        func apply(_ status: AccountStatus) throws {
            let hub = try openHub(data.data)
            try hub.setAccountStatus(account, to: status, effectiveFrom: effectiveFrom)
            print("account \(account) is now \(status.rawValue)" + (effectiveFrom.map { " from \($0)" } ?? ""))
        }
    }

    struct Freeze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freeze an account: nothing more may be paid from it or posted to it, from the next business day by default.",
            discussion: """
                Needs a reason and the staff id of a fund manager or the fund-centre manager. Never retroactive: --from may be \
                the decision's date (--on, default today in China), never earlier.

                Examples:
                  fundsync hub account freeze --data hub --account 6217000012345678901 --reason "court freezing order" \\
                      --by 340000-zhoumin --on 2026-12-09 --from 2026-12-09
                  fundsync hub account freeze --data hub --account 6217000012345678901 --reason "suspected fraud" --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The account id.") var account: String
        @Option(help: "Why it is frozen (a court order, a suspected fraud, …).") var reason: String
        @Option(help: "Who decides (staff id of a fund manager or the fund-centre manager).") var by: String
        @Option(help: "The business date of the decision (default: today in China, UTC+8).") var on: BusinessDate?
        @Option(name: .customLong("from"), help: "The first business date it is frozen (default: the next business date after --on).")
        var effectiveFrom: BusinessDate?

        func run() throws {
            let hub = try openHub(data.data)
            let decided = on ?? BusinessDate.fromDaysSinceEpoch(Int((SystemClock().nowMilliseconds() + 8 * 3_600_000) / 86_400_000))
            let from = try hub.freezeAccount(account, reason: reason, by: by, decidedOn: decided, effectiveFrom: effectiveFrom)
            print("account \(account) is frozen from \(from) (decided on \(decided) by \(by): \(TerminalText.safe(reason, characterCountMax: 120)))")
        }
    }

    struct Unfreeze: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a frozen account active again.",
            discussion: """
                Example:
                  fundsync hub account unfreeze --data hub --account 6217000012345678901 --from 2026-12-21
                """)
        @OptionGroup var options: StatusChange
        func run() throws { try options.apply(.active) }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an account.",
            discussion: """
                Examples:
                  fundsync hub account close --data hub --account 6217000012345678901 --from 2026-12-31
                  fundsync hub account close --data hub --account 340122:2242.01
                """)
        @OptionGroup var options: StatusChange
        func run() throws { try options.apply(.closed) }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a bank account's annual inspection (年检); the next is due a year later.",
            discussion: """
                Example:
                  fundsync hub account inspect --data hub --account 6217000012345678901 --on 2026-12-08 --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The bank account.") var account: String
        @Option(help: "The day of the inspection.") var on: BusinessDate
        @Option(help: "Who records it (a fund manager or the fund-centre manager).") var by: String
        func run() throws {
            try openHub(data).recordInspection(account, on: on, by: by)
            print("annual inspection of \(account) recorded on \(on); the next is due a year later")
        }
    }

    struct Inspections: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The annual inspections of the units' bank accounts: last, due, overdue.",
            discussion: """
                Examples:
                  fundsync hub account inspections --data hub --date 2026-12-31
                  fundsync hub account inspections --data hub --date 2026-12-31 --overdue --json
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The day.") var date: BusinessDate
        @Flag(help: "Only the overdue ones.") var overdue = false
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let items = try openHub(data).inspections(asOf: date).filter { !overdue || $0.overdueDays > 0 }
            if json { return try printJSON(items) }
            for item in items {
                print("\(item.org) \(item.account) last \(item.inspectedOn ?? "never 未年检") due \(item.dueOn)"
                      + (item.overdueDays > 0 ? " OVERDUE 逾期 \(item.overdueDays) days" : ""))
            }
            if items.isEmpty { print(overdue ? "no annual inspection is overdue" : "no bank accounts") }
        }
    }
}

struct HubKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Manage enrolled keys (rotation: add the new one, then revoke the old).",
                                                    subcommands: [Add.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol another key for an enrolled office (key rotation).",
            discussion: """
                Example:
                  fundsync hub key add --data hub --org 340122 --key /media/usb/340122-public.key
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The office.") var org: String
        @Option(help: ArgumentHelp("Its new public.key file.", valueName: "FILE")) var key: String

        func run() throws {
            let hub = try openHub(data.data)
            try hub.addKey(org: try parseOrg(org, flag: "--org"), publicKeyPEM: try readTextFile(key))
            print("key added for \(org); revoke the old one with 'fundsync hub key revoke' once the office uses the new one")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a node's key: its later batches are refused.",
            discussion: """
                Example:
                  fundsync hub key revoke --data hub --key-id 1d20896b1e4ccc8a
                """)
        @OptionGroup var data: DataOption
        @Option(name: .customLong("key-id"), help: "The key id (see 'fundsync keys').") var keyID: String

        func run() throws {
            let hub = try openHub(data.data)
            try hub.revokeKey(keyID)
            print("key \(keyID) revoked")
        }
    }
}
