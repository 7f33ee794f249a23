import ArgumentParser
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

func openHub(_ data: DataOption) throws -> Hub {
    guard case .hub(let hub) = try Office.open(data.data) else { throw CLIError("this is a hub command; \(data.data) is a node") }
    return hub
}

struct HubReceipt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receipt",
        abstract: "Record a sweep's bank receipt at a collection account: Dr Bank / Cr Funds in transit–branch; clears the slip.",
        discussion: """
            Example:
              fundsync hub receipt --data hub --account 6217000098765432101 --date 2026-12-04 --amount 439180.59 \\
                  --advice RCV202612040021 --slip 340122-S2026-000002 --preparer 340000-qianjun --reviewer 340000-sunli
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The hub's collection account.") var account: String
    @Option(help: "Business date.") var date: BusinessDate
    @Option(help: "Amount in yuan.") var amount: Money
    @Option(help: "The bank's receipt advice number.") var advice: String
    @Option(help: "The sweep slip it pays; default: the one open slip of that amount.") var slip: String?
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let cleared = try openHub(data).recordSweepReceipt(collectionAccount: account, date: date, amount: amount.amount, advice: advice,
                                                           slip: slip, signatures: signatures.signatures)
        print("receipt of \(amount.amount) booked; slip \(cleared) cleared")
    }
}

struct HubAllocate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allocate",
        abstract: "Prepare allocation orders: routine ones for a period from the forecasts, or a special one from an approved application.",
        discussion: """
            Examples:
              fundsync hub allocate --data hub --period 2026-12-H2 --date 2026-12-14 --from-account 6217000098765432101 --preparer 340000-xuhui
              fundsync hub allocate --data hub --application 340122-A000001 --date 2026-12-05 --from-account 6217000098765432101 \\
                  --preparer 340000-xuhui
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Routine: the forecast period, e.g. 2026-11-H2.") var period: String?
    @Option(help: "Special: the approved application.") var application: String?
    @Option(help: "Business date of payment.") var date: BusinessDate
    @Option(name: .customLong("from-account"), help: "The hub bank account paid from.") var source: String
    @Option(help: "The fund manager preparing the orders.") var preparer: String

    func validate() throws {
        guard (period == nil) != (application == nil) else { throw ValidationError("give exactly one of --period and --application") }
    }

    func run() throws {
        let hub = try openHub(data)
        let orders = try period.map { try hub.prepareRoutineAllocations(period: $0, date: date, sourceAccount: source, preparer: preparer) }
            ?? [try hub.prepareSpecialAllocation(application: application!, date: date, sourceAccount: source, preparer: preparer)]
        for order in orders { print("allocation order \(order) prepared") }
        if orders.isEmpty { print("no forecast for \(period ?? "") is waiting for an order") }
    }
}

struct HubApproveAllocation: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve-allocation",
        abstract: "Approve an allocation order (fund-centre manager). The money moves when a cashier pays it ('hub pay-allocation').",
        discussion: """
            Example:
              fundsync hub approve-allocation --data hub --order 340000-D2026-000001 --approver 340000-zhoumin
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The allocation order.") var order: String
    @Option(help: "The approving fund-centre manager (staff id).") var approver: String

    func run() throws {
        try openHub(data).approveAllocation(order, approver: approver)
        print("allocation \(order) approved; a fund-centre cashier pays it with 'hub pay-allocation'")
    }
}

struct HubPayAllocation: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pay-allocation",
        abstract: "Pay an approved allocation order (fund-centre cashier): bank journal line, Dr Intercompany–branch / Cr Bank on the bank date, slip sent down.",
        discussion: """
            Paid at the bank already: give its advice, and it is booked now. Paid through the bank (--through-bank): \
            it becomes an instruction for the next 'hub bank send', and it is booked when the bank confirms it, on \
            the bank's booking date ('hub bank receive').

            Examples:
              fundsync hub pay-allocation --data hub --order 340000-D2026-000001 --cashier 340000-qianjun --date 2026-12-05 \\
                  --advice PAY202612050001
              fundsync hub pay-allocation --data hub --order 340000-D2026-000002 --cashier 340000-qianjun --date 2026-12-05 --through-bank
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The allocation order.") var order: String
    @Option(help: "The paying fund-centre cashier (staff id).") var cashier: String
    @Option(help: "The bank date of the payment (default: the order's date).") var date: BusinessDate?
    @Option(help: "The bank's payment reference (advice), as the statement will show it, for a payment made at the bank.") var advice: String?
    @Flag(help: "Pay it through the bank link: an instruction now, booked when the bank confirms it.") var throughBank = false

    func validate() throws {
        guard (advice == nil) == throughBank else { throw ValidationError("give the bank's --advice, or --through-bank (one of them)") }
    }

    func run() throws {
        let hub = try openHub(data)
        if throughBank {
            let instruction = try hub.sendAllocationToBank(order, cashier: cashier, date: date)
            return print("allocation \(order) queued for the bank as instruction \(instruction); it is booked when the bank confirms it")
        }
        let result = try hub.payAllocation(order, cashier: cashier, date: date, advice: advice ?? "")
        print("allocation \(order) paid: voucher \(result.voucher), slip \(result.slip) goes to the branch with the next export")
    }
}

