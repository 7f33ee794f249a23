import BankStatements
import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import MultipartKit
import ReplicaStore

extension ConsoleApplication {
    /// The largest statement file the console accepts.
    static let statementBytesMax = 8 * 1024 * 1024

    /// Bank statements: upload a camt.053, MT940 or CSV file (checked whole before anything is stored), and the bank
    /// reconciliation statement (银行存款余额调节表) of an account on a date.
    func statements(_ request: Request, _ session: ConsoleSession, message: String? = nil, error: String? = nil,
                    status: HTTPResponse.Status = .ok) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let units = try unitLabels()
        let accounts = try office.store.allAccounts().filter { $0.kind == .bank && $0.status != .closed }
        let chosen = request.uri.queryParameters.get("account").flatMap { id in accounts.first { $0.id == id } }
        let date = Self.queryDate(request, "date", Self.today(office.store.nowMilliseconds))
        var page = ConsoleScreen(title: t("statements.title", request), message: message, error: error)
        page.forms = [
            ConsoleForm(id: "upload", action: "\(Self.base)/statements", heading: t("statements.upload", request), fields: [
                ConsoleField(name: "profile", label: t("statements.profile", request),
                             kind: .select([("", t("statements.profile.standard", request))] + BankProfiles.all.map { ($0.id, $0.name) }),
                             required: false),
                ConsoleField(name: "file", label: t("statements.file", request), kind: .file),
            ], submit: t("statements.import", request), multipart: true),
            ConsoleForm(id: "bank-rec-form", action: "\(Self.base)/statements", post: false, heading: t("statements.reconciliation", request), fields: [
                ConsoleField(name: "account", label: t("balances.account", request),
                             kind: .select(accounts.map { ($0.id, "\($0.id) \($0.name) · \(units[$0.org.rawValue] ?? $0.org.rawValue)") }),
                             value: chosen?.id ?? ""),
                ConsoleField(name: "date", label: t("balances.asOf", request), kind: .date, value: date.description),
            ], submit: t("balances.show", request)),
        ]
        if let chosen {
            let statement = try hub.bankReconciliation(account: chosen.id, date: date)
            let item = { (title: String, items: [BankReconciliationStatement.Item]) -> [ConsoleTable.Row] in
                items.map { ConsoleTable.Row(cells: [.init(text: title), .init(text: $0.date), .init(text: $0.reference), .amount(YuanFormat.yuan($0.amountMinorUnits))]) }
            }
            var rows = [ConsoleTable.Row(cells: [.init(text: t("statements.bankBalance", request)), .init(text: statement.date), .init(text: ""),
                                                 .amount(YuanFormat.yuan(statement.bankBalanceMinorUnits))])]
            rows += item(t("statements.booksReceivedBankNot", request), statement.booksReceivedBankNot)
            rows += item(t("statements.booksPaidBankNot", request), statement.booksPaidBankNot)
            rows.append(ConsoleTable.Row(id: "adjusted-bank", cells: [.init(text: t("statements.adjustedBank", request)), .init(text: ""), .init(text: ""),
                                                                    .amount(YuanFormat.yuan(statement.adjustedBankMinorUnits))]))
            rows.append(ConsoleTable.Row(cells: [.init(text: t("statements.bookBalance", request)), .init(text: statement.date), .init(text: ""),
                                                 .amount(YuanFormat.yuan(statement.bookBalanceMinorUnits))]))
            rows += item(t("statements.bankReceivedBooksNot", request), statement.bankReceivedBooksNot)
            rows += item(t("statements.bankPaidBooksNot", request), statement.bankPaidBooksNot)
            rows.append(ConsoleTable.Row(id: "adjusted-books", highlight: !statement.balanced, cells: [
                .init(text: t("statements.adjustedBooks", request)), .init(text: ""),
                .init(text: statement.balanced ? t("statements.agree", request) : t("statements.disagree", request)),
                .amount(YuanFormat.yuan(statement.adjustedBooksMinorUnits))]))
            if statement.ledgerBalanceMinorUnits != statement.bookBalanceMinorUnits {
                rows.append(ConsoleTable.Row(highlight: true, cells: [.init(text: t("statements.ledgerDiffers", request)), .init(text: ""), .init(text: ""),
                                                                      .amount(YuanFormat.yuan(statement.ledgerBalanceMinorUnits))]))
            }
            page.tables = [ConsoleTable(id: "bank-rec", caption: "\(chosen.id) \(chosen.name) · \(date)", columns: [
                .init(label: t("statements.item", request)), .init(label: t("vouchers.date", request)), .init(label: t("statements.reference", request)),
                .init(label: t("payments.amount", request), amount: true),
            ], rows: rows, empty: "")]
        }
        return try screen(page, request: request, session: session, status: status)
    }

    /// A statement file posted as `multipart/form-data` (fields `csrf` and `file`): imported whole or refused whole,
    /// with the reader's own sentence. The CSRF token is checked before the file is looked at.
    func uploadStatement(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard case .hub(let hub) = office,
              let id = Self.cookies(request)[Self.cookieName], let session = sessions.find(id, now: office.store.nowMilliseconds) else {
            return try refusal(request, session: nil, status: .forbidden, key: "session.expired")
        }
        if let refused = try requireHubStaff(request, session) { return refused }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"")), !boundary.isEmpty else {
            return try statements(request, session, error: t("statements.notMultipart", request), status: .badRequest)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.statementBytesMax + 64 * 1024)
        } catch {
            return try statements(request, session, error: t("statements.tooLarge", request, ["max": String(Self.statementBytesMax / 1024 / 1024)]),
                                  status: .contentTooLarge)
        }
        let parts: [String: UploadedPart]
        do {
            parts = try Self.multipartParts(body, boundary: boundary)
        } catch {
            // Nothing is done with a body that cannot be read, so saying so needs no token.
            return try statements(request, session, error: t("statements.notMultipart", request), status: .badRequest)
        }
        guard let token = parts["csrf"].map({ String(buffer: $0.body) }), Self.constantTimeEqual(token, session.csrfToken) else {
            try office.audit(actor: session.staff.id, action: "console refused", detail: "POST \(request.uri.path) without a valid CSRF token")
            return try refusal(request, session: session, status: .forbidden, key: "csrf.refused")
        }
        guard let file = parts["file"], file.body.readableBytes > 0 else {
            return try statements(request, session, error: t("statements.noFile", request), status: .unprocessableContent)
        }
        // A bank's own export is read through the profile chosen; none: the standard formats.
        let profileID = parts["profile"].map { String(buffer: $0.body) } ?? ""
        let profile = BankProfiles.profile(id: profileID)
        guard profileID.isEmpty || profile != nil else {
            return try statements(request, session, error: t("statements.profile.unknown", request, ["profile": String(profileID.prefix(40))]),
                                  status: .unprocessableContent)
        }
        let name = Self.safeFileName(file.filename ?? "statement")
        let show = { (message: String?, error: String?, status: HTTPResponse.Status) in
            try statements(request, session, message: message, error: error, status: status)
        }
        return try perform(request, session, action: "console statement import", detail: "\(name) (\(file.body.readableBytes) bytes)", show: show) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }  // a temporary copy; the import keeps what it needs
            let url = folder.appendingPathComponent(name)
            try Data(file.body.readableBytesView).write(to: url)
            let results = try hub.importStatementFile(url, profile: profile)
            return t("statements.imported", request, ["file": name, "statements": String(results.count),
                                                       "matched": String(results.reduce(0) { $0 + $1.matched })])
        }
    }

    /// A file part of a form.
    struct UploadedPart {
        var filename: String?
        var body: ByteBuffer
    }

    /// The parts of a `multipart/form-data` body by field name (MultipartKit's parser).
    static func multipartParts(_ body: ByteBuffer, boundary: String) throws -> [String: UploadedPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [String: UploadedPart] = [:]
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            if let name = Self.dispositionParameter("name", in: disposition) {
                parts[name] = UploadedPart(filename: Self.dispositionParameter("filename", in: disposition), body: current)
            }
            headers = []
            current = ByteBuffer()
        }
        try parser.execute(body)
        return parts
    }

    static func dispositionParameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// A file name a person's browser sent, reduced to its last component of safe characters (never a path): the
    /// import names the file in its messages and keeps the name with the statement.
    static func safeFileName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
            .map(Character.init)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return safe.isEmpty ? "statement" : String(safe.prefix(100))
    }
}
