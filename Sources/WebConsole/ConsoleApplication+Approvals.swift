import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// The fund centre's approvals queue (审批): special fund applications, account requests, allocation orders and
    /// payment releases, each with its buttons. Every decision is signed with the person's key; whether their post and
    /// limit allow it is the hub's own rule, and a refusal names it.
    func approvals(_ request: Request, _ session: ConsoleSession, message: String? = nil, error: String? = nil,
                   status: HTTPResponse.Status = .ok) throws -> Response {
        if let refused = try requireHubStaff(request, session) { return refused }
        let units = try unitLabels()
        let today = Self.today(office.store.nowMilliseconds).description
        func decision(_ kind: String, _ id: String, _ decision: String, _ label: String, input: (name: String, label: String)? = nil,
                      extra: [ConsoleField] = []) -> ConsoleForm {
            var fields: [ConsoleField] = [.hidden("kind", kind), .hidden("id", id), .hidden("decision", decision)] + extra
            if let input { fields.append(ConsoleField(name: input.name, label: input.label, required: input.name != "note")) }
            return ConsoleForm(id: "\(decision)-\(id)", action: "\(Self.base)/approvals", fields: fields, submit: label, inline: true)
        }
        let reason = (name: "reason", label: t("approvals.reason", request))
        func signed(_ document: [String: String]) -> String {
            let people = ["preparer", "reviewer", "approver"].compactMap { document[$0].flatMap { $0.isEmpty ? nil : $0 } }
            return (document["signatures"] ?? "").isEmpty ? t("signed.unsigned", request) : "✓ " + people.joined(separator: ", ")
        }
        let payments = try office.store.documents(.payment).filter { $0["state"] == "entered" }.map { payment -> ConsoleTable.Row in
            let id = payment["id"] ?? ""
            return ConsoleTable.Row(id: "payment-\(id)", cells: [
                .init(text: id), .init(text: units[payment["org"] ?? ""] ?? payment["org"] ?? ""), .init(text: payment["payee"] ?? ""),
                .amount(YuanFormat.yuan(Int64(payment["amount"] ?? "") ?? 0)), .init(text: payment["date"] ?? ""), .init(text: signed(payment)),
                .init(text: "", forms: [decision("payment", id, "release", t("payments.release", request), extra: [.hidden("date", payment["date"] ?? today)]),
                                        decision("payment", id, "refuse", t("payments.refuse", request), input: reason)]),
            ])
        }
        let applications = try office.store.documents(.application).filter { $0["state"] == "submitted" }.map { application -> ConsoleTable.Row in
            let id = application["id"] ?? ""
            return ConsoleTable.Row(id: "application-\(id)", cells: [
                .init(text: id), .init(text: units[application["org"] ?? ""] ?? ""), .init(text: application["category"] ?? ""),
                .init(text: application["reason"] ?? ""), .amount(YuanFormat.yuan(Int64(application["amount"] ?? "") ?? 0)),
                .init(text: application["date"] ?? ""), .init(text: signed(application)),
                .init(text: "", forms: [decision("application", id, "approve", t("approvals.approve", request)),
                                        decision("application", id, "reject", t("approvals.reject", request), input: reason)]),
            ])
        }
        let accountRequests = try office.store.documents(.accountRequest).filter { $0["state"] == "pending" }.map { row -> ConsoleTable.Row in
            let id = row["id"] ?? ""
            return ConsoleTable.Row(id: "request-\(id)", cells: [
                .init(text: id), .init(text: units[row["org"] ?? ""] ?? ""), .init(text: t("request.\(row["action"] ?? "")", request)),
                .init(text: row["account"] ?? ""), .init(text: row["date"] ?? ""), .init(text: signed(row)),
                .init(text: "", forms: [decision("account-request", id, "check", t("approvals.check", request), input: ("note", t("approvals.note", request))),
                                        decision("account-request", id, "approve", t("approvals.approve", request)),
                                        decision("account-request", id, "refuse", t("approvals.reject", request), input: reason)]),
            ])
        }
        let orders = try office.store.documents(.allocation).filter { ["prepared", "approved"].contains($0["state"] ?? "") }.map { order -> ConsoleTable.Row in
            let id = order["id"] ?? ""
            let action = order["state"] == "prepared"
                ? decision("allocation", id, "approve", t("approvals.approve", request))
                : decision("allocation", id, "pay", t("approvals.pay", request), input: ("advice", t("approvals.advice", request)),
                           extra: [.hidden("date", today)])
            return ConsoleTable.Row(id: "allocation-\(id)", cells: [
                .init(text: id), .init(text: units[order["branch"] ?? ""] ?? order["branch"] ?? ""), .init(text: order["kind"] ?? ""),
                .amount(YuanFormat.yuan(Int64(order["amount"] ?? "") ?? 0)), .init(text: order["date"] ?? ""),
                .init(text: t("state.\(order["state"] ?? "")", request)), .init(text: "", forms: [action]),
            ])
        }
        let c = { (key: String) in ConsoleTable.Column(label: self.t(key, request)) }
        let amount = ConsoleTable.Column(label: t("payments.amount", request), amount: true)
        var page = ConsoleScreen(title: t("approvals.title", request), message: message, error: error)
        page.tables = [
            ConsoleTable(id: "payments", caption: t("payments.title", request),
                         columns: [c("payments.id"), c("payments.unit"), c("payments.payee"), amount, c("payments.date"), c("payments.signatures"), c("approvals.decide")],
                         rows: payments, empty: t("payments.none", request)),
            ConsoleTable(id: "applications", caption: t("approvals.applications", request),
                         columns: [c("payments.id"), c("payments.unit"), c("approvals.category"), c("approvals.reasonGiven"), amount, c("payments.date"),
                                   c("payments.signatures"), c("approvals.decide")],
                         rows: applications, empty: t("approvals.none", request)),
            ConsoleTable(id: "account-requests", caption: t("approvals.accountRequests", request),
                         columns: [c("payments.id"), c("payments.unit"), c("approvals.action"), c("balances.account"), c("payments.date"),
                                   c("payments.signatures"), c("approvals.decide")],
                         rows: accountRequests, empty: t("approvals.none", request)),
            ConsoleTable(id: "allocations", caption: t("approvals.allocations", request),
                         columns: [c("payments.id"), c("payments.unit"), c("approvals.kind"), amount, c("payments.date"), c("approvals.state"),
                                   c("approvals.decide")],
                         rows: orders, empty: t("approvals.none", request)),
        ]
        return try screen(page, request: request, session: session, status: status)
    }

    /// One decision from the queue, signed by the logged-in person.
    func decide(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let kind = form["kind"] ?? "", id = form["id"] ?? "", choice = form["decision"] ?? "", staff = session.staff.id
        let who = "\(session.staff.name) (\(staff))"
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        return try perform(request, session, action: "console \(kind) \(choice)", detail: "\(id)\(reason.isEmpty ? "" : ": \(reason)")",
                           show: { try approvals(request, session, message: $0, error: $1, status: $2) }) {
            switch (kind, choice) {
            case ("payment", "release"):
                try hub.releasePayment(id, by: staff, on: form["date"].flatMap { BusinessDate($0) })
            case ("payment", "refuse"):
                try hub.refusePayment(id, by: staff, reason: try Self.text(form, "reason"))
            case ("application", "approve"), ("application", "reject"):
                try hub.decideApplication(id, approve: choice == "approve", approver: staff, reason: reason.isEmpty ? nil : reason)
            case ("account-request", "check"):
                try hub.checkAccountRequest(id, by: staff, note: (form["note"] ?? "").isEmpty ? nil : form["note"])
            case ("account-request", "approve"), ("account-request", "refuse"):
                try hub.decideAccountRequest(id, approve: choice == "approve", by: staff, reason: reason.isEmpty ? nil : reason)
            case ("allocation", "approve"):
                try hub.approveAllocation(id, approver: staff)
            case ("allocation", "pay"):
                _ = try hub.payAllocation(id, cashier: staff, date: form["date"].flatMap { BusinessDate($0) }, advice: try Self.text(form, "advice"))
            default:
                throw ConsoleInputError(description: "unknown decision \(kind) \(choice)")
            }
            return t("approvals.done", request, ["id": id, "decision": t("decision.\(choice)", request), "who": who])
        }
    }
}
