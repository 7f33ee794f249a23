import BatchWire
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import NodeAgent
import ReplicaStore

extension ConsoleApplication {
    /// The node's own pages beyond a payment: a bank advice, a sweep, the daily balance report, a forecast and a
    /// special application, and the answer to a difference notice. Each writes a document signed by the clerk (and by a
    /// reviewer who types their passphrase at the same desk, where the document needs one), kept in the replica until
    /// the next exchange, so every page works while the line to the hub is down.
    func nodeForm(_ request: Request, _ session: ConsoleSession, _ name: String, message: String? = nil, error: String? = nil,
                  status: HTTPResponse.Status = .ok, form: [String: String] = [:]) throws -> Response {
        let today = Self.today(office.store.nowMilliseconds).description
        let accounts = try office.store.read { reader in try reader.accounts(of: session.staff.org) + (session.staff.org == office.org
            ? try reader.orgUnits().filter { $0.level == .budgetUnit && $0.parent == office.org }.flatMap { try reader.accounts(of: $0.code) } : []) }
        let bank = accounts.filter { $0.kind == .bank && $0.status == .active }.map { ($0.id, "\($0.name) (\($0.id))") }
        func field(_ name: String, _ key: String, _ kind: ConsoleField.Kind = .text, value: String? = nil, required: Bool = true) -> ConsoleField {
            ConsoleField(name: name, label: t(key, request), kind: kind, value: form[name] ?? value ?? "", required: required)
        }
        let reviewer = [field("reviewer", "newPayment.reviewer", required: false),
                        ConsoleField(name: "reviewerPassphrase", label: t("newPayment.reviewerPassphrase", request), kind: .password, required: false)]
        var page = ConsoleScreen(title: t("nav.\(name)", request), message: message, error: error)
        switch name {
        case "advice":
            let slips = try office.store.documents(.slip).filter { $0["receiver"] == office.org.rawValue && ["issued", "in_transit"].contains($0["status"] ?? "") }
            page.intro = t("advice.intro", request)
            page.forms = [ConsoleForm(id: "advice-form", action: "\(Self.base)/advice", fields: [
                field("account", "newPayment.account", .select(bank)), field("date", "newPayment.date", .date, value: today),
                field("direction", "advice.direction", .select(BankDirection.allCases.map { ($0.rawValue, t("advice.\($0.rawValue)", request)) })),
                field("amount", "newPayment.amount"), field("advice", "advice.number"), field("counterparty", "advice.counterparty", required: false),
                field("memo", "vouchers.memo", required: false),
                field("slip", "advice.slip", .select([("", "—")] + slips.map { ($0["id"] ?? "", "\($0["id"] ?? "") \(YuanFormat.yuan(Int64($0["amount"] ?? "") ?? 0)) \($0["date"] ?? "")") }),
                      required: false),
            ] + reviewer, submit: t("newPayment.submit", request))]
        case "sweep":
            page.intro = t("sweep.intro", request)
            page.forms = [ConsoleForm(id: "sweep-form", action: "\(Self.base)/sweep", fields: [
                field("account", "newPayment.account", .select(bank)), field("date", "newPayment.date", .date, value: today),
                field("amount", "sweep.amount", required: false), field("advice", "advice.number"),
            ] + reviewer, submit: t("sweep.submit", request))]
        case "dailyReport":
            page.intro = t("dailyReport.intro", request)
            page.forms = [ConsoleForm(id: "daily-report-form", action: "\(Self.base)/daily-report", fields: [
                field("date", "newPayment.date", .date, value: today),
            ] + bank.map { ConsoleField(name: "balance.\($0.0)", label: $0.1, value: form["balance.\($0.0)"] ?? "", required: false) } + reviewer,
                submit: t("newPayment.submit", request))]
        case "requests":
            page.forms = [
                ConsoleForm(id: "forecast-form", action: "\(Self.base)/forecast", heading: t("requests.forecast", request), fields: [
                    field("period", "requests.period", value: Self.nextHalf(today)), field("date", "newPayment.date", .date, value: today),
                    field("amounts", "requests.amounts", .textarea, value: "行政费用=0.00\n业务费用=0.00"),
                ] + reviewer, submit: t("newPayment.submit", request)),
                ConsoleForm(id: "application-form", action: "\(Self.base)/application", heading: t("requests.application", request), fields: [
                    field("category", "approvals.category"), field("amount", "newPayment.amount"), field("reason", "approvals.reasonGiven", .textarea),
                    field("date", "newPayment.date", .date, value: today),
                ] + reviewer, submit: t("newPayment.submit", request)),
            ]
            let mine = try office.store.documents(.application).filter { $0["org"] == session.staff.org.rawValue }.suffix(50).reversed()
            page.tables = [ConsoleTable(id: "applications", caption: t("approvals.applications", request), columns: [
                .init(label: t("payments.id", request)), .init(label: t("approvals.category", request)), .init(label: t("payments.amount", request), amount: true),
                .init(label: t("payments.date", request)), .init(label: t("approvals.state", request)),
            ], rows: mine.map { ConsoleTable.Row(id: "application-\($0["id"] ?? "")", cells: [
                .init(text: $0["id"] ?? ""), .init(text: $0["category"] ?? ""), .amount(YuanFormat.yuan(Int64($0["amount"] ?? "") ?? 0)),
                .init(text: $0["date"] ?? ""), .init(text: t("state.\($0["state"] ?? "")", request)),
            ]) }, empty: t("approvals.none", request))]
        case "notices":
            let notices = try office.store.documents(.differenceNotice).filter { $0["org"] == office.org.rawValue }.reversed()
            page.tables = [ConsoleTable(id: "notices", caption: t("notices.title", request), columns: [
                .init(label: t("payments.id", request)), .init(label: t("vouchers.date", request)), .init(label: t("reconciliation.check", request)),
                .init(label: t("reconciliation.subject", request)), .init(label: t("reconciliation.expected", request), amount: true),
                .init(label: t("reconciliation.actual", request), amount: true), .init(label: t("reconciliation.message", request)),
                .init(label: t("approvals.state", request)), .init(label: t("reconciliation.explanation", request)),
            ], rows: notices.map { notice in
                let id = notice["id"] ?? ""
                let answer = notice["state"] == "explained" ? [] : [ConsoleForm(id: "explain-\(id)", action: "\(Self.base)/notices", fields: [
                    .hidden("notice", id), ConsoleField(name: "text", label: t("notices.answer", request)),
                ], submit: t("notices.submit", request), inline: true)]
                return ConsoleTable.Row(id: "notice-\(id)", highlight: notice["state"] != "explained", cells: [
                    .init(text: id), .init(text: notice["date"] ?? ""), .init(text: notice["check_kind"] ?? ""), .init(text: notice["subject"] ?? ""),
                    .amount(notice["expected"].flatMap { Int64($0) }.map(YuanFormat.yuan) ?? ""),
                    .amount(notice["actual"].flatMap { Int64($0) }.map(YuanFormat.yuan) ?? ""), .init(text: notice["message"] ?? ""),
                    .init(text: t("finding.\(notice["state"] ?? "")", request)), .init(text: "", forms: answer),
                ])
            }, empty: t("notices.none", request))]
        default:
            return try refusal(request, session: session, status: .notFound, key: "error.title")
        }
        return try screen(page, request: request, session: session, status: status)
    }

