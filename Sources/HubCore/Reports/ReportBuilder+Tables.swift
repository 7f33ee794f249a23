import Foundation
import LedgerCore
import ReplicaStore
import ReportWriters

extension ReportBuilder {
    func inTransit() throws -> ReportTable {
        var perBranch: [String: (opening: Int64, new: Int64, cleared: Int64)] = [:]
        for slip in try hub.storage.reportRows(.slips(from: from.description, through: through.description)) {
            let issuer = slip["issuer"]?.textValue ?? "", receiver = slip["receiver"]?.textValue ?? ""
            let branch = issuer == hub.org.rawValue ? receiver : issuer
            guard units.contains(branch), let date = slip["date"]?.textValue, let amount = slip["amount"]?.integerValue else { continue }
            let cleared = slip["cleared_on"]?.textValue
            var row = perBranch[branch] ?? (0, 0, 0)
            if date < from.description { row.opening += amount } else { row.new += amount }
            if let cleared, cleared >= from.description, cleared <= through.description { row.cleared += amount }
            perBranch[branch] = row
        }
        let rows: [[ReportTable.Cell]] = perBranch.keys.sorted().map { branch in
            let row = perBranch[branch]!
            return [.text(branch), Self.money(row.opening), Self.money(row.new), Self.money(row.cleared),
                    Self.money(row.opening + row.new - row.cleared)]
        }
        return table([("Unit", .text), ("In transit at start", .money), ("New slips", .money), ("Cleared by bank receipt", .money),
                      ("In transit at end", .money)], rows,
                     totals: [.text("Total")] + (1...4).map { Self.money(moneyTotal(rows, column: $0)) })
    }

    func bankJournal(direction: String, title: String) throws -> ReportTable {
        let rows: [[ReportTable.Cell]] = try hub.storage.reportRows(.bankJournal(direction: direction, from: from.description, through: through.description))
            .filter { units.contains($0["org"]?.textValue ?? "") }
            .map { [Self.date($0["date"]), Self.text($0["org"]), Self.text($0["account"]), Self.money($0["amount"]?.integerValue),
                    Self.text($0["advice"]), Self.text($0["counterparty"]), Self.text($0["slip"])] }
        return table([("Date", .date), ("Unit", .text), ("Bank account", .text), ("Amount", .money), ("Advice", .text),
                      ("Counterparty", .text), ("Slip", .text)], rows,
                     totals: [.text("Total"), .empty, .empty, Self.money(moneyTotal(rows, column: 3)), .empty, .empty, .empty])
    }

    func balanceChanges() throws -> ReportTable {
        let rows: [[ReportTable.Cell]] = try hub.storage.reportRows(.balanceReports(from: from.description, through: through.description))
            .filter { units.contains($0["org"]?.textValue ?? "") }
            .map { row in
                let current = row["balance"]?.integerValue ?? 0, previous = row["previous"]?.integerValue
                return [Self.text(row["org"]), Self.text(row["account"]), Self.date(row["date"]), Self.money(previous), Self.money(current),
                        previous.map { Self.money(current - $0) } ?? .empty]
            }
        return table([("Unit", .text), ("Bank account", .text), ("Date", .date), ("Previous balance", .money), ("Current balance", .money),
                      ("Change", .money)], rows)
    }

    func differences() throws -> ReportTable {
        let rows: [[ReportTable.Cell]] = try hub.storage.findings()
            .filter { units.contains($0.org) && $0.date >= from.description && $0.date <= through.description }
            .map { [.date($0.date), .text($0.org), .text($0.level), .text($0.check), .text($0.subject), Self.money($0.expected),
                    Self.money($0.actual), .text($0.status), .text($0.message), .text($0.explanation ?? "")] }
        return table([("Date", .date), ("Unit", .text), ("Level", .text), ("Check", .text), ("Subject", .text), ("Expected", .money),
                      ("Actual", .money), ("Status", .text), ("Message", .text), ("Explanation", .text)], rows)
    }

