import ArgumentParser
import HubCore
import LedgerCore

/// `hub credit-line`: the group's comprehensive credit line and the share all overdraft lines may use (3/6 item 2).
struct HubCreditLine: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credit-line",
        abstract: "Register the group's comprehensive credit line: all units' overdraft lines together stay within a share of it (30% by default).",
        discussion: """
            Example:
              fundsync hub credit-line --data hub --amount 10000000.00 --share 30% --from 2026-12-01 --by 340000-zhoumin
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The credit line in yuan.") var amount: Money
    @Option(help: "The share of it all overdraft lines may use together, e.g. 30%.") var share: String = "30%"
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate
    @Option(help: "Who decides (the fund-centre manager or the deputy general manager).") var by: String

    func run() throws {
        guard let rate = AnnualRate(percent: share) else { throw ValidationError("'\(share)' is not a percentage") }
        try openHub(data).setGroupCreditLine(amount.amount, share: rate, from: effectiveFrom, by: by)
        print("group credit line \(amount.amount) from \(effectiveFrom); overdraft lines together at most \(rate) of it")
    }
}

/// `hub overdraft-line`: a unit's overdraft line and term.
struct HubOverdraftLine: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdraft-line",
        abstract: "Grant a unit an overdraft line on its basic and general accounts, with a term; lifts a suspension.",
        discussion: """
            Within the line a release needs no further approval; past the term the line is suspended at once and penalty interest runs.

            Examples:
              fundsync hub overdraft-line --data hub --branch 340122 --limit 1000000.00 --term-days 15 --from 2026-12-01 --by 340000-zhoumin
              fundsync hub overdraft-line --data hub --branch 340122 --limit 0.00 --from 2026-12-21 --by 340000-zhoumin     # withdraws the line
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The unit (org code).") var branch: String
    @Option(help: "The line in yuan (0 withdraws it).") var limit: Money
    @Option(name: .customLong("term-days"), help: "Days an overdraft may last.") var termDays: Int = 15
    @Option(name: .customLong("from"), help: "Effective from.") var effectiveFrom: BusinessDate
    @Option(help: "Who decides (the fund-centre manager or the deputy general manager).") var by: String

    func run() throws {
        guard let org = OrgCode(branch) else { throw ValidationError("'\(branch)' is not an org code") }
        try openHub(data).setOverdraftLine(org, limit: limit.amount, termDays: termDays, from: effectiveFrom, by: by)
        print("overdraft line of \(org): \(limit.amount), term \(termDays) days, from \(effectiveFrom); reaches the units with the next export")
    }
}

/// `hub overdrafts`: the daily review of overdrafts, suspending lines past their term.
struct HubOverdrafts: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdrafts",
        abstract: "Each unit's overdrafts (each its own record) and line; with --suspend, suspends at once the line of a unit past its term.",
        discussion: """
            Examples:
              fundsync hub overdrafts --data hub --date 2026-12-18
              fundsync hub overdrafts --data hub --date 2026-12-18 --suspend
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The day.") var date: BusinessDate
    @Option(help: "Days looked back.") var window: Int = 31
    @Flag(help: "Write the suspension of every line with an overdraft past its term (pushed down as a registry change).") var suspend = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let positions = try openHub(data).reviewOverdrafts(asOf: date, window: window, suspend: suspend)
        if json { return try printJSON(positions) }
        for unit in positions {
            let state = unit.suspendedNow ? "SUSPENDED NOW 已暂停" : unit.suspended ? "suspended 暂停" : "open"
            print("\(unit.org): line \(AmountMinorUnits(unit.limitMinorUnits)), term \(unit.termDays) days, \(state)")
            for run in unit.occurrences {
                print("  \(run.account) overdrawn \(run.start)…\(run.end ?? "today"), \(run.days) days, peak \(AmountMinorUnits(run.peakMinorUnits))"
                      + (run.pastTerm ? " PAST TERM 逾期" : ""))
            }
        }
        if positions.isEmpty { print("no lines and no overdrafts") }
    }
}
