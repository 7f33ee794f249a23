import BatchWire
import Foundation
import Hummingbird
import LedgerCore
import NodeAgent
import ReplicaStore

extension ConsoleApplication {
    /// A clerk's day: what the centre rejected and why, and the shortcuts.
    func day(_ request: Request, _ session: ConsoleSession) throws -> Response {
        let notices = try office.store.rejectionNotices().reversed().map {
            ["table": $0.table, "key": $0.key, "code": $0.code ?? "", "reason": $0.reason]
        }
        return try page("day", request: request, session: session, values: ["rejected": notices])
    }

    func newPaymentValues(_ session: ConsoleSession, error: String? = nil, form: [String: String] = [:]) throws -> [String: Any] {
        let accounts = try office.store.read { try $0.accounts(of: session.staff.org) }
        var values: [String: Any] = [
            "bankAccounts": accounts.filter { $0.kind == .bank && $0.status == .active }.map { ["id": $0.id, "name": $0.name] },
            "expenseAccounts": accounts.filter { $0.kind == .subject && $0.status == .active }.map { ["id": $0.id, "name": "\($0.code) \($0.name)"] },
            "date": Self.today(office.store.nowMilliseconds).description, "form": form,
        ]
        if let error { values["error"] = error }
        return values
    }

    /// Enters a payment, prepared by the logged-in clerk and reviewed by a second person who types their passphrase
    /// at the same desk (复核): both sign it; it waits for the next exchange.
    func enterPayment(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .node(let node) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        func again(_ message: String) throws -> Response {
            try page("payment-new", request: request, session: session, status: .unprocessableContent,
                     values: try newPaymentValues(session, error: message, form: form))
        }
        guard session.keyring != nil else { return try again("no key of \(session.staff.id) here: a payment is signed") }
        let signer: (session: ConsoleSession, reviewer: String?)
        do {
            signer = try coSigned(request, session, form: form)
        } catch let error as ConsoleInputError {
            return try again(error.description)
        }
        guard let reviewer = signer.reviewer else { return try again(t("review.otherPerson", request)) }
        let signedSession = signer.session
        do {
            guard let date = BusinessDate(form["date"] ?? "") else { return try again("the date is YYYY-MM-DD") }
            let amount = try Self.amount(form["amount"])
            let id = try signed(signedSession, action: "console payment", detail: "\(form["payee"] ?? "") \(amount), reviewed by \(reviewer)") {
                try node.enterPayment(account: form["account"] ?? "", payee: form["payee"] ?? "", payeeAccount: form["payeeAccount"] ?? "",
                                      amount: amount, date: date, purpose: form["purpose"] ?? "", expenseAccount: form["expense"] ?? "",
                                      signatures: DocumentSignatures(preparer: session.staff.id, reviewer: reviewer))
            }
            return try page("day", request: request, session: session, values: [
                "message": catalog.text("newPayment.entered", Self.language(request), ["id": id]),
                "rejected": try office.store.rejectionNotices().reversed().map { ["table": $0.table, "key": $0.key, "code": $0.code ?? "", "reason": $0.reason] },
            ])
        } catch let error as ConsoleInputError {
            return try again(error.description)
        } catch let error as AmountParseError {
            return try again("\(error)")
        } catch let error as NodeError {
            return try again(error.description)
        } catch let error as LedgerRuleViolation {
            return try again(error.description)
        }
    }
}
