import Hummingbird

extension ConsoleApplication {
    typealias PageRoute = (String, @escaping @Sendable (Request, ConsoleSession) throws -> Response) -> Void
    typealias ActionRoute = (String, @escaping @Sendable (Request, ConsoleSession, [String: String]) throws -> Response) -> Void

    /// The fund centre's pages (besides the network, balances, vouchers, audit and the payments queue).
    func addHubRoutes(get: PageRoute, post: ActionRoute) {
        get("approvals") { request, session in try approvals(request, session) }
        post("approvals") { request, session, form in try decide(request, session, form: form) }
        get("transit") { request, session in try transit(request, session) }
        get("bank") { request, session in try bankInstructions(request, session) }
        get("reconciliation") { request, session in try reconciliation(request, session) }
        post("reconciliation") { request, session, form in try reconcile(request, session, form: form) }
        get("statements") { request, session in try statements(request, session) }
        get("reports") { request, session in try reports(request, session) }
        get("reports/download") { request, session in try downloadReport(request, session) }
        get("registry") { request, session in try registry(request, session) }
        post("registry") { request, session, form in try changeKeys(request, session, form: form) }
    }

    /// A county clerk's pages (besides the day, payments, balances, vouchers and audit).
    func addNodeRoutes(get: PageRoute, post: ActionRoute) {
        for (path, name) in [("advice", "advice"), ("sweep", "sweep"), ("daily-report", "dailyReport"), ("requests", "requests"), ("notices", "notices")] {
            get(path) { request, session in try nodeForm(request, session, name) }
        }
        for (path, name) in [("advice", "advice"), ("sweep", "sweep"), ("daily-report", "dailyReport"), ("forecast", "forecast"), ("application", "application")] {
            post(path) { request, session, form in try submitNodeForm(request, session, name, form: form) }
        }
        post("notices") { request, session, form in try answerNotice(request, session, form: form) }
    }
}
