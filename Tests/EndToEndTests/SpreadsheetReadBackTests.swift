import Foundation
import ReportWriters
import SyncTesting
import Testing

/// 8, item 4, as people open the files: a CSV with a 19-digit account number and a leading-zero code, read back
/// through LibreOffice (`soffice --headless --convert-to xlsx`, Debian's libreoffice-calc-nogui, which `Scripts/test`
/// installs), keeps every digit as a text cell (DECISIONS: the exact value and its type). The workbook LibreOffice
/// writes is read with Python's standard library, independently of our own xlsx reader.
@Suite struct SpreadsheetReadBackTests {
    static let soffice = "/usr/bin/soffice"

    @Test(.timeLimit(.minutes(3))) func libreOfficeKeepsEveryDigitOfALongAccountNumberAsText() throws {
        let folder = try TemporaryDirectory("fundsync-libreoffice")
        defer { folder.remove() }
        #expect(FileManager.default.isExecutableFile(atPath: Self.soffice), "soffice is missing: Scripts/test installs libreoffice-calc-nogui")
        guard FileManager.default.isExecutableFile(atPath: Self.soffice) else { return }
        let table = ReportTable(title: "账户", columns: [.init(name: "单位", kind: .text), .init(name: "银行账户", kind: .text),
                                                       .init(name: "代码", kind: .text), .init(name: "金额", kind: .money)],
                                rows: [[.text("340100"), .text("6217000012345678901"), .text("0012"), .money(minorUnits: 123_456, scale: 2)]])
        try CSVWriter.write(table, to: folder.url.appendingPathComponent("accounts.csv"))
        // LibreOffice needs a profile folder it may write; CSV import as UTF-8 (76), comma-separated (44), quoted (34).
        let converted = try runProcess("/usr/bin/env", ["HOME=\(folder.path("home"))", Self.soffice, "--headless", "--norestore",
                                                         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", folder.path("out"),
                                                         folder.path("accounts.csv")])
        #expect(converted.status == 0, "\(converted.stdout)\(converted.stderr)")
        let reader = """
        import sys, zipfile, xml.etree.ElementTree as E
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        book = zipfile.ZipFile(sys.argv[1])
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in E.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in item.iter("{%s}t" % ns["m"])))
        sheet = E.fromstring(book.read("xl/worksheets/sheet1.xml"))
        for cell in sheet.iter("{%s}c" % ns["m"]):
            if cell.get("r") in ("B2", "C2", "D2"):
                kind = cell.get("t") or "n"
                value = cell.find("m:v", ns)
                text = value.text if value is not None else ""
                if kind == "s": text = shared[int(text)]
                if kind == "inlineStr": text = "".join(t.text or "" for t in cell.iter("{%s}t" % ns["m"]))
                print(cell.get("r"), kind, text)
        """
        try reader.write(toFile: folder.path("read.py"), atomically: true, encoding: .utf8)
        let cells = try runProcess("/usr/bin/env", ["python3", folder.path("read.py"), folder.path("out/accounts.xlsx")])
        #expect(cells.status == 0, "\(cells.stderr)")
        let lines = Dictionary(uniqueKeysWithValues: cells.stdout.split(separator: "\n").map { line -> (String, (String, String)) in
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            return (parts[0], (parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : ""))
        })
        let textKinds: Set<String> = ["s", "str", "inlineStr"]
        #expect(lines["B2"].map { textKinds.contains($0.0) && $0.1 == "6217000012345678901" } == true, "B2: \(String(describing: lines["B2"]))")
        #expect(lines["C2"].map { textKinds.contains($0.0) && $0.1 == "0012" } == true, "C2: \(String(describing: lines["C2"]))")
        #expect(lines["D2"].map { $0.0 == "n" && $0.1 == "1234.56" } == true, "the amount stays a number: \(String(describing: lines["D2"]))")
    }
}
