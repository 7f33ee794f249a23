import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// Reconciliation (对账): run the checks over a period, the findings by level with their difference notices and the
    /// offices' explanations, and the general-ledger accountant's review of each explanation.
    func reconciliation(_ request: Request, _ session: ConsoleSession, message: String? = nil, error: String? = nil,
                        status: HTTPResponse.Status = .ok) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let units = try unitLabels()
        let today = Self.today(office.store.nowMilliseconds)
        let shown = request.uri.queryParameters.get("status") ?? "unresolved"
        let findings = try hub.storage.findings().filter { shown == "all" || ($0.status != "reviewed" && $0.status != "resolved") }
        let rows = findings.reversed().prefix(500).map { finding -> ConsoleTable.Row in
            var forms: [ConsoleForm] = []
            if finding.status == "explained" {
                forms.append(ConsoleForm(id: "review-\(finding.id)", action: "\(Self.base)/reconciliation",
                                         fields: [.hidden("do", "review"), .hidden("finding", finding.id)],
                                         submit: t("reconciliation.review", request), inline: true))
            }
            return ConsoleTable.Row(id: "finding-\(finding.id)", highlight: finding.status == "open", cells: [
                .init(text: finding.date), .init(text: t("level.\(finding.level)", request)), .init(text: units[finding.org] ?? finding.org),
                .init(text: finding.check), .init(text: finding.subject),
                .amount(finding.expected.map(YuanFormat.yuan) ?? ""), .amount(finding.actual.map(YuanFormat.yuan) ?? ""),
                .init(text: finding.message), .init(text: t("finding.\(finding.status)", request)), .init(text: finding.notice ?? ""),
                .init(text: finding.explanation ?? "", forms: forms),
            ])
        }
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.level, default: 0] += 1 }
        var page = ConsoleScreen(title: t("reconciliation.title", request), message: message, error: error)
        page.intro = ["county", "city", "province"].map { "\(t("level.\($0)", request)) \(counts[$0] ?? 0)" }.joined(separator: " · ")
        page.forms = [
            ConsoleForm(id: "run", action: "\(Self.base)/reconciliation", heading: t("reconciliation.run", request), fields: [
                .hidden("do", "run"),
                ConsoleField(name: "from", label: t("vouchers.from", request), kind: .date,
                             value: BusinessDate.fromDaysSinceEpoch(today.daysSinceEpoch - 30).description),
                ConsoleField(name: "through", label: t("vouchers.through", request), kind: .date, value: today.description),
            ], submit: t("reconciliation.run", request)),
            ConsoleForm(id: "notices", action: "\(Self.base)/reconciliation", fields: [.hidden("do", "notify")],
                        submit: t("reconciliation.notify", request)),
            ConsoleForm(id: "filter", action: "\(Self.base)/reconciliation", post: false, fields: [
                ConsoleField(name: "status", label: t("reconciliation.show", request),
                             kind: .select([("unresolved", t("reconciliation.unresolved", request)), ("all", t("reconciliation.all", request))]),
                             value: shown),
            ], submit: t("balances.show", request)),
        ]
        let c = { (key: String) in ConsoleTable.Column(label: self.t(key, request)) }
        page.tables = [ConsoleTable(id: "findings", caption: t("reconciliation.findings", request), columns: [
            c("vouchers.date"), c("balances.level"), c("balances.unit"), c("reconciliation.check"), c("reconciliation.subject"),
            .init(label: t("reconciliation.expected", request), amount: true), .init(label: t("reconciliation.actual", request), amount: true),
            c("reconciliation.message"), c("approvals.state"), c("reconciliation.notice"), c("reconciliation.explanation"),
        ], rows: Array(rows), empty: t("reconciliation.none", request))]
        page.downloads = [(t("reports.xlsx", request) + " · " + t("report.differences", request),
                           "\(Self.base)/reports/download?kind=differences&format=xlsx&from=2000-01-01&through=\(today)")]
        return try screen(page, request: request, session: session, status: status)
    }

    /// Runs the checks, sends the notices, or records a review, signed by the person.
    func reconcile(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let show = { (message: String?, error: String?, status: HTTPResponse.Status) in
            try reconciliation(request, session, message: message, error: error, status: status)
        }
        switch form["do"] {
        case "run":
            return try perform(request, session, action: "console reconcile", detail: "\(form["from"] ?? "")…\(form["through"] ?? "")", show: show) {
                let from = try Self.date(form, "from"), through = try Self.date(form, "through")
                guard from <= through, through.daysSinceEpoch - from.daysSinceEpoch <= 366 else {
                    throw ConsoleInputError(description: "the period is from ≤ through, at most a year")
                }
                let report = try Reconciler(hub: hub).run(from: from, through: through, incremental: true)
                return t("reconciliation.ran", request, ["cells": String(report.cellsRebuilt), "findings": String(report.findings.count)])
            }
        case "notify":
            return try perform(request, session, action: "console difference notices", detail: "", show: show) {
                t("reconciliation.notified", request, ["count": String(try hub.sendDifferenceNotices().count)])
            }
        case "review":
            let id = form["finding"] ?? ""
            return try perform(request, session, action: "console review explanation", detail: id, show: show) {
                try hub.reviewExplanation(finding: id, by: session.staff.id)
                return t("reconciliation.reviewed", request, ["id": id])
            }
        default:
            return try show(nil, "unknown action", .badRequest)
        }
    }
}
