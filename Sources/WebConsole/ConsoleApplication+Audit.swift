import Foundation
import Hummingbird
import ReplicaStore

extension ConsoleApplication {
    /// The audit log, newest first, searched by a word in who, what or the detail (at most 200 entries shown). The
    /// fund centre sees every office's (they travel up); a county's staff see their office's; a budget unit's user none.
    func audit(_ request: Request, _ session: ConsoleSession) throws -> Response {
        guard session.staff.org == office.org else {
            return try refusal(request, session: session, status: .forbidden, key: "role.refused")
        }
        let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        let entries = try office.store.auditLog().reversed().lazy.filter { entry in
            query.isEmpty || [entry.actor, entry.actorName ?? "", entry.action, entry.detail].contains { $0.localizedCaseInsensitiveContains(query) }
        }.prefix(200).map { entry -> [String: Any] in
            ["when": Self.time(entry.atMilliseconds), "org": entry.org, "who": entry.actorName.map { "\($0) (\(entry.actor))" } ?? entry.actor,
             "signed": entry.signedWithKey != nil, "action": entry.action, "detail": String(entry.detail.prefix(200))]
        }
        return try page("audit", request: request, session: session, values: ["entries": Array(entries), "q": query])
    }
}
