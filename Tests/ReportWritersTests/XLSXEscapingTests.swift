import Foundation
import Testing
@testable import ReportWriters

/// Text that could break XML or be misread by Excel comes back exactly as written.
@Suite struct XLSXEscapingTests {
    private func cellText(_ text: String) throws -> String? {
        let table = ReportTable(title: "t", columns: [.init(name: "c", kind: .text)], rows: [[.text(text)]])
        let sheet = try XLSXReadBack(try XLSXWriter.data(for: table)).xml("xl/worksheets/sheet1.xml")
        return sheet.cells["A4"]?.inlineText
    }

    @Test(arguments: ["<b>&amp;</b> \"'", "a\r\nb\tc", "  edge spaces  ", "收款人：张三", "𠀀 emoji 👍🏽"])
    func markupAndWhitespaceRoundTrip(text: String) throws {
        #expect(try cellText(text) == text)
    }

    @Test func controlCharactersUseOOXMLEscapes() throws {
        // XML 1.0 cannot carry U+0001; OOXML writes it as _x0001_, and a literal "_x0041_" gets its "_" escaped.
        #expect(try cellText("a\u{1}b") == "a_x0001_b")
        #expect(try cellText("_x0041_") == "_x005F_x0041_")
        #expect(XMLText.cellText("_x12_") == "_x12_")
    }

    @Test func attributesEscapeLineBreaks() {
        #expect(XMLText.attribute("a\"b\n\t") == "a&quot;b&#xA;&#x9;")
    }
}
