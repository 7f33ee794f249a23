import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore

/// A form value the console could not read: a date, an amount, a missing choice. The person sees the sentence.
struct ConsoleInputError: Error, CustomStringConvertible {
    let description: String
}

extension ConsoleApplication {
    /// The text of `key` in the request's language.
    func t(_ key: String, _ request: Request, _ values: [String: String] = [:]) -> String {
        catalog.text(key, Self.language(request), values)
    }

    /// Renders a page made of parts (``ConsoleScreen``).
    func screen(_ screen: ConsoleScreen, request: Request, session: ConsoleSession, status: HTTPResponse.Status = .ok) throws -> Response {
        try page("screen", request: request, session: session, status: status, values: screen.context)
    }

    /// Runs a person's action (a decision, a document) signed with their key, and shows the page again with the
    /// outcome. A refusal by the books' own rules is shown in the person's words and audited; anything else (storage)
    /// is an error of the server.
    func perform(_ request: Request, _ session: ConsoleSession, action: String, detail: String,
                 show: (_ message: String?, _ error: String?, _ status: HTTPResponse.Status) throws -> Response,
                 _ body: () throws -> String) throws -> Response {
        guard session.keyring != nil else { return try show(nil, t("action.noKey", request), .forbidden) }
        do {
            let message = try signed(session, action: action, detail: detail, body)
            return try show(message, nil, .ok)
        } catch {
            guard let (text, status) = Self.userFacing(error) else { throw error }
            try office.audit(actor: session.staff.id, action: "console refused", detail: "\(action) \(detail): \(text)")
            return try show(nil, text, status)
        }
    }

    /// The sentence and HTTP status of a refusal a person can act on; `nil` for an error of the server.
    static func userFacing(_ error: any Error) -> (String, HTTPResponse.Status)? {
        switch error {
        case let error as any CodedError: (error.description, error.name == "not-permitted" ? .forbidden : .unprocessableContent)
        case let error as LedgerRuleViolation: (error.description, .unprocessableContent)
        case let error as AmountParseError: (error.description, .unprocessableContent)
        case let error as ConsoleInputError: (error.description, .unprocessableContent)
        case let error as StatementImportError: (error.description, .unprocessableContent)
        case let error as CloseRefusal: (error.description, .unprocessableContent)
        default: nil
        }
    }

    // MARK: Reading forms and queries

    /// A date field (`YYYY-MM-DD`).
    static func date(_ form: [String: String], _ name: String) throws -> BusinessDate {
        guard let date = BusinessDate((form[name] ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw ConsoleInputError(description: "\(name): '\(form[name] ?? "")' is not a date (YYYY-MM-DD)")
        }
        return date
    }

    /// An amount in yuan as a person types it: `1234567.89`, or grouped correctly in thousands (`1,234,567.89`), and
    /// nothing else (DECISIONS, Amounts); within the cap.
    static func amount(_ text: String?) throws -> AmountMinorUnits {
        var text = (text ?? "").trimmingCharacters(in: .whitespaces)
        if text.contains(",") {
            guard text.range(of: #"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?$"#, options: .regularExpression) != nil else {
                throw ConsoleInputError(description: "'\(text)' is not an amount: group thousands as 1,234,567.89, or write 1234567.89")
            }
            text = text.replacingOccurrences(of: ",", with: "")
        }
        let amount = try AmountMinorUnits.parsing(text, scale: 2)
        guard amount.isWithinCap else {
            throw LedgerRuleViolation(.amountOverCap(line: 0, amountMinorUnits: amount.value, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
        }
        return amount
    }

    /// A required text field.
    static func text(_ form: [String: String], _ name: String) throws -> String {
        let text = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ConsoleInputError(description: "\(name) is empty") }
        return text
    }

    /// A date query parameter, or `fallback`.
    static func queryDate(_ request: Request, _ name: String, _ fallback: BusinessDate) -> BusinessDate {
        request.uri.queryParameters.get(name).flatMap { BusinessDate($0) } ?? fallback
    }

    /// The name of every unit by code, and a label "name (code)".
    func unitLabels() throws -> [String: String] {
        Dictionary(try office.store.read { try $0.orgUnits() }.map { ($0.code.rawValue, "\($0.name) (\($0.code))") },
                   uniquingKeysWith: { a, _ in a })
    }

    /// Percent-encodes a query value.
    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// Only the fund centre's own staff see the province's pages.
    func requireHubStaff(_ request: Request, _ session: ConsoleSession) throws -> Response? {
        guard case .hub = office, session.staff.org == office.org else {
            return try refusal(request, session: session, status: .forbidden, key: "role.refused")
        }
        return nil
    }
}
