import Foundation
import Testing
@testable import ReportWriters

/// The bytes Excel receives: BOM, CRLF, RFC 4180 quoting, plain exact money, and the formula guard.
@Suite struct CSVWriterTests {
    @Test func startsWithBOMAndEndsLinesWithCRLF() throws {
        let data = try CSVWriter.data(for: ReportFixtures.summary)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("科目编码,单位名称,凭证数,金额,记账日期\r\n"))
        #expect(text.contains("1001,张三乡财政所,12,1234.56,2024-03-31\r\n"))
        #expect(text.contains("1002,Li Si Town,3,-0.05,2024-02-29\r\n"))
        #expect(text.hasSuffix("合计,,15,987655555.52,\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func quotesCommaQuoteAndLineBreak() throws {
        let data = try CSVWriter.data(for: ReportFixtures.detail)
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text == "摘要,金额\r\n\"拨款, \"\"专项\"\"\n第二行\",100\r\n\"'=HYPERLINK(\"\"x\"\")\",0.001\r\n")
    }

    @Test(arguments: [("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-x", "'-x"), ("@SUM", "'@SUM"),
                      ("'=x", "''=x"), ("'plain", "'plain"), ("plain", "plain"), ("", "")])
    func guardsFormulaTriggers(text: String, written: String) {
        #expect(CSVWriter.field(.text(text), CSVWriter.Options()) == written)
        #expect(CSVField.unguarded(written) == text)
    }

    /// 8: "Account numbers of 18–20 digits are written bare, and Excel shows them as `1.30201E+18`".
    @Test(arguments: [("6217000012345678901", "=\"6217000012345678901\""), ("130201140900021563", "=\"130201140900021563\""),
                      ("0012", "=\"0012\""), ("12345", "12345"), ("123456789012", "=\"123456789012\""), ("0", "0"),
                      ("=\"1234567890123\"", "'=\"1234567890123\""), ("6217 0000 1234", "6217 0000 1234")])
    func longDigitStringsAndLeadingZerosStayText(text: String, written: String) {
        #expect(CSVWriter.field(.text(text), CSVWriter.Options()) == written)
        #expect(CSVField.unguarded(written) == text, "read back as written")
    }

    @Test func anAccountNumberRoundTripsThroughTheFile() throws {
        let table = ReportTable(title: "t", columns: [.init(name: "账号", kind: .text), .init(name: "金额", kind: .money)],
                                rows: [[.text("6217000012345678901"), .money(minorUnits: 100, scale: 2)]])
        let data = try CSVWriter.data(for: table)
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self) == "账号,金额\r\n\"=\"\"6217000012345678901\"\"\",1.00\r\n")
        let back = try CSVReader.table(from: data, title: "t", columns: table.columns, hasTotalsRow: false)
        #expect(back.rows == table.rows)
    }

    @Test func negativeMoneyIsANumberNotGuardedText() {
        #expect(CSVWriter.field(.money(minorUnits: -123_456, scale: 2), CSVWriter.Options()) == "-1234.56")
    }

    @Test func optionsCanDropTheBOMAndTheGuard() throws {
        let table = ReportTable(title: "t", columns: [.init(name: "c", kind: .text)], rows: [[.text("=x")]])
        let options = CSVWriter.Options(guardsFormulas: false, writesByteOrderMark: false)
        #expect(try CSVWriter.data(for: table, options: options) == Data("c\r\n=x\r\n".utf8))
    }
}