    /// Writes one of the node's documents from its form.
    func submitNodeForm(_ request: Request, _ session: ConsoleSession, _ name: String, form: [String: String]) throws -> Response {
        guard case .node(let node) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        let show = { (message: String?, error: String?, status: HTTPResponse.Status) in
            try nodeForm(request, session, name, message: message, error: error, status: status, form: error == nil ? [:] : form)
        }
        let signer: (session: ConsoleSession, reviewer: String?)
        do {
            signer = try coSigned(request, session, form: form)
        } catch let error as ConsoleInputError {
            return try show(nil, error.description, .unprocessableContent)
        }
        let signatures = DocumentSignatures(preparer: session.staff.id, reviewer: signer.reviewer)
        return try perform(request, signer.session, action: "console \(name)", detail: form["account"] ?? form["notice"] ?? form["category"] ?? "", show: show) {
            let date = try Self.date(form, "date")
            switch name {
            case "advice":
                guard let direction = BankDirection(rawValue: form["direction"] ?? "") else { throw ConsoleInputError(description: "direction is receipt or payment") }
                let slip = (form["slip"] ?? "").isEmpty ? nil : form["slip"]
                let id = try node.recordBankAdvice(account: try Self.text(form, "account"), date: date, direction: direction,
                                                   amount: try Self.amount(form["amount"]), advice: try Self.text(form, "advice"),
                                                   counterparty: (form["counterparty"] ?? "").isEmpty ? nil : form["counterparty"],
                                                   memo: (form["memo"] ?? "").isEmpty ? nil : form["memo"], slip: slip, signatures: signatures)
                return t("document.recorded", request, ["id": id])
            case "sweep":
                let amount = (form["amount"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? nil : try Self.amount(form["amount"])
                let swept = try node.sweep(account: try Self.text(form, "account"), date: date, amount: amount, advice: try Self.text(form, "advice"),
                                           signatures: signatures)
                return t("sweep.done", request, ["slip": swept.slip, "amount": YuanFormat.yuan(swept.amount.value)])
            case "dailyReport":
                var reported: [String: AmountMinorUnits] = [:]
                for (key, value) in form where key.hasPrefix("balance.") && !value.trimmingCharacters(in: .whitespaces).isEmpty {
                    reported[String(key.dropFirst("balance.".count))] = try Self.amount(value)
                }
                let ids = try node.reportBalances(date: date, reported: reported, signatures: signatures)
                return t("dailyReport.done", request, ["count": String(ids.count)])
            case "forecast":
                var amounts: [String: AmountMinorUnits] = [:]
                for line in (form["amounts"] ?? "").split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    let pair = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard pair.count == 2, !pair[0].isEmpty else { throw ConsoleInputError(description: "'\(line)' is not CATEGORY=AMOUNT") }
                    amounts[pair[0]] = try Self.amount(pair[1])
                }
                let id = try node.submitForecast(period: try Self.text(form, "period"), date: date, amounts: amounts, signatures: signatures)
                return t("document.recorded", request, ["id": id])
            case "application":
                let result = try node.submitApplication(category: try Self.text(form, "category"), amount: try Self.amount(form["amount"]),
                                                        reason: try Self.text(form, "reason"), date: date, signatures: signatures)
                return t("document.recorded", request, ["id": result.id])
            default:
                throw ConsoleInputError(description: "unknown form \(name)")
            }
        }
    }

    /// Answers a difference notice with an explanation signed by the clerk.
    func answerNotice(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .node(let node) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        let notice = form["notice"] ?? ""
        return try perform(request, session, action: "console explanation", detail: notice, show: { message, error, status in
            try nodeForm(request, session, "notices", message: message, error: error, status: status)
        }) {
            let id = try node.explain(notice: notice, text: try Self.text(form, "text"), date: Self.today(office.store.nowMilliseconds),
                                      signatures: DocumentSignatures(preparer: session.staff.id))
            return t("document.recorded", request, ["id": id])
        }
    }

    /// A reviewer at the same desk (复核): their passphrase goes through the login check itself (a wrong one counts
    /// towards their lock), and their key joins the clerk's for this one document.
    func coSigned(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> (session: ConsoleSession, reviewer: String?) {
        let reviewer = (form["reviewer"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !reviewer.isEmpty else { return (session, nil) }
        let reviewed: (StaffMember, PersonalKeyring?)
        do {
            reviewed = try ConsoleLoginCheck(office: office, keysFolder: keysFolder).check(staff: reviewer, passphrase: form["reviewerPassphrase"] ?? "")
        } catch let refusal as ConsoleLoginCheck.Refusal {
            try office.audit(actor: session.staff.id, action: "console refused", detail: "review by \(reviewer): \(refusal)")
            throw ConsoleInputError(description: t(refusal == .locked ? "login.locked" : "login.failed", request))
        }
        guard reviewed.0.id != session.staff.id, let key = reviewed.1?.key(for: reviewer), let keyring = session.keyring else {
            throw ConsoleInputError(description: t("review.otherPerson", request))
        }
        let both = PersonalKeyring()
        if let own = keyring.key(for: session.staff.id) { both.add(own, for: session.staff.id) }
        both.add(key, for: reviewer)
        return (ConsoleSession(id: session.id, staff: session.staff, csrfToken: session.csrfToken, createdAt: session.createdAt,
                               lastSeen: session.lastSeen, keyring: both), reviewer)
    }

    /// The next forecast period after `date` (`2026-12-H1` on the 3rd → `2026-12-H2`; from the 16th, next month's H1).
    static func nextHalf(_ date: String) -> String {
        guard let day = BusinessDate(date) else { return "" }
        if day.day < 16 { return String(format: "%04d-%02d-H2", day.year, day.month) }
        return day.month == 12 ? String(format: "%04d-01-H1", day.year + 1) : String(format: "%04d-%02d-H1", day.year, day.month + 1)
    }
}
