import Foundation
import Testing
import ZIPFoundation
@testable import ReportWriters

/// The xlsx reader: our own workbooks read back cell for cell, workbooks written the way other programs write them
/// (shared strings, rich text, relationships to oddly named parts), and a precise refusal for each broken or
/// hostile file.
@Suite struct XLSXReaderTests {
    // MARK: Reading

    @Test func readsBackWhatOurWriterWrote() throws {
        let accounts = ReportTable(
            title: "账户余额 2024-03",
            parameters: [.init(name: "单位", value: "青山县财政局")],
            columns: [.init(name: "账号", kind: .text), .init(name: "户名", kind: .text),
                      .init(name: "金额", kind: .money), .init(name: "笔数", kind: .integer),
                      .init(name: "日期", kind: .date), .init(name: "备注", kind: .text)],
            rows: [
                [.text("621700001234567890"), .text("青山县财政局"), .money(minorUnits: 1_234_560, scale: 2),
                 .integer(3), .date("2024-03-31"), .text("a\r\nb\tc")],
                [.text("6217000012345678901"), .text("欧阳镇 零余额"), .money(minorUnits: -5, scale: 2),
                 .integer(0), .empty, .text("a\u{1}b _x0041_")],
            ],
            totals: [.text("合计"), .empty, .money(minorUnits: 1_234_555, scale: 2), .integer(3), .empty, .empty])
        let data = try XLSXWriter.data(for: Report(title: "月报", tables: [accounts, ReportFixtures.detail]))

        let sheet = try XLSXReader.firstSheet(of: data)

        #expect(sheet.name == "账户余额 2024-03")  // the first of two sheets
        let expected: [[String]] = [
            ["账户余额 2024-03"],
            ["单位", "青山县财政局"],
            [],  // the blank row the writer leaves out of the file
            ["账号", "户名", "金额", "笔数", "日期", "备注"],
            ["621700001234567890", "青山县财政局", "12345.60", "3", "45382", "a\r\nb\tc"],
            ["6217000012345678901", "欧阳镇 零余额", "-0.05", "0", "", "a\u{1}b _x0041_"],
            ["合计", "", "12345.55", "3"],  // trailing empty cells are left out
        ]
        #expect(sheet.rows == expected)
        #expect(try XLSXReader.firstSheetRows(of: [UInt8](data)) == expected)
    }

