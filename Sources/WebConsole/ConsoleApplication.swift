import BatchWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import LedgerCore
import Mustache
import ReplicaStore

/// The web console of one office (4/6): `hub serve --console-listen` and `fundsync node serve`. Server-rendered
/// pages (Mustache templates in `Resources/templates`), plain HTML forms, no JavaScript.
///
/// Every request but the login page needs a session cookie (`fs_session`: HttpOnly, SameSite=Strict, Secure under
/// TLS, a new id at every login). Every POST carries the session's CSRF token in the form (`csrf`), compared in
/// constant time; a POST without it is refused before anything is read. Logins, refusals and every action go into
/// the office's audit log, signed by the person whose key their passphrase unlocked.
public struct ConsoleApplication: Sendable {
    public let office: ConsoleOffice
    public let keysFolder: URL?
    /// True when the console is served over TLS: the session cookie is then `Secure`.
    public let secure: Bool
    let catalog: ConsoleCatalog
    let library: MustacheLibrary
    let sessions = ConsoleSessions()
    /// One action at a time writes with a person's key (the store's signer is the process's).
    let actionLock = NSLock()

    public init(office: ConsoleOffice, keysFolder: URL?, secure: Bool) async throws {
        self.office = office
        self.keysFolder = keysFolder
        self.secure = secure
        catalog = try ConsoleCatalog.load()
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources") else {
            throw ConsoleError.missingResource("templates")
        }
        library = try await MustacheLibrary(directory: templates.path)
    }

    /// Where the console lives: under `/console` on the port it shares (the hub's batch API, DECISIONS "Three
    /// listeners"; a node's own server).
    public static let base = "/console"

    /// The console's routes, under ``base`` on `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        let routes = router.group(RouterPath(Self.base))
        routes.get("login") { request, _ in try page("login", request: request, session: nil, values: [:]) }
        routes.post("login") { request, context in try await login(request, context: context) }
        routes.post("logout") { request, context in try await withSession(request, context: context, post: true) { session, _ in
            sessions.end(session.id)
            try audit(signedWith: session.keyring, actor: session.staff.id, action: "console logout", detail: "")
            return redirect("login", cookie: Self.expiredCookie)
        } }
        func get(_ path: String, _ body: @escaping @Sendable (Request, ConsoleSession) throws -> Response) {
            routes.get(RouterPath(path)) { request, context in try await withSession(request, context: context) { session, _ in try body(request, session) } }
        }
        func post(_ path: String, _ body: @escaping @Sendable (Request, ConsoleSession, [String: String]) throws -> Response) {
            routes.post(RouterPath(path)) { request, context in try await withSession(request, context: context, post: true) { session, form in
                try body(request, session, form)
            } }
        }
        get("") { request, session in try office.isHub ? health(request, session) : day(request, session) }
        get("balances") { request, session in try balances(request, session) }
        get("vouchers") { request, session in try vouchers(request, session) }
        get("audit") { request, session in try audit(request, session) }
        if office.isHub {
            get("payments") { request, session in try payments(request, session, message: nil) }
            post("payments/release") { request, session, form in try release(request, session, form: form) }
            addHubRoutes(get: get, post: post)
            routes.post("statements") { request, context in try await uploadStatement(request, context: context) }
        } else {
            get("payments/new") { request, session in try page("payment-new", request: request, session: session, values: try newPaymentValues(session)) }
            post("payments") { request, session, form in try enterPayment(request, session, form: form) }
            addNodeRoutes(get: get, post: post)
        }
    }

    /// A router with the console alone (`node serve`): `/` leads to the console.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/") { _, _ in redirect(Self.base + "/", cookie: nil) }
        addRoutes(to: router)
        return router
    }

    // MARK: Sessions, CSRF, language

    static let cookieName = "fs_session"
    static let expiredCookie = "\(cookieName)=; Path=\(base); Max-Age=0; HttpOnly; SameSite=Strict"

    func sessionCookie(_ id: String) -> String {
        "\(Self.cookieName)=\(id); Path=\(Self.base); Max-Age=\(ConsoleSessions.lifetimeMilliseconds / 1000); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func cookies(_ request: Request) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2 { cookies[pair[0]] = pair[1] }
            }
        }
        return cookies
    }

    static func language(_ request: Request) -> ConsoleCatalog.Language {
        if let query = request.uri.queryParameters.get("lang") { return ConsoleCatalog.Language(query) }
        return ConsoleCatalog.Language(cookies(request)["lang"])
    }

    /// Runs `body` for a logged-in person; a POST must carry the session's CSRF token.
    func withSession(_ request: Request, context: BasicRequestContext, post: Bool = false,
                     _ body: (ConsoleSession, [String: String]) throws -> Response) async throws -> Response {
        guard let id = Self.cookies(request)[Self.cookieName], let session = sessions.find(id, now: office.store.nowMilliseconds) else {
            if post { return try refusal(request, session: nil, status: .forbidden, key: "session.expired") }
            return redirect("login", cookie: nil)
        }
        var form: [String: String] = [:]
        if post {
            form = try await Self.form(request, context: context)
            guard let token = form["csrf"], Self.constantTimeEqual(token, session.csrfToken) else {
                try office.audit(actor: session.staff.id, action: "console refused", detail: "POST \(request.uri.path) without a valid CSRF token")
                return try refusal(request, session: session, status: .forbidden, key: "csrf.refused")
            }
        }
        return try body(session, form)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// An `application/x-www-form-urlencoded` body, at most 64 KiB.
    static func form(_ request: Request, context: BasicRequestContext) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: body)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    // MARK: Login

    func login(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        let staff = (form["staff"] ?? "").trimmingCharacters(in: .whitespaces)
        let check = ConsoleLoginCheck(office: office, keysFolder: keysFolder)
        do {
            let (member, keyring) = try check.check(staff: staff, passphrase: form["passphrase"] ?? "")
            let session = try sessions.start(member, keyring: keyring, now: office.store.nowMilliseconds)
            try audit(signedWith: keyring, actor: member.id, action: "console login",
                      detail: keyring == nil ? "no key file here: read-only" : "key unlocked for the session")
            return redirect("", cookie: sessionCookie(session.id))
        } catch let refusal as ConsoleLoginCheck.Refusal {
            try office.audit(actor: staff.isEmpty ? "os:console" : staff, action: "console login refused",
                             detail: refusal == .locked ? "locked after repeated failures" : "wrong staff id or passphrase")
            return try page("login", request: request, session: nil, status: .unauthorized,
                            values: ["error": catalog.text(refusal == .locked ? "login.locked" : "login.failed", Self.language(request))])
        }
    }

    // MARK: Rendering

    func page(_ template: String, request: Request, session: ConsoleSession?, status: HTTPResponse.Status = .ok,
              values: [String: Any]) throws -> Response {
        let language = Self.language(request)
        var context = values
        context["t"] = catalog.forTemplates(language)
        context["lang"] = language.rawValue
        context["otherLang"] = language == .en ? "zh" : "en"
        context["isHub"] = office.isHub
        context["office"] = office.org.rawValue
        context["base"] = Self.base
        context["path"] = request.method == .get ? request.uri.path : Self.base + "/"
        if let session {
            context["user"] = ["id": session.staff.id, "name": session.staff.name, "org": session.staff.org.rawValue]
            context["csrf"] = session.csrfToken
            if !office.isHub { context["banner"] = try banner(language) }
        }
        guard let html = library.render(context, withTemplate: template) else { throw ConsoleError.template(template) }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if request.uri.queryParameters.get("lang") != nil {
            headers[.setCookie] = "lang=\(language.rawValue); Path=\(Self.base); Max-Age=31536000; SameSite=Strict"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func refusal(_ request: Request, session: ConsoleSession?, status: HTTPResponse.Status, key: String, detail: String = "") throws -> Response {
        try page("error", request: request, session: session, status: status,
                 values: ["message": catalog.text(key, Self.language(request)), "detail": detail])
    }

    /// A 303 to `location`: a path inside the console (`balances`), or an absolute one (`/console/`).
    func redirect(_ location: String, cookie: String?) -> Response {
        var headers = HTTPFields()
        headers[.location] = location.hasPrefix("/") ? location : Self.base + "/" + location
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// What a node's pages show on top: the last exchange with the hub and what is waiting to go.
    func banner(_ language: ConsoleCatalog.Language) throws -> [String: Any] {
        let last = try office.store.lastReceived().values.max()
        let waiting = try office.store.status().outbox
        return ["lastExchange": last.map(Self.time) ?? catalog.text("banner.never", language), "waiting": waiting]
    }

    static func time(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// An audit entry signed with `keyring` (the person's key a login just unlocked), unsigned without one.
    func audit(signedWith keyring: PersonalKeyring?, actor: String, action: String, detail: String) throws {
        try actionLock.withLock {
            office.store.signer = keyring
            defer { office.store.signer = nil }
            try office.audit(actor: actor, action: action, detail: detail)
        }
    }

    /// Runs a signed action with the session's key as the office's signer, then audits it in the person's name. The
    /// store's audit context is left alone: the hub's batch API runs in the same process, and its imports are nobody's
    /// console action; the entry is signed with the person's key.
    func signed<T>(_ session: ConsoleSession, action: String, detail: String, _ body: () throws -> T) throws -> T {
        try actionLock.withLock {
            office.store.signer = session.keyring
            defer { office.store.signer = nil }
            let result = try body()
            try office.audit(actor: session.staff.id, action: action, detail: detail)  // signed with the same key
            return result
        }
    }
}

extension ConsoleApplication {
    /// The console as a Hummingbird application on `host:port` (a node's own server), over TLS when `tls` is given
    /// (construct the console with `secure: true` then, so its cookie is `Secure`); `onListening` runs once the socket
    /// is bound.
    public func application(host: String, port: Int, tls: TLSConfiguration? = nil, logger: Logger,
                            onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in })
        throws -> some ApplicationProtocol {
        let http = HTTPServerBuilder.http1()
        let server = try tls.map { try HTTPServerBuilder.tls(http, tlsConfiguration: $0) } ?? http
        return Application(router: router(), server: server,
                           configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "FundSync-Console"),
                           onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? port) }, logger: logger)
    }
}