struct HubCheckRequest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-request",
        abstract: "Check an account request (a fund manager): the first of its two steps; the fund-centre manager then decides it with 'hub decide'.",
        discussion: """
            Example:
              fundsync hub check-request --data hub --request 340122-R000001 --by 340000-xuhui --note "licence and bank letter seen"
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The account request.") var request: String
    @Option(help: "The checking fund manager (staff id).") var by: String
    @Option(help: "What was checked (documents, bank, signers).") var note: String?

    func run() throws {
        try openHub(data).checkAccountRequest(request, by: by, note: note)
        print("account request \(request) checked by \(by); the fund-centre manager may now approve or refuse it")
    }
}

struct HubDecide: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decide",
        abstract: "Approve or reject an application, or an account request, at the hub.",
        discussion: """
            Examples:
              fundsync hub decide --data hub --application 340122-A000001 --approve --by 340000-zhoumin --reason "relief list checked"
              fundsync hub decide --data hub --request 340122-R000001 --approve --by 340000-zhoumin --date 2026-12-08
              fundsync hub decide --data hub --application 340122-A000002 --refuse --by 340000-zhoumin --reason "no budget line for it"
            """)
    @OptionGroup var data: DataOption
    @Option(help: "A special fund application.") var application: String?
    @Option(help: "An account request.") var request: String?
    @Flag(help: "Approve, or refuse.") var decision: Decision
    @Option(help: "Who decides (staff id).") var by: String
    @Option(help: "Why.") var reason: String?
    @Option(help: "The business day of the decision: an account opened or closed by it is so from that day (default: the request's date).")
    var date: BusinessDate?

    enum Decision: String, EnumerableFlag { case approve, refuse }

    func validate() throws {
        guard (application == nil) != (request == nil) else { throw ValidationError("give exactly one of --application and --request") }
    }

    func run() throws {
        let hub = try openHub(data)
        if let application {
            try hub.decideApplication(application, approve: decision == .approve, approver: by, reason: reason)
            print("application \(application) \(decision == .approve ? "approved" : "rejected")")
        } else if let request {
            try hub.decideAccountRequest(request, approve: decision == .approve, by: by, reason: reason, on: date)
            print("account request \(request) \(decision == .approve ? "approved; the registry is updated" : "refused")")
        }
    }
}

struct HubRelease: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release",
        abstract: "Release (or refuse) a payment: a fund-centre cashier within the limit, the supervisor above it.",
        discussion: """
            Examples:
              fundsync hub release --data hub --payment 340122-P000001 --by 340000-qianjun --date 2026-12-10
              fundsync hub release --data hub --payment 340122-P000002 --by 340000-sunli --date 2026-12-10     # above the cashier's limit
              fundsync hub release --data hub --payment 340122-P000003 --by 340000-qianjun --refuse "payee account does not match the contract"
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The payment.") var payment: String
    @Option(help: "Who releases it (staff id).") var by: String
    @Option(help: "Refuse it instead, with this reason.") var refuse: String?
    @Option(help: "The bank date of the release, when the money leaves; the payment is booked on it (default: the payment's date).")
    var date: BusinessDate?

    func run() throws {
        let hub = try openHub(data)
        if let refuse {
            try hub.refusePayment(payment, by: by, reason: refuse)
            print("payment \(payment) refused")
        } else {
            try hub.releasePayment(payment, by: by, on: date)
            print("payment \(payment) released")
        }
    }
}