    @Test func readsAWorkbookAsOtherProgramsWriteIt() throws {
        let sharedStrings = """
            <sst xmlns="\(HandMadeXLSX.main)" count="3" uniqueCount="3"><si><t>账号</t></si>\
            <si><r><rPr><b/></rPr><t>青山县</t></r><r><t xml:space="preserve"> 财政局</t></r>\
            <rPh sb="0" eb="3"><t>チンシャン</t></rPh><phoneticPr fontId="1"/></si><si><t>_x0041_ok</t></si></sst>
            """
        let statement = HandMadeXLSX.worksheet("""
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>\
            <c r="C1" t="inlineStr"><is><t>备注</t></is></c><c r="D1" t="s"><v>2</v></c></row>
            <row r="2"><c r="C2"><v>12345.60</v></c></row>
            <row r="4" spans="1:6"><c r="A4" t="b"><v>1</v></c><c r="B4" t="str"><f>A1</f><v>账号</v></c>\
            <c r="C4" t="e"><v>#N/A</v></c><c r="D4"><v>1.30201E+18</v></c><c r="E4" t="b"><v>0</v></c>\
            <c r="F4" s="3"/></row>
            <row><c t="inlineStr"><is><r><t>x</t></r><r><t>y</t></r></is></c><c><v>621700001234567890</v></c></row>
            <row r="9" s="2" customFormat="1"/>
            """)
        let data = try HandMadeXLSX.zip([
            ("_rels/.rels", HandMadeXLSX.rootRelationships),
            ("xl/workbook.xml", HandMadeXLSX.workbook(sheets: [("图表", "rId3"), ("对账单", "rId7")])),
            ("xl/_rels/workbook.xml.rels", HandMadeXLSX.relationships([
                ("rId3", "chartsheet", "chartsheets/sheet1.xml"),
                ("rId7", "worksheet", "/xl/worksheets/statement.xml"),
                ("rId8", "sharedStrings", "sharedStrings.xml"),
            ])),
            ("xl/sharedStrings.xml", sharedStrings),
            ("xl/worksheets/statement.xml", statement),
            // A decoy at the default name: the reader follows the relationships, not the name.
            ("xl/worksheets/sheet1.xml", HandMadeXLSX.worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")),
        ])

        let sheet = try XLSXReader.firstSheet(of: data)

        #expect(sheet.name == "对账单")  // the chart sheet before it is skipped
        #expect(sheet.rows == [
            ["账号", "青山县 财政局", "备注", "Aok"],  // rich-text runs joined, the phonetic run left out
            ["", "", "12345.60"],  // a sparse row: only C2, and the number exactly as written
            [],  // row 3 is not in the file
            ["TRUE", "账号", "#N/A", "1.30201E+18", "FALSE"],
            ["xy", "621700001234567890"],  // a row and cells without `r` follow the ones before
        ])
    }

    /// No workbook relationships: `xl/worksheets/sheet1.xml` is assumed, and a namespace prefix changes nothing.
    @Test func fallsBackToSheet1AndReadsPrefixedElements() throws {
        let data = try HandMadeXLSX.zip([
            ("xl/workbook.xml", HandMadeXLSX.workbook(sheets: [("数据", "rId1")])),
            ("xl/worksheets/sheet1.xml", """
                <x:worksheet xmlns:x="\(HandMadeXLSX.main)"><x:sheetData><x:row r="1">\
                <x:c r="B1" t="inlineStr"><x:is><x:t>备用</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>
                """),
        ])
        #expect(try XLSXReader.firstSheet(of: data) == XLSXSheet(name: "数据", rows: [["", "备用"]]))
    }

    @Test func referencesAndTargetsParseStrictly() {
        func parsed(_ reference: String) -> [Int]? {
            XLSXCellReferenceParser.parse(reference).map { [$0.column, $0.row] }
        }
        #expect(parsed("A1") == [0, 1])
        #expect(parsed("xfd1048576") == [16_383, 1_048_576])
        #expect(parsed("XFE1") == [16_384, 1])  // past XFD: left to the column limit, which names the cell
        for invalid in ["", "A", "1", "A0", "AAAA1", "A1B", "A-1", "Á1", "A+1", "A 1"] {
            #expect(parsed(invalid) == nil, "\(invalid)")
        }
        #expect(XLSXPackage.resolve("worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(XLSXPackage.resolve("/xl/worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(XLSXPackage.resolve("xl/workbook.xml", from: "") == "xl/workbook.xml")
        #expect(XLSXPackage.resolve("../../etc/passwd", from: "xl/workbook.xml") == nil)
        #expect(XLSXPackage.relationshipsPart(of: "xl/workbook.xml") == "xl/_rels/workbook.xml.rels")
        #expect(XLSXPackage.relationshipsPart(of: "") == "_rels/.rels")
        #expect(XLSXText.unescaped("_x000D__x005F_x0041_ _xZZZZ_ _x12_") == "\r_x0041_ _xZZZZ_ _x12_")
    }

    // MARK: Refusals

    @Test func refusesWhatIsNotAZip() {
        #expect(throws: XLSXReadError.notAZip) { try XLSXReader.firstSheet(of: Data("账号,户名\n".utf8)) }
        #expect(throws: XLSXReadError.notAZip) { try XLSXReader.firstSheet(of: Data()) }
    }

    @Test func refusesAZipWithoutAWorkbook() throws {
        let data = try HandMadeXLSX.zip([("docProps/app.xml", "<Properties/>")])
        let error = refusal(data)
        #expect(error == .missingWorkbook(part: "xl/workbook.xml"))
        #expect(error?.name == "missing-workbook")
    }

    @Test func refusesMalformedSheetXMLWithItsLine() throws {
        // Line 5 of the part: the declaration, <worksheet>, <sheetData>, row 1, then the broken row 2.
        let sheet = HandMadeXLSX.worksheet("""
            <row r="1"><c r="A1"><v>1</v></c></row>
            <row r="2"><c r="A2"><v>2</v></c></rowx>
            """)
        let error = refusal(try HandMadeXLSX.standard(sheet: sheet))
        #expect(error == .malformedXML(part: "xl/worksheets/sheet1.xml", line: 5,
                                       reason: "an end tag does not match its start tag"))
        #expect(error?.name == "malformed-xml")
    }

    @Test func refusesASharedStringIndexOutOfRange() throws {
        let strings = "<sst xmlns=\"\(HandMadeXLSX.main)\"><si><t>a</t></si><si><t>b</t></si></sst>"
        let sheet = HandMadeXLSX.worksheet(
            "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>5</v></c></row>")
        let error = refusal(try HandMadeXLSX.standard(sheet: sheet, sharedStrings: strings))
        #expect(error == .sharedStringIndexOutOfRange(part: "xl/worksheets/sheet1.xml", reference: "B3", index: "5",
                                                      count: 2))
        #expect(error?.name == "shared-string-index-out-of-range")
    }

    @Test func refusesAPartDeclaredLargerThanTheLimit() throws {
        let sheet = HandMadeXLSX.paddedWorksheet(bytes: 3000)
        let error = refusal(try HandMadeXLSX.standard(sheet: sheet), limits: XLSXReadLimits(partBytesMax: 2048))
        #expect(error == .partTooLarge(part: "xl/worksheets/sheet1.xml", sizeBytes: sheet.utf8.count,
                                       sizeBytesMax: 2048))
        #expect(error?.name == "part-too-large")
    }

    /// A zip bomb's header lies: it declares a small size, so the bytes are counted while inflating too.
    @Test func refusesAPartThatInflatesPastTheLimitItsHeaderHid() throws {
        let honest = try HandMadeXLSX.standard(sheet: HandMadeXLSX.paddedWorksheet(bytes: 3000))
        let lying = HandMadeXLSX.declaring(uncompressedSize: 100, for: "xl/worksheets/sheet1.xml", in: honest)
        #expect(lying != honest)
        let error = refusal(lying, limits: XLSXReadLimits(partBytesMax: 2048))
        #expect(error == .partInflatesPastLimit(part: "xl/worksheets/sheet1.xml", declaredBytes: 100,
                                                sizeBytesMax: 2048))
        #expect(error?.name == "part-inflates-past-limit")
    }

    @Test func refusesRowsPastTheLimit() throws {
        let rows = (1...4).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(rows))
        #expect(try XLSXReader.firstSheetRows(of: [UInt8](data), limits: XLSXReadLimits(rowCountMax: 4)).count == 4)
        let error = refusal(data, limits: XLSXReadLimits(rowCountMax: 3))
        #expect(error == .tooManyRows(part: "xl/worksheets/sheet1.xml", row: "4", rowCountMax: 3))
        #expect(error?.name == "too-many-rows")
    }

    @Test func refusesBadCellPlacesAndOverlongText() throws {
        let part = "xl/worksheets/sheet1.xml"
        let cases: [(rows: String, limits: XLSXReadLimits, error: XLSXReadError)] = [
            ("<row r=\"7\"><c r=\"C8\"><v>1</v></c></row>", .init(),
             .invalidCellReference(part: part, reference: "C8", row: 7)),
            ("<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>2</v></c></row>", .init(),
             .cellOutOfOrder(part: part, reference: "B1")),
            ("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", .init(),
             .tooManyColumns(part: part, reference: "XFE1", columnCountMax: 16_384)),
            ("<row r=\"2\"/><row r=\"2\"/>", .init(), .rowOutOfOrder(part: part, row: 2, previousRow: 2)),
            ("<row r=\"1\"><c r=\"D1\"><v>1</v></c></row>", .init(cellCountMax: 3),
             .tooManyCells(part: part, reference: "D1", cellCountMax: 3)),
            ("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>123456</t></is></c></row>",
             .init(cellTextLengthUTF16Max: 5), .textTooLong(part: part, location: "cell A1", lengthUTF16Max: 5)),
        ]
        for (rows, limits, expected) in cases {
            let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(rows))
            #expect(refusal(data, limits: limits) == expected, "\(rows)")
        }
    }

    @Test func refusesADocumentTypeDeclaration() throws {
        let sheet = "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>"
            + "<worksheet xmlns=\"\(HandMadeXLSX.main)\"><sheetData/></worksheet>"
        let error = refusal(try HandMadeXLSX.standard(sheet: sheet))
        #expect(error == .documentTypeNotAllowed(part: "xl/worksheets/sheet1.xml"))
        #expect(error?.description.contains("xl/worksheets/sheet1.xml") == true)
    }

    /// Reads `data`, expecting a refusal, and returns it.
    private func refusal(_ data: Data, limits: XLSXReadLimits = .init()) -> XLSXReadError? {
        let error = #expect(throws: XLSXReadError.self) { try XLSXReader.firstSheet(of: data, limits: limits) }
        return error
    }
}

