import ArgumentParser
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

extension StaffRole: ExpressibleByArgument {}
extension ApprovalBasis: ExpressibleByArgument {}
extension RateKind: ExpressibleByArgument {}

struct HubStaff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "staff", abstract: "Register a person and the posts they hold.",
        discussion: """
            Examples:
              fundsync hub staff --data hub --id 340122-wangfang --org 340122 --name "Wang Fang (王芳)" --roles cashier
              fundsync hub staff --data hub --id 340000-zhoumin --org 340000 --name "Zhou Min (周敏)" --roles fund_centre_manager
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Staff id, e.g. 340122-wangfang.") var id: String
    @Option(help: "Org unit.") var org: String
    @Option(help: "Full name.") var name: String
    @Option(help: "Comma-separated posts: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).") var roles: String

    func run() throws {
        var parsed: Set<StaffRole> = []
        for text in roles.split(separator: ",") {
            guard let role = StaffRole(rawValue: String(text).trimmingCharacters(in: .whitespaces)) else { throw CLIError("unknown role '\(text)'") }
            parsed.insert(role)
        }
        try openHub(data).putStaff(StaffMember(id: id, org: try parseOrg(org, flag: "--org"), name: name, roles: parsed))
        print("staff \(id) registered at \(org)")
    }
}

struct HubRule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rule", abstract: "Set one cell of the approval authority table.",
        discussion: """
            Example:
              fundsync hub rule --data hub --category business --tier 4 --basis single --role fund_centre_manager --from 2026-12-01
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Expense category, e.g. business or administrative.") var category: String
    @Option(help: "Tier 1 (≤10万), 2 (10–50万), 3 (50–100万), 4 (100–1000万), 5 (>1000万).") var tier: Int
    @Option(help: "single or cumulative.") var basis: ApprovalBasis
    @Option(help: "The post that approves.") var role: StaffRole
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate

    func run() throws {
        guard let tierValue = ApprovalTier(rawValue: tier) else { throw CLIError("--tier must be 1 to 5") }
        try openHub(data).putApprovalRule(ApprovalRule(category: category, tier: tierValue, basis: basis, approverRole: role),
                                          effectiveFrom: effectiveFrom)
        print("\(category) tier \(tierValue.label) \(basis.rawValue): \(role.rawValue), from \(effectiveFrom)")
    }
}

struct HubSweepPlan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sweep-plan", abstract: "Set the sweep plan of an income account.",
        discussion: """
            Example:
              fundsync hub sweep-plan --data hub --account 6217000012345678901 --collection 6217000098765432101 --mode floor \\
                  --retained 20000.00 --frequency daily --from 2026-12-01
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The branch's income account.") var account: String
    @Option(help: "The hub's collection account it is swept to.") var collection: String
    @Option(help: "floor (keep the retained balance) or full.") var mode: String = "floor"
    @Option(help: "Retained balance in yuan.") var retained: Money = Money(argument: "0")!
    @Option(help: "daily, weekly or monthly.") var frequency: String = "daily"
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate

    func run() throws {
        try openHub(data).putSweepPlan(account: account, collectionAccount: collection, mode: mode, retained: retained.amount,
                                       frequency: frequency, effectiveFrom: effectiveFrom)
        print("sweep plan for \(account): \(mode), retained \(retained.amount), \(frequency), to \(collection)")
    }
}

struct HubRate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "Add a dated interest rate.",
        discussion: """
            Examples:
              fundsync hub rate --data hub --kind current_deposit --rate 0.72 --day-count 360 --from 2026-12-01
              fundsync hub rate --data hub --kind fixed_3m --rate 1.15% --from 2026-12-01
            """)
    @OptionGroup var data: DataOption
    @Option(help: "\(RateKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: RateKind
    @Option(help: "Annual rate in percent, e.g. 0.72%.") var rate: String
    @Option(name: .customLong("day-count"), help: "360 or 365.") var dayCount: Int = 360
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate

    func run() throws {
        guard let annual = AnnualRate(percent: rate) else { throw CLIError("--rate '\(rate)' is not a percentage with at most 4 decimals") }
        guard let basis = DayCountBasis(rawValue: dayCount) else { throw CLIError("--day-count must be 360 or 365") }
        try openHub(data).putRate(RateEntry(kind: kind, effectiveFrom: effectiveFrom, rate: annual, dayCount: basis))
        print("\(kind.rawValue) \(annual) (\(dayCount) days) from \(effectiveFrom)")
    }
}

struct HubParam: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "param", abstract: "Set a dated parameter.",
        discussion: """
            Parameters: \(Hub.parameterNames.joined(separator: ", ")) (cashier_release_limit.ORG for one company).

            Examples:
              fundsync hub param --data hub --name cashier_release_limit --value 100000.00 --from 2026-12-01
              fundsync hub param --data hub --name cashier_release_limit.340100 --value 200000.00 --from 2026-12-01
              fundsync hub param --data hub --name receipt_chase_days --value 3 --from 2026-12-01
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Parameter name.") var name: String
    @Option(help: "Value (days, or yuan for limits).") var value: String
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate

    func run() throws {
        try openHub(data).putParameter(name, value: value, effectiveFrom: effectiveFrom)
        print("\(name) = \(value) from \(effectiveFrom)")
    }
}
