import Foundation
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// Balances of the units the person may see, as of a date (today by default), with 借/贷 and the units by name
    /// with their code; `?org=` narrows to one unit.
    func balances(_ request: Request, _ session: ConsoleSession) throws -> Response {
        let language = Self.language(request)
        let units = try office.visibleUnits(for: session.staff)
        let asOf = request.uri.queryParameters.get("date").flatMap { BusinessDate($0) } ?? Self.today(office.store.nowMilliseconds)
        let chosen = request.uri.queryParameters.get("org").flatMap { code in units.first { $0.code.rawValue == code } }
        let shown = chosen.map { [$0] } ?? units
        var rows: [[String: Any]] = []
        var total: Int64 = 0
        try office.store.read { reader in
            for unit in shown {
                for account in try reader.accounts(of: unit.code) where account.currency == .cny {
                    let balance = try reader.bookBalance(account.id, through: asOf).value
                    guard balance != 0 || chosen != nil else { continue }
                    let direction = YuanFormat.direction(balance)
                    rows.append(["unit": "\(unit.name) (\(unit.code))", "account": account.id, "name": account.name,
                                 "direction": catalog.text("direction.\(direction.rawValue)", language),
                                 "balance": YuanFormat.magnitude(balance)])
                    let (sum, overflow) = total.addingReportingOverflow(balance)
                    total = overflow ? total : sum
                }
            }
        }
        return try page("balances", request: request, session: session, values: [
            "date": asOf.description, "rows": rows, "units": units.map { ["code": $0.code.rawValue, "name": $0.name,
                                                                           "selected": $0.code == chosen?.code] },
            "total": YuanFormat.magnitude(total), "totalDirection": catalog.text("direction.\(YuanFormat.direction(total).rawValue)", language),
        ])
    }

    /// The business date of `milliseconds` in China (UTC+8).
    static func today(_ milliseconds: Int64) -> BusinessDate {
        BusinessDate.fromDaysSinceEpoch(Int((milliseconds / 1000 + 8 * 3600) / 86_400))
    }
}
