import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {

    /// Funds in transit (在途资金): every slip issued and not yet cleared by its bank receipt, with an aging chart, and
    /// the daily balances of bank deposits per level (province, cities, counties) over the last 30 days.
    func transit(_ request: Request, _ session: ConsoleSession) throws -> Response {
        if let refused = try requireHubStaff(request, session) { return refused }
        let units = try unitLabels()
        let today = Self.queryDate(request, "date", Self.today(office.store.nowMilliseconds))
        let open = try office.store.documents(.slip).filter { ["issued", "in_transit"].contains($0["status"] ?? "") && ($0["date"] ?? "") <= today.description }
        var buckets = Array(repeating: (count: 0, fen: Int64(0)), count: TransitAging.buckets.count)
        var rows: [(age: Int, row: ConsoleTable.Row)] = []
        for slip in open {
            guard let date = slip["date"].flatMap({ BusinessDate($0) }), let amount = slip["amount"].flatMap({ Int64($0) }) else { continue }
            let age = today.daysSinceEpoch - date.daysSinceEpoch
            let bucket = TransitAging.bucket(ageDays: age)
            buckets[bucket].count += 1
            let (sum, overflow) = buckets[bucket].fen.addingReportingOverflow(amount)
            buckets[bucket].fen = overflow ? .max : sum
            rows.append((age, ConsoleTable.Row(id: "slip-\(slip["id"] ?? "")", highlight: age > 7, cells: [
                .init(text: slip["id"] ?? ""), .init(text: t("slip.\(slip["kind"] ?? "")", request)),
                .init(text: units[slip["issuer"] ?? ""] ?? slip["issuer"] ?? ""), .init(text: units[slip["receiver"] ?? ""] ?? slip["receiver"] ?? ""),
                .init(text: slip["date"] ?? ""), .amount(String(age)), .amount(YuanFormat.yuan(amount)), .init(text: slip["memo"] ?? ""),
            ])))
        }
        var page = ConsoleScreen(title: t("transit.title", request))
        page.forms = [ConsoleForm(id: "transit-form", action: "\(Self.base)/transit", post: false, fields: [
            ConsoleField(name: "date", label: t("balances.asOf", request), kind: .date, value: today.description),
        ], submit: t("balances.show", request))]
        page.charts = [
            ConsoleChart.bars(id: "aging-chart", caption: t("transit.aging", request), zip(TransitAging.buckets, buckets).map { bucket, total in
                (t("transit.days", request, ["days": bucket.key]), total.fen, "\(YuanFormat.yuan(total.fen)) (\(total.count))")
            }),
            try dailyBalancesChart(request, through: today),
        ]
        let c = { (key: String) in ConsoleTable.Column(label: self.t(key, request)) }
        page.tables = [ConsoleTable(id: "slips", caption: t("transit.slips", request), columns: [
            c("payments.id"), c("transit.kind"), c("transit.issuer"), c("transit.receiver"), c("vouchers.date"),
            .init(label: t("transit.age", request), amount: true), .init(label: t("payments.amount", request), amount: true), c("vouchers.memo"),
        ], rows: rows.sorted { $0.age > $1.age }.map(\.row), empty: t("transit.none", request))]
        page.downloads = [(t("reports.xlsx", request) + " · " + t("report.in-transit", request),
                           "\(Self.base)/reports/download?kind=in-transit&format=xlsx&from=\(BusinessDate.fromDaysSinceEpoch(today.daysSinceEpoch - 30))&through=\(today)")]
        return try screen(page, request: request, session: session)
    }

    /// Bank deposits at each level, day by day (the books' balance of every bank account of the level's units).
    func dailyBalancesChart(_ request: Request, through: BusinessDate) throws -> ConsoleChart {
        let days = (0..<30).map { BusinessDate.fromDaysSinceEpoch(through.daysSinceEpoch - 29 + $0) }
        let levels = Dictionary(try office.store.read { try $0.orgUnits() }.map { ($0.code.rawValue, $0.level) }, uniquingKeysWith: { a, _ in a })
        let bankAccounts = Set(try office.store.allAccounts().filter { $0.kind == .bank && $0.currency == .cny }.map(\.id))
        let shown: [(key: String, levels: Set<OrgUnit.Level>)] = [("province", [.province]), ("city", [.city]), ("county", [.county, .subsidiary]),
                                                                  ("budget_unit", [.budgetUnit])]
        var series = shown.map { (name: t("level.\($0.key)", request), values: [Int64]()) }
        for day in days {
            var totals = Array(repeating: Int64(0), count: shown.count)
            for balance in try office.store.balances(asOf: day) where bankAccounts.contains(balance.account) {
                guard let level = levels[balance.org], let index = shown.firstIndex(where: { $0.levels.contains(level) }) else { continue }
                totals[index] = totals[index].addingReportingOverflow(balance.balanceMinorUnits).overflow ? totals[index] : totals[index] &+ balance.balanceMinorUnits
            }
            for index in series.indices { series[index].values.append(totals[index]) }
        }
        return ConsoleChart.lines(id: "daily-chart", caption: t("transit.daily", request), days: days.map { String($0.description.suffix(5)) },
                                  series: series.filter { $0.values.contains { $0 != 0 } }, axisText: { YuanFormat.yuan($0) })
    }
}
