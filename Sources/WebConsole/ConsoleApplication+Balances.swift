import Foundation
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// Balances as of a date, drilling down from the top unit the person may see (the province at the hub, the county at
    /// a node, a budget unit's own unit) to a city, a county, an account and its vouchers. Each level shows its subtree
    /// by account code (科目汇总), its units below with their bank deposits, and its own accounts, all with 借/贷.
    func balances(_ request: Request, _ session: ConsoleSession) throws -> Response {
        let language = Self.language(request)
        let visible = try office.visibleUnits(for: session.staff)
        let visibleCodes = Set(visible.map(\.code))
        guard let root = visible.first(where: { $0.parent.map { !visibleCodes.contains($0) } ?? true }) else {
            return try refusal(request, session: session, status: .forbidden, key: "role.refused")
        }
        let asOf = Self.queryDate(request, "date", Self.today(office.store.nowMilliseconds))
        let chosen = request.uri.queryParameters.get("org").flatMap { code in visible.first { $0.code.rawValue == code } } ?? root
        var children: [OrgCode: [OrgUnit]] = [:]
        for unit in visible { if let parent = unit.parent { children[parent, default: []].append(unit) } }
        func subtree(_ code: OrgCode) -> Set<String> {
            var codes: Set<String> = [code.rawValue]
            for child in children[code] ?? [] { codes.formUnion(subtree(child.code)) }
            return codes
        }
        let inScope = subtree(chosen.code)
        let bankAccounts = Set(try office.store.allAccounts().filter { $0.kind == .bank }.map(\.id))
        let balances = try office.store.balances(asOf: asOf).filter { $0.currency == CurrencyCode.cny.code && inScope.contains($0.org) }
        func direction(_ fen: Int64) -> String { catalog.text("direction.\(YuanFormat.direction(fen).rawValue)", language) }
        func sum(_ values: some Sequence<Int64>) -> Int64 {
            values.reduce(Int64(0)) { total, value in
                let (next, overflow) = total.addingReportingOverflow(value)
                return overflow ? (value > 0 ? .max : .min) : next
            }
        }
        let link = { (org: String) in "\(Self.base)/balances?org=\(Self.query(org))&date=\(asOf)" }

        var byCode: [String: (name: String, fen: [Int64])] = [:]
        for balance in balances { byCode[balance.code, default: (balance.name, [])].fen.append(balance.balanceMinorUnits) }
        let codeRows = byCode.keys.sorted().compactMap { code -> ConsoleTable.Row? in
            let total = sum(byCode[code]!.fen)
            guard total != 0 else { return nil }
            return ConsoleTable.Row(cells: [.init(text: code), .init(text: byCode[code]!.name), .init(text: direction(total)),
                                            .amount(YuanFormat.magnitude(total))])
        }
        let unitRows = (children[chosen.code] ?? []).sorted { $0.code.rawValue < $1.code.rawValue }.map { unit -> ConsoleTable.Row in
            let codes = subtree(unit.code)
            let bank = sum(balances.filter { codes.contains($0.org) && bankAccounts.contains($0.account) }.map { $0.balanceMinorUnits })
            return ConsoleTable.Row(id: "unit-\(unit.code)", cells: [
                .init(text: "\(unit.name) (\(unit.code))", href: link(unit.code.rawValue)), .init(text: t("level.\(unit.level.rawValue)", request)),
                .init(text: direction(bank)), .amount(YuanFormat.magnitude(bank))])
        }
        let ownRows = balances.filter { $0.org == chosen.code.rawValue }.map { balance -> ConsoleTable.Row in
            let href = "\(Self.base)/vouchers?account=\(Self.query(balance.account))&through=\(asOf)"
            return ConsoleTable.Row(cells: [.init(text: "\(chosen.name) (\(chosen.code))"), .init(text: balance.account, href: href),
                                            .init(text: "\(balance.code) \(balance.name)"), .init(text: direction(balance.balanceMinorUnits)),
                                            .amount(YuanFormat.magnitude(balance.balanceMinorUnits))])
        }
        var path: [OrgUnit] = []
        var cursor: OrgUnit? = chosen
        while let unit = cursor, visibleCodes.contains(unit.code), unit.code != root.code {
            path.insert(unit, at: 0)
            cursor = unit.parent.flatMap { parent in visible.first { $0.code == parent } }
        }
        let columns = [ConsoleTable.Column(label: t("balances.direction", request)), .init(label: t("balances.balance", request), amount: true)]
        var page = ConsoleScreen(title: "\(t("balances.title", request)) · \(chosen.name) (\(chosen.code))")
        page.breadcrumbs = ([root] + path.dropLast()).filter { $0.code != chosen.code }.map { ("\($0.name) (\($0.code))", link($0.code.rawValue)) }
        page.forms = [ConsoleForm(id: "balances-form", action: "\(Self.base)/balances", post: false, fields: [
            .hidden("org", chosen.code.rawValue), ConsoleField(name: "date", label: t("balances.asOf", request), kind: .date, value: asOf.description),
        ], submit: t("balances.show", request))]
        page.tables = [
            ConsoleTable(id: "balances", caption: t("balances.own", request),
                         columns: [.init(label: t("balances.unit", request)), .init(label: t("balances.account", request)),
                                   .init(label: t("balances.name", request))] + columns,
                         rows: ownRows, empty: t("balances.none", request)),
            ConsoleTable(id: "units", caption: t("balances.below", request),
                         columns: [.init(label: t("balances.unit", request)), .init(label: t("balances.level", request))] + columns,
                         rows: unitRows, empty: t("balances.noUnits", request)),
            ConsoleTable(id: "by-code", caption: t("balances.byCode", request),
                         columns: [.init(label: t("balances.code", request)), .init(label: t("balances.name", request))] + columns,
                         rows: codeRows, empty: t("balances.none", request)),
        ]
        return try screen(page, request: request, session: session)
    }

    /// One account's vouchers (明细账) between two dates: the opening balance, each voucher's debit or credit on the
    /// account with the running balance and its direction, who signed, and whether the centre rejected it.
    func vouchers(_ request: Request, _ session: ConsoleSession) throws -> Response {
        let language = Self.language(request)
        let visible = Set(try office.visibleUnits(for: session.staff).map(\.code.rawValue))
        let id = request.uri.queryParameters.get("account") ?? ""
        let today = Self.today(office.store.nowMilliseconds)
        let through = Self.queryDate(request, "through", today)
        let from = Self.queryDate(request, "from", BusinessDate.fromDaysSinceEpoch(through.daysSinceEpoch - 30))
        guard let account = try office.store.read({ try $0.account(id, asOf: through) }), visible.contains(account.org.rawValue) else {
            return try refusal(request, session: session, status: .notFound, key: "vouchers.unknown", detail: id)
        }
        let opening = try office.store.read { try $0.bookBalance(id, through: BusinessDate.fromDaysSinceEpoch(from.daysSinceEpoch - 1)).value }
        func direction(_ fen: Int64) -> String { catalog.text("direction.\(YuanFormat.direction(fen).rawValue)", language) }
        var running = opening
        var rows = [ConsoleTable.Row(cells: [.init(text: from.description), .init(text: ""), .init(text: t("vouchers.opening", request)),
                                             .amount(""), .amount(""), .init(text: direction(opening)), .amount(YuanFormat.magnitude(opening)),
                                             .init(text: ""), .init(text: "")])]
        for voucher in try office.store.voucherListing(VoucherFilter(account: id, from: from, through: through, limit: 2_000)) {
            let lines = voucher.lines.filter { $0.account == id }
            let debit = lines.filter { $0.side == "debit" }.reduce(Int64(0)) { $0 &+ $1.amountMinorUnits }
            let credit = lines.filter { $0.side == "credit" }.reduce(Int64(0)) { $0 &+ $1.amountMinorUnits }
            let posted = voucher.status == "posted"
            if posted { running = running &+ debit &- credit }
            let signers = voucher.automatic ? t("vouchers.automatic", request)
                : voucher.signedBy.isEmpty ? t("signed.unsigned", request) : "✓ " + voucher.signedBy.joined(separator: ", ")
            rows.append(ConsoleTable.Row(id: "voucher-\(voucher.id)", highlight: !posted, cells: [
                .init(text: voucher.date), .init(text: voucher.id), .init(text: voucher.memo),
                .amount(debit == 0 ? "" : YuanFormat.yuan(debit)), .amount(credit == 0 ? "" : YuanFormat.yuan(credit)),
                .init(text: posted ? direction(running) : ""), .amount(posted ? YuanFormat.magnitude(running) : ""),
                .init(text: signers),
                .init(text: posted ? t("vouchers.posted", request) : t("vouchers.rejected", request) + ": " + (voucher.rejectReason ?? "")),
            ]))
        }
        var page = ConsoleScreen(title: "\(t("vouchers.title", request)) · \(account.id) \(account.code) \(account.name)")
        page.breadcrumbs = [(t("balances.title", request), "\(Self.base)/balances?org=\(Self.query(account.org.rawValue))&date=\(through)")]
        page.forms = [ConsoleForm(id: "vouchers-form", action: "\(Self.base)/vouchers", post: false, fields: [
            .hidden("account", id), ConsoleField(name: "from", label: t("vouchers.from", request), kind: .date, value: from.description),
            ConsoleField(name: "through", label: t("vouchers.through", request), kind: .date, value: through.description),
        ], submit: t("balances.show", request))]
        page.tables = [ConsoleTable(id: "vouchers", columns: [
            .init(label: t("vouchers.date", request)), .init(label: t("vouchers.id", request)), .init(label: t("vouchers.memo", request)),
            .init(label: t("balances.debit", request), amount: true), .init(label: t("balances.credit", request), amount: true),
            .init(label: t("balances.direction", request)), .init(label: t("balances.balance", request), amount: true),
            .init(label: t("vouchers.signed", request)), .init(label: t("vouchers.status", request)),
        ], rows: rows, empty: "")]
        return try screen(page, request: request, session: session)
    }

    /// The business date of `milliseconds` in China (UTC+8).
    static func today(_ milliseconds: Int64) -> BusinessDate {
        BusinessDate.fromDaysSinceEpoch(Int((milliseconds / 1000 + 8 * 3600) / 86_400))
    }
}
