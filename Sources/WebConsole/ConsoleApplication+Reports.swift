import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import ReportWriters

extension ConsoleApplication {
    /// The reports, each downloadable as an Excel workbook or CSV (UTF-8 with BOM) for a period and a unit's subtree,
    /// with headers in the person's language.
    func reports(_ request: Request, _ session: ConsoleSession) throws -> Response {
        if let refused = try requireHubStaff(request, session) { return refused }
        let translation = ReportTranslation(catalog: catalog, language: Self.language(request))
        let today = Self.today(office.store.nowMilliseconds)
        let from = BusinessDate.fromDaysSinceEpoch(today.daysSinceEpoch - today.day + 1)
        let units = try office.store.read { try $0.orgUnits() }.filter { $0.level != .budgetUnit }
        let unitOptions = [("", t("balances.province", request))] + units.map { ($0.code.rawValue, "\($0.name) (\($0.code))") }
        var page = ConsoleScreen(title: t("reports.title", request))
        page.forms = ReportKind.allCases.map { kind in
            ConsoleForm(id: "report-\(kind.rawValue)", action: "\(Self.base)/reports/download", post: false, heading: translation.title(kind), fields: [
                .hidden("kind", kind.rawValue),
                ConsoleField(name: "from", label: t("vouchers.from", request), kind: .date, value: from.description),
                ConsoleField(name: "through", label: t("vouchers.through", request), kind: .date, value: today.description),
                ConsoleField(name: "org", label: t("balances.unit", request), kind: .select(unitOptions), value: "", required: false),
                ConsoleField(name: "format", label: t("reports.format", request),
                             kind: .select([("xlsx", t("reports.xlsx", request)), ("csv", t("reports.csv", request))]), value: "xlsx"),
            ], submit: t("reports.download", request))
        }
        return try screen(page, request: request, session: session)
    }

    /// One report as a file.
    func downloadReport(_ request: Request, _ session: ConsoleSession) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let query = request.uri.queryParameters
        guard let kind = query.get("kind").flatMap(ReportKind.init(rawValue:)), let from = query.get("from").flatMap({ BusinessDate($0) }),
              let through = query.get("through").flatMap({ BusinessDate($0) }), from <= through else {
            return try refusal(request, session: session, status: .badRequest, key: "reports.badRequest")
        }
        let org = try query.get("org").flatMap { $0.isEmpty ? nil : $0 }.map { code in
            guard let org = OrgCode(code) else { throw ConsoleInputError(description: "unknown unit \(code)") }
            return org
        }
        let report = ReportTranslation(catalog: catalog, language: Self.language(request))
            .translate(try hub.report(kind, from: from, through: through, org: org), kind: kind)
        let csv = query.get("format") == "csv"
        let data = csv ? try CSVWriter.data(for: report.tables[0]) : try XLSXWriter.data(for: report)
        try office.audit(actor: session.staff.id, action: "console report", detail: "\(kind.rawValue) \(from)…\(through)\(org.map { " \($0)" } ?? "")")
        var headers = HTTPFields()
        headers[.contentType] = csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        headers[.contentDisposition] = "attachment; filename=\"\(kind.rawValue)-\(from)-\(through).\(csv ? "csv" : "xlsx")\""
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
