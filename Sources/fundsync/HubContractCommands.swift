import ArgumentParser
import HubCore
import LedgerCore

extension ContractTerm: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `hub deposit`: branches' fixed deposits at the centre (3/6 item 3).
struct HubDeposit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deposit",
        abstract: "Fixed deposits branches place with the centre (2242.03 / 2242.04): place, then pay back or renew at maturity.",
        discussion: """
            Examples:
              fundsync hub deposit place --data hub --branch 340122 --amount 25000000.00 --term 3m --date 2026-12-01 \\
                  --preparer 340000-xuhui --reviewer 340000-sunli
              fundsync hub deposit mature 340000-C2026-000001 --data hub --date 2027-03-01 --preparer 340000-xuhui --reviewer 340000-sunli
            """,
        subcommands: [Place.self, Mature.self])

    struct Place: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a fixed deposit out of a branch's current deposit, at the rate in force today for the term, fixed until maturity.",
            discussion: """
                Examples:
                  fundsync hub deposit place --data hub --branch 340122 --amount 25000000.00 --term 3m --date 2026-12-01 \\
                      --preparer 340000-xuhui --reviewer 340000-sunli
                  fundsync hub deposit place --data hub --branch 340100 --amount 50000000.00 --term 1y --special --date 2026-12-15 \\
                      --preparer 340000-xuhui --reviewer 340000-sunli
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The branch (org code).") var branch: String
        @Option(help: "Principal in yuan.") var amount: Money
        @Option(help: "Term: 3m, 6m, 1y, 2y or 3y (the rate kinds fixed_3m … fixed_3y).") var term: ContractTerm
        @Flag(help: "A special fixed deposit (特别定期存款, 2242.04): bank borrowings passed on to the group.") var special = false
        @Option(help: "Placement date.") var date: BusinessDate
        @OptionGroup var signatures: SignatureOptions

        func run() throws {
            guard let org = OrgCode(branch) else { throw ValidationError("'\(branch)' is not an org code") }
            let contract = try openHub(data).placeFixedDeposit(branch: org, amount: amount.amount, term: term, special: special, date: date,
                                                               signatures: signatures.signatures)
            print("\(contract.kind.chineseName) \(contract.id): \(contract.principal) for \(contract.term) from \(contract.start) to "
                  + "\(contract.maturity) at \(contract.rate) (\(contract.dayCount.name)), fixed for the term")
        }
    }

    struct Mature: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a fixed deposit at maturity: interest paid into the branch's current deposit, principal paid back or renewed.",
            discussion: """
                Examples:
                  fundsync hub deposit mature 340000-C2026-000001 --data hub --date 2026-12-01 --preparer 340000-xuhui --reviewer 340000-sunli
                  fundsync hub deposit mature 340000-C2026-000002 --data hub --date 2026-12-15 --renew \\
                      --preparer 340000-xuhui --reviewer 340000-sunli
                """)
        @OptionGroup var data: DataOption
        @Argument(help: "The contract (e.g. 340000-C2026-000001).") var contract: String
        @Option(help: "Date of settlement (on or after maturity).") var date: BusinessDate
        @Flag(help: "Renew for the same term instead of paying the principal back (the interest is paid out either way).") var renew = false
        @OptionGroup var signatures: SignatureOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let settlement = try openHub(data).matureDeposit(contract, date: date, renew: renew, signatures: signatures.signatures)
            if json { return try printJSON(settlement) }
            print(describe(settlement))
        }
    }
}

/// `hub loan`: internal loans to branches (3/6 item 3).
struct HubLoan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "loan",
        abstract: "Internal loans to branches (1013 up to a year, 1533 beyond): draw into the current deposit, repay with interest.",
        discussion: """
            Examples:
              fundsync hub loan draw --data hub --branch 340122 --amount 300000.00 --term 6m --date 2026-12-03 \\
                  --preparer 340000-xuhui --reviewer 340000-sunli --approver 340000-zhoumin
              fundsync hub loan repay 340000-C2026-000004 --data hub --date 2027-06-03 --preparer 340000-xuhui --reviewer 340000-sunli
            """,
        subcommands: [Draw.self, Repay.self])

    struct Draw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lend to a branch at the loan rate in force today, fixed for the term; needs the fund-centre manager's approval.",
            discussion: """
                Example:
                  fundsync hub loan draw --data hub --branch 340122 --amount 300000.00 --term 6m --date 2026-12-03 \\
                      --preparer 340000-xuhui --reviewer 340000-sunli --approver 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The branch (org code).") var branch: String
        @Option(help: "Principal in yuan.") var amount: Money
        @Option(help: "Term, e.g. 6m, 1y, 3y.") var term: ContractTerm
        @Option(help: "Drawdown date.") var date: BusinessDate
        @OptionGroup var signatures: SignatureOptions

        func run() throws {
            guard let org = OrgCode(branch) else { throw ValidationError("'\(branch)' is not an org code") }
            let contract = try openHub(data).drawLoan(branch: org, amount: amount.amount, term: term, date: date, signatures: signatures.signatures)
            print("\(contract.kind.chineseName) \(contract.id): \(contract.principal) to \(contract.branch) from \(contract.start), due "
                  + "\(contract.maturity), at \(contract.rate) (\(contract.dayCount.name))")
        }
    }

    struct Repay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Repay a loan with its interest to the day before (overdue days at the penalty rate), out of the branch's current deposit.",
            discussion: """
                Example:
                  fundsync hub loan repay 340000-C2026-000004 --data hub --date 2026-12-15 --preparer 340000-xuhui --reviewer 340000-sunli
                """)
        @OptionGroup var data: DataOption
        @Argument(help: "The contract.") var contract: String
        @Option(help: "Repayment date.") var date: BusinessDate
        @OptionGroup var signatures: SignatureOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let settlement = try openHub(data).repayLoan(contract, date: date, signatures: signatures.signatures)
            if json { return try printJSON(settlement) }
            print(describe(settlement))
        }
    }
}