    func intercompany() throws -> ReportTable {
        let context = try ReconciliationContext(hub: hub, from: from, through: through)
        let rows: [[ReportTable.Cell]] = try context.branches.filter { units.contains($0.rawValue) }.map { branch in
            let centre = try hub.storage.reconBalance(LedgerAccounts.hubIntercompany(hub: hub.org, branch: branch), through: through.description)
            let own = try hub.storage.reconBalance(LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ), through: through.description)
            return [.text(branch.rawValue), Self.money(-centre), Self.money(own), Self.money(own + centre)]
        }
        return table([("Branch", .text), ("HQ side: 2242.02 owed to the branch", .money), ("Branch side: intercompany–HQ", .money),
                      ("Difference to adjust", .money)], rows,
                     totals: [.text("Total")] + (1...3).map { Self.money(moneyTotal(rows, column: $0)) })
    }

    func allocations() throws -> ReportTable {
        let rows: [[ReportTable.Cell]] = try hub.storage.reportRows(.allocations(from: from.description, through: through.description))
            .filter { units.contains($0["branch"]?.textValue ?? "") }
            .map { [Self.date($0["date"]), Self.text($0["branch"]), Self.text($0["kind"]), Self.money($0["amount"]?.integerValue),
                    Self.text($0["id"]), Self.text($0["application"]) != .empty ? Self.text($0["application"]) : Self.text($0["period"]),
                    Self.text($0["state"]), Self.text($0["slip"])] }
        // The total is what was paid (an approved order has its slip); a withheld or refused order is listed, with its
        // state, and not counted (3/6 item 10).
        let paid = rows.filter { $0[6] == .text("paid") }
        return table([("Date", .date), ("Branch", .text), ("Routine/special", .text), ("Amount", .money), ("Order", .text),
                      ("Basis (forecast period or application)", .text), ("State", .text), ("Slip", .text)], rows,
                     totals: [.text("Total paid"), .empty, .empty, Self.money(moneyTotal(paid, column: 3)), .empty, .empty, .empty, .empty])
    }

    func fundFlow() throws -> ReportTable {
        let slips = try hub.storage.reportRows(.slips(from: from.description, through: through.description))
        let accounts = try hub.storage.allAccounts()
        let rows: [[ReportTable.Cell]] = try units.sorted().compactMap { unit -> [ReportTable.Cell]? in
            guard unit != hub.org.rawValue else { return nil }
            func sum(_ kind: String, _ side: String) throws -> Int64 {
                try AmountMinorUnits.checkedSum(slips.filter {
                    $0["kind"]?.textValue == kind && $0[side]?.textValue == unit && ($0["date"]?.textValue ?? "") >= from.description
                }.map { $0["amount"]?.integerValue ?? 0 })
            }
            let bank = try AmountMinorUnits.checkedSum(try accounts.filter { $0.org.rawValue == unit && $0.kind == .bank }
                .map { try hub.storage.reconBalance($0.id, through: through.description) })
            let transit = try hub.storage.reconBalance(LedgerAccounts.hubInTransit(hub: hub.org, branch: OrgCode(unit)!), through: through.description)
                + hub.storage.reconBalance(LedgerAccounts.subject(OrgCode(unit)!, LedgerAccounts.fundsInTransit), through: through.description)
            return [.text(unit), Self.money(try sum("sweep_up", "issuer")), Self.money(try sum("allocation", "receiver")), Self.money(transit), Self.money(bank)]
        }
        return table([("Unit", .text), ("Swept up", .money), ("Allocated down", .money), ("In transit", .money), ("Bank balances", .money)], rows,
                     totals: [.text("Total")] + (1...4).map { Self.money(moneyTotal(rows, column: $0)) })
    }

    /// Open bank accounts of the units with their annual inspection, as of the period's last day; overdue ones first.
    func inspections() throws -> ReportTable {
        let rows: [[ReportTable.Cell]] = try hub.inspections(asOf: through).filter { units.contains($0.org) }
            .sorted { ($0.overdueDays, $1.org, $1.account) > ($1.overdueDays, $0.org, $0.account) }
            .map { item in
                [.text(item.org), .text(item.account), .text(item.name), item.inspectedOn.map { .date($0) } ?? .text("never 未年检"), .date(item.dueOn),
                 .integer(Int64(item.overdueDays)), .text(item.overdueDays > 0 ? "overdue 逾期" : "in order 正常")]
            }
        return table([("Unit", .text), ("Bank account", .text), ("Name", .text), ("Last inspected", .text), ("Due", .date),
                      ("Days overdue", .integer), ("State", .text)], rows)
    }

    /// Every budget unit in scope with its county, the period's expenses (movement of its expense subjects) and its bank
    /// balances at the period's end, totalled: the roll-up by budget unit (3/6 item 9).
    func budgetUnits() throws -> ReportTable {
        _ = try hub.storage.rebuildAccountDays(full: false)
        let context = try ReconciliationContext(hub: hub, from: from, through: through)
        let accounts = try hub.storage.allAccounts()
        let before = BusinessDate.fromDaysSinceEpoch(from.daysSinceEpoch - 1).description
        var rows: [[ReportTable.Cell]] = []
        for unit in context.orgs.values.filter({ $0.level == .budgetUnit && units.contains($0.code.rawValue) }).sorted(by: { $0.code < $1.code }) {
            let own = accounts.filter { $0.org == unit.code }
            let atEnd = try hub.storage.reconBalances(accountLike: "\(unit.code.rawValue):%", through: through.description)
            let atStart = try hub.storage.reconBalances(accountLike: "\(unit.code.rawValue):%", through: before)
            var expenses: Int64 = 0, banks: Int64 = 0
            for account in own where account.kind == .subject && SubjectCode.isExpense(account.code) {
                expenses = try AmountMinorUnits.checkedSum([expenses, atEnd[account.id] ?? 0, -(atStart[account.id] ?? 0)])
            }
            for account in own where account.kind == .bank {
                banks = try AmountMinorUnits.checkedSum([banks, try hub.storage.reconBalance(account.id, through: through.description)])
            }
            rows.append([.text(unit.code.rawValue), .text(unit.name), .text(unit.parent?.rawValue ?? ""), Self.money(expenses), Self.money(banks)])
        }
        return table([("Budget unit", .text), ("Name", .text), ("County", .text), ("Expenses in the period", .money), ("Bank balances at the end", .money)],
                     rows, totals: [.text("Total"), .empty, .empty, Self.money(moneyTotal(rows, column: 3)), Self.money(moneyTotal(rows, column: 4))])
    }
}
