import Foundation
import HubCore
import LedgerCore
import NIOCore
import ReportWriters
import Testing
@testable import WebConsole

/// What a person (or someone posing as one) types or uploads into the console: amounts, file names, multipart
/// bodies; and what the console draws from it (SVG charts), which must never let text become markup.
@Suite struct ConsoleInputTests {
    @Test func amountsMayBeGroupedCorrectlyInThousandsAndNothingElse() throws {
        #expect(try ConsoleApplication.amount("1,234,567.89").value == 123_456_789)
        #expect(try ConsoleApplication.amount("1234567.89").value == 123_456_789)
        #expect(try ConsoleApplication.amount(" 2,000 ").value == 200_000)
        #expect(try ConsoleApplication.amount("999.5").value == 99_950)
        for refused in ["1,5", "1,,2,3", "12,34.00", "1,234.567", ",123", "1,234,", "2,00.00", "1e5", "¥100", "", "1.234,56", "10,000,000,000,000.01"] {
            #expect(throws: (any Error).self, "'\(refused)' is refused") { try ConsoleApplication.amount(refused) }
        }
        #expect(try ConsoleApplication.amount("10,000,000,000,000.00").value == Limits.amountMinorUnitsMax, "the cap itself is accepted")
    }

    @Test func anUploadedFileNameIsNeverAPath() {
        #expect(ConsoleApplication.safeFileName("../../etc/passwd") == "passwd")
        #expect(ConsoleApplication.safeFileName("C:\\Users\\clerk\\stmt 12-01.csv") == "stmt12-01.csv")
        #expect(ConsoleApplication.safeFileName("...") == "statement")
        #expect(ConsoleApplication.safeFileName("") == "statement")
        #expect(ConsoleApplication.safeFileName("a;rm -rf $HOME.xml") == "arm-rfHOME.xml")
        #expect(ConsoleApplication.safeFileName("建行对账单.sta") == "建行对账单.sta")
        #expect(ConsoleApplication.safeFileName(String(repeating: "a", count: 500) + ".csv").count == 100)
    }

    @Test func aMultipartBodyGivesItsFieldsAndFile() throws {
        let boundary = "----FundSyncBoundary7MA4YWxk"
        let body = [
            "--\(boundary)", "Content-Disposition: form-data; name=\"csrf\"", "", "token-123",
            "--\(boundary)", "Content-Disposition: form-data; name=\"file\"; filename=\"stmt.csv\"", "Content-Type: text/csv", "",
            "record,account\r\nOPEN,1",
            "--\(boundary)--", "",
        ].joined(separator: "\r\n")
        let parts = try ConsoleApplication.multipartParts(ByteBuffer(string: body), boundary: boundary)
        #expect(parts["csrf"].map { String(buffer: $0.body) } == "token-123")
        #expect(parts["file"]?.filename == "stmt.csv")
        #expect(parts["file"].map { String(buffer: $0.body) } == "record,account\r\nOPEN,1")
        let junk = try? ConsoleApplication.multipartParts(ByteBuffer(string: "csrf=x&file=y"), boundary: boundary)
        #expect(junk?["csrf"] == nil, "a body that is not multipart gives no token")
    }

    @Test func chartsEscapeTheirTextAndNeverTrapOnExtremeValues() {
        let bars = ConsoleChart.bars(id: "c", caption: "<script>alert(1)</script>", [
            ("\"><img src=x>", Int64.max, "max"), ("zero", 0, "0"), ("negative", Int64.min, "min"),
        ])
        #expect(!bars.svg.contains("<script>") && !bars.svg.contains("<img") && bars.svg.contains("&lt;script&gt;"))
        #expect(bars.svg.hasPrefix("<svg") && bars.svg.hasSuffix("</svg>"))
        let lines = ConsoleChart.lines(id: "l", caption: "x", days: ["12-01", "12-02"],
                                       series: [("a&b", [Int64.min, Int64.max]), ("flat", [0, 0])], axisText: { String($0) })
        #expect(lines.svg.contains("a&amp;b") && lines.svg.components(separatedBy: "<polyline").count == 3)
        #expect(ConsoleChart.lines(id: "e", caption: "", days: [], series: [], axisText: { String($0) }).svg.hasPrefix("<svg"))
    }

    @Test func aScreenGivesTheTemplateEveryKeyItReads() {
        var screen = ConsoleScreen(title: "t")
        screen.tables = [ConsoleTable(id: "x", columns: [.init(label: "a")], rows: [.init(cells: [.init(text: "1")])], empty: "none")]
        screen.forms = [ConsoleForm(id: "f", action: "/console/x", fields: [ConsoleField(name: "n", label: "N", kind: .select([("1", "one")]), value: "1")],
                                    submit: "go")]
        let context = screen.context
        for key in ["title", "message", "error", "intro", "hasBreadcrumbs", "forms", "charts", "tables", "hasDownloads"] {
            #expect(context[key] != nil, "\(key) is present")
        }
        let field = (((context["forms"] as? [[String: Any]])?.first?["fields"]) as? [[String: Any]])?.first
        #expect(field?["isSelect"] as? Bool == true && field?["isHidden"] as? Bool == false && field?["isInput"] as? Bool == false)
        let cell = (((context["tables"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first?["cells"] as? [[String: Any]])?.first
        #expect(cell?["link"] as? Bool == false, "a cell without a link says so, rather than inheriting one")
    }

    @Test func reportHeadersAreTranslatedAndFiguresAreNot() throws {
        let catalog = try ConsoleCatalog.load()
        let table = ReportTable(title: ReportKind.inTransit.title, columns: [.init(name: "Unit", kind: .text), .init(name: "In transit at start", kind: .money),
                                                                          .init(name: "Unheard of", kind: .text)],
                                rows: [[.text("340122"), .money(minorUnits: 123_45, scale: 2), .text("x")]],
                                totals: [.text("Total"), .money(minorUnits: 123_45, scale: 2), .empty])
        let report = Report(title: ReportKind.inTransit.title, tables: [table])
        let chinese = ReportTranslation(catalog: catalog, language: .zhHans).translate(report, kind: .inTransit)
        #expect(chinese.title == "在途资金变动表")
        #expect(chinese.tables[0].columns.map(\.name) == ["单位", "期初在途", "Unheard of"])
        #expect(chinese.tables[0].rows == table.rows && chinese.tables[0].totals?.first == .text("合计"))
        #expect(ReportTranslation(catalog: catalog, language: .en).translate(report, kind: .inTransit) == report, "English is the report as written")
        let csv = String(decoding: try CSVWriter.data(for: chinese.tables[0]), as: UTF8.self)
        #expect(csv.contains("单位,期初在途"))
    }

    @Test func theNextForecastPeriodFollowsTheCalendar() {
        #expect(ConsoleApplication.nextHalf("2026-12-03") == "2026-12-H2")
        #expect(ConsoleApplication.nextHalf("2026-12-16") == "2027-01-H1")
        #expect(ConsoleApplication.nextHalf("2026-06-30") == "2026-07-H1")
        #expect(ConsoleApplication.nextHalf("junk") == "")
    }
}