struct HubInterest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "interest",
        abstract: "Settle interest on the branches' internal accounts over a period and post it (sent down as slips).",
        discussion: """
            Example:
              fundsync hub interest --data hub --from 2026-12-01 --through 2026-12-20 --posting-date 2026-12-21 \\
                  --preparer 340000-xuhui --reviewer 340000-sunli --approver 340000-zhoumin
            """)
    @OptionGroup var data: DataOption
    @Option(help: "First day of the period.") var from: BusinessDate
    @Option(help: "Last day of the period.") var through: BusinessDate
    @Option(name: .customLong("posting-date"), help: "Date of the settlement postings.") var postingDate: BusinessDate
    @OptionGroup var signatures: SignatureOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let settlements = try openHub(data).settleInterest(from: from, through: through, postingDate: postingDate,
                                                           signatures: signatures.signatures)
        if json { return try printJSON(settlements) }
        for item in settlements {
            let posted = item.alreadyPosted ? " (settled before: as posted in voucher \(item.voucher ?? "?"))"
                : item.voucher.map { ", voucher \($0), slip \(item.slip ?? "")" } ?? ""
            print("\(item.branch) \(item.kind) on \(item.account): product \(item.productFenDays) fen-days over \(item.days) days, "
                  + "\(item.dayCount), interest \(AmountMinorUnits(item.interestMinorUnits))" + posted)
        }
        if settlements.isEmpty { print("no interest for \(from)…\(through)") }
    }
}

struct HubLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock",
        abstract: "Close the books through a date by override, without the checks of 'hub close': nothing dated on or before it may be entered anywhere.",
        discussion: """
            An override: it needs a reason and the fund-centre manager or the deputy general manager; it is audited, travels \
            with the lock to every office, and every report of the period shows it. 'hub close' is the normal way.

            Example:
              fundsync hub lock --data hub --through 2026-12-13 --by 340000-zhoumin --reason "closed after the interest settlement"
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Last closed day.") var through: BusinessDate
    @Option(help: "Why the close's checks are overridden.") var reason: String
    @Option(help: "Who decides (staff id of the fund-centre manager or the deputy general manager).") var by: String

    func run() throws {
        try openHub(data).overrideLock(through: through, reason: reason, by: by)
        print("books closed through \(through) by override (\(by)); the lock reaches every node with the next export")
    }
}

struct HubReviewExplanation: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review-explanation",
        abstract: "Review a unit's explanation of a finding (a general-ledger accountant): only then does 'hub close' count it.",
        discussion: """
            Example:
              fundsync hub review-explanation --data hub --finding in_transit_aged:340122:340122-S2026-000004:2026-12-31 --by 340000-lina
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The finding id (see 'fundsync differences' at the hub).") var finding: String
    @Option(help: "Who reviews (staff id of a general-ledger accountant).") var by: String

    func run() throws {
        try openHub(data).reviewExplanation(finding: finding, by: by)
        print("explanation of \(finding) reviewed by \(by)")
    }
}