/// Workbooks built part by part with ZIPFoundation, the way other programs write them, for what our own writer
/// never produces.
enum HandMadeXLSX {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static let rootRelationships = relationships([("rId1", "officeDocument", "xl/workbook.xml")])

    static func relationships(_ links: [(id: String, type: String, target: String)]) -> String {
        let elements = links.map { link in
            "<Relationship Id=\"\(link.id)\" Type=\"\(officeRelationships)/\(link.type)\" Target=\"\(link.target)\"/>"
        }
        return declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + elements.joined() + "</Relationships>"
    }

    static func workbook(sheets: [(name: String, id: String)]) -> String {
        let elements = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"\(sheet.id)\"/>"
        }
        return declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(officeRelationships)\"><sheets>"
            + elements.joined() + "</sheets></workbook>"
    }

    /// A worksheet whose `<sheetData>` holds `rows`; the rows start on line 4 of the part.
    static func worksheet(_ rows: String) -> String {
        declaration + "<worksheet xmlns=\"\(main)\">\n<sheetData>\n" + rows + "\n</sheetData>\n</worksheet>\n"
    }

    /// A one-cell worksheet of exactly `bytes` bytes, padded with a comment.
    static func paddedWorksheet(bytes: Int) -> String {
        let sheet = worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><!---->")
        let padding = String(repeating: "x", count: bytes - sheet.utf8.count)
        return sheet.replacingOccurrences(of: "<!---->", with: "<!--" + padding + "-->")
    }

    /// A one-sheet workbook with every part at Excel's usual place.
    static func standard(sheet: String, sharedStrings: String? = nil,
                         compressionMethod: CompressionMethod = .deflate) throws -> Data {
        var links = [(id: "rId1", type: "worksheet", target: "worksheets/sheet1.xml")]
        var parts = [(path: "_rels/.rels", text: rootRelationships),
                     (path: "xl/workbook.xml", text: workbook(sheets: [("Sheet1", "rId1")])),
                     (path: "xl/worksheets/sheet1.xml", text: sheet)]
        if let sharedStrings {
            links.append((id: "rId2", type: "sharedStrings", target: "sharedStrings.xml"))
            parts.append((path: "xl/sharedStrings.xml", text: sharedStrings))
        }
        parts.append((path: "xl/_rels/workbook.xml.rels", text: relationships(links)))
        return try zip(parts, compressionMethod: compressionMethod)
    }

    static func zip(_ parts: [(path: String, text: String)],
                    compressionMethod: CompressionMethod = .deflate) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let data = Data(part.text.utf8)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compressionMethod) { position, size in
                let start = data.startIndex + Int(position)
                return data.subdata(in: start..<start + size)
            }
        }
        guard let data = archive.data else { throw ReadBackError(message: "no archive data") }
        return data
    }

    /// Rewrites the uncompressed size the central directory declares for `path`, as a zip bomb's header would lie
    /// (`ZIPArchiveReader` takes sizes from there only; ZIPFoundation writes no data descriptors).
    static func declaring(uncompressedSize size: UInt32, for path: String, in archive: Data) -> Data {
        var bytes = [UInt8](archive)
        let name = Array(path.utf8)
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        for start in 0..<max(0, bytes.count - 46) where Array(bytes[start..<start + 4]) == signature {
            let nameLength = Int(bytes[start + 28]) | Int(bytes[start + 29]) << 8
            guard start + 46 + nameLength <= bytes.count,
                  Array(bytes[(start + 46)..<(start + 46 + nameLength)]) == name else { continue }
            for offset in 0..<4 { bytes[start + 24 + offset] = UInt8(truncatingIfNeeded: size >> (8 * offset)) }
        }
        return Data(bytes)
    }
}