/// `hub contracts`: every deposit and loan, with interest accrued on a day.
struct HubContracts: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contracts",
        abstract: "The centre's fixed deposits and loans on a day: principal, fixed rate and convention, maturity, accrued interest, overdue.",
        discussion: """
            Examples:
              fundsync hub contracts --data hub --date 2026-12-31
              fundsync hub contracts --data hub --date 2026-12-31 --branch 340122 --json
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The day (interest accrued through its end).") var date: BusinessDate
    @Option(help: "Only this branch.") var branch: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let positions = try openHub(data).contractPositions(asOf: date, branch: branch.flatMap(OrgCode.init))
        if json { return try printJSON(positions) }
        for item in positions {
            let kind = ContractKind(rawValue: item.kind)?.chineseName ?? item.kind
            print("\(item.contract) \(item.branch) \(kind) \(AmountMinorUnits(item.principalMinorUnits)) \(item.start)→\(item.maturity) "
                  + "\(item.rate) \(item.dayCount) \(item.state)\(item.overdue ? " OVERDUE 逾期" : "") accrued \(AmountMinorUnits(item.accruedMinorUnits))")
        }
        if positions.isEmpty { print("no deposits or loans") }
    }
}

private func describe(_ settlement: ContractSettlement) -> String {
    var text = "\(settlement.contract) \(settlement.branch): interest \(AmountMinorUnits(settlement.interestMinorUnits)) over \(settlement.days) days "
        + "at \(settlement.rate) (\(settlement.dayCount))"
    if settlement.penaltyMinorUnits > 0 { text += ", overdue (penalty) interest \(AmountMinorUnits(settlement.penaltyMinorUnits))" }
    if settlement.principalMinorUnits > 0 { text += ", principal \(AmountMinorUnits(settlement.principalMinorUnits)) back" }
    if let renewed = settlement.renewedAs { text += ", renewed as \(renewed)" }
    if !settlement.vouchers.isEmpty { text += "; vouchers \(settlement.vouchers.joined(separator: ", ")), slips \(settlement.slips.joined(separator: ", "))" }
    return text
}