struct HubRegistryStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry",
        abstract: "Which release each node runs, and which registry version it has applied against the latest one sent to it.",
        discussion: """
            A node runs release 1 until it announces a newer one with its first batch after an upgrade, unless it was
            enrolled with --release. What its release cannot represent is held for it, never dropped, and goes out with
            the hub's next batch after it announces (PROTOCOL.md §11).

            Examples:
              fundsync hub registry --data hub
              fundsync hub registry --data hub --held        # every change held for an office one release behind
              fundsync hub registry --data hub --json
            """)
    @OptionGroup var data: DataOption
    @Flag(help: "List every change held for a node until it upgrades.") var held = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let storage = try openHub(data).storage
        let releases = Dictionary(uniqueKeysWithValues: try storage.officeReleases().map { ($0.org.rawValue, $0) })
        let versions = try storage.registryVersions()
        if json {
            let rows: [[String: Any]] = versions.map { entry in
                let release = releases[entry.peer]
                var row: [String: Any] = ["node": entry.peer, "registryApplied": entry.applied, "registryCurrent": entry.current,
                                          "release": release?.release ?? 1, "announced": release?.announced ?? false,
                                          "heldChanges": release?.heldChanges ?? 0]
                if let version = release?.version { row["version"] = version }
                if let oldest = release?.oldestHeldMilliseconds { row["oldestHeldAtMs"] = oldest }
                return row
            }
            var object: [String: Any] = ["nodes": rows, "hubRelease": FundSyncRelease.number, "hubVersion": FundSyncRelease.version]
            if held {
                object["held"] = try storage.heldChanges(for: nil).map { change -> [String: Any] in
                    ["node": change.peer.rawValue, "change": change.id.description, "table": change.table, "key": change.key,
                     "needsRelease": change.needsRelease, "heldAtMs": change.heldAtMilliseconds]
                }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("this hub: release \(FundSyncRelease.number) (\(FundSyncRelease.version))")
        for entry in versions {
            let release = releases[entry.peer]
            let number = release?.release ?? 1
            var line = "\(entry.peer): release \(number)"
            if let version = release?.version { line += " (\(version))" } else { line += number == 1 ? " (announced none)" : " (not announced yet)" }
            line += ", registry applied \(entry.applied), current \(entry.current)\(entry.applied < entry.current ? "  STALE" : "")"
            if let release, release.heldChanges > 0 {
                line += "; \(release.heldChanges) change(s) held until it upgrades"
                if let oldest = release.oldestHeldMilliseconds { line += " since \(Self.utc(oldest))" }
            }
            if number < FundSyncRelease.number { line += "  BEHIND" }
            print(line)
        }
        guard held else { return }
        for change in try storage.heldChanges(for: nil) {
            print("held for \(change.peer): \(change.id) \(change.table) \(change.key) (needs release \(change.needsRelease), since \(Self.utc(change.heldAtMilliseconds)))")
        }
    }

    static func utc(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

struct HubCalendar: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar",
        abstract: "Put a year of China's business calendar (holidays and worked weekend days) into the registry, e.g. Nodes/calendar/cn-2026.json.",
        discussion: """
            Example:
              fundsync hub calendar --data hub Nodes/calendar/cn-2026.json
            """)
    @OptionGroup var data: DataOption
    @Argument(help: ArgumentHelp("The calendar file (format fundsync-calendar/1).", valueName: "FILE.json")) var file: String

    struct File: Decodable {
        var format: String
        var days: [Day]
        struct Day: Decodable { var date: String; var kind: String; var name: String }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= 1 << 20 else { throw CLIError("\(file) is \(size) bytes: a calendar file is far smaller") }
        let parsed: File
        do {
            parsed = try JSONDecoder().decode(File.self, from: try Data(contentsOf: url))
        } catch {
            throw CLIError("\(file) is not a calendar file: \(error)")
        }
        guard parsed.format == "fundsync-calendar/1" else { throw CLIError("\(file) is format '\(parsed.format)', not fundsync-calendar/1") }
        let days = try parsed.days.enumerated().map { index, day -> CalendarDay in
            guard let date = BusinessDate(day.date) else { throw CLIError("day \(index + 1): '\(day.date)' is not a date") }
            guard let kind = CalendarDay.Kind(rawValue: day.kind) else { throw CLIError("day \(index + 1): kind must be holiday or workday") }
            return CalendarDay(date: date, kind: kind, name: day.name)
        }
        try openHub(data).putCalendar(days)
        let holidays = days.filter { $0.kind == .holiday }.count
        print("calendar: \(holidays) holiday(s) and \(days.count - holidays) worked weekend day(s) in the registry; they reach every node with the next export")
    }
}
