import Foundation
import Testing
import ZIPFoundation
@testable import ReportWriters

/// Reads the workbook back with ZIPFoundation and `XMLParser` and checks what Excel will see: the parts, the
/// cell values and types, the styles behind them, and the sheet settings.
@Suite struct XLSXWriterTests {
    let workbook: XLSXReadBack

    init() throws {
        workbook = try XLSXReadBack(try XLSXWriter.data(for: ReportFixtures.report))
    }

    @Test func everyRequiredPartExistsAndContentTypesComeFirst() throws {
        #expect(workbook.paths == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                                   "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                   "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
        let overrides = try workbook.xml("[Content_Types].xml").attributes(of: "Override")
        let partNames = Set(overrides.compactMap { $0["PartName"] })
        #expect(partNames == ["/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml",
                              "/xl/worksheets/sheet2.xml"])
        for part in workbook.paths where part.hasSuffix(".xml") || part.hasSuffix(".rels") {
            _ = try workbook.xml(part)  // every part is well-formed XML
        }
    }

    @Test func relationshipsReachWorkbookSheetsAndStyles() throws {
        let root = try workbook.xml("_rels/.rels").attributes(of: "Relationship")
        #expect(root.map { $0["Target"] } == ["xl/workbook.xml"])
        let targets = try workbook.xml("xl/_rels/workbook.xml.rels").attributes(of: "Relationship")
        #expect(targets.map { $0["Target"] } == ["worksheets/sheet1.xml", "worksheets/sheet2.xml", "styles.xml"])
        let sheets = try workbook.xml("xl/workbook.xml").attributes(of: "sheet")
        #expect(sheets.map { $0["name"] } == ["2024年3月 收支汇总", "明细_ 银行_现金 _3月_"])
        #expect(sheets.map { $0["r:id"] } == ["rId1", "rId2"])
    }

    @Test func titleParametersAndHeaderAreBoldInlineStrings() throws {
        let cells = try workbook.xml("xl/worksheets/sheet1.xml").cells
        #expect(cells["A1"] == SheetCell(type: "inlineStr", style: "\(XLSXCellStyle.title.index)",
                                         inlineText: "2024年3月 收支汇总"))
        #expect(cells["A2"]?.inlineText == "单位" && cells["A2"]?.style == "\(XLSXCellStyle.bold.index)")
        #expect(cells["B2"] == SheetCell(type: "inlineStr", inlineText: "青山县财政局"))
        #expect(cells["B4"]?.inlineText == "2024-03-01 至 2024-03-31")
        #expect(cells["A6"] == SheetCell(type: "inlineStr", style: "1", inlineText: "科目编码"))
        #expect(cells["D6"] == SheetCell(type: "inlineStr", style: "\(XLSXCellStyle.boldRightAligned.index)",
                                         inlineText: "金额"))
    }

    @Test func bodyCellsKeepTheirTypesAndExactMoney() throws {
        let cells = try workbook.xml("xl/worksheets/sheet1.xml").cells
        let money = "\(XLSXCellStyle.money(scale: 2).index)"
        #expect(cells["A7"] == SheetCell(type: "inlineStr", inlineText: "1001"))  // a code stays text
        #expect(cells["B7"] == SheetCell(type: "inlineStr", inlineText: "张三乡财政所"))
        #expect(cells["C7"] == SheetCell(value: "12"))
        #expect(cells["D7"] == SheetCell(style: money, value: "1234.56"))
        #expect(cells["E7"] == SheetCell(style: "\(XLSXCellStyle.date.index)", value: "45382"))
        #expect(cells["D8"] == SheetCell(style: money, value: "-0.05"))
        #expect(cells["E8"]?.value == "45351")  // 2024-02-29
        #expect(cells["D9"] == SheetCell(style: money, value: "987654321.01"))
        #expect(cells["E9"] == nil)  // empty cells are not written
    }

    @Test func totalsRowIsBoldAndOutsideTheFilter() throws {
        let sheet = try workbook.xml("xl/worksheets/sheet1.xml")
        #expect(sheet.cells["A10"] == SheetCell(type: "inlineStr", style: "1", inlineText: "合计"))
        #expect(sheet.cells["C10"] == SheetCell(style: "1", value: "15"))
        #expect(sheet.cells["D10"] == SheetCell(style: "\(XLSXCellStyle.boldMoney(scale: 2).index)",
                                                value: "987655555.52"))
        #expect(sheet.attributes(of: "autoFilter").first?["ref"] == "A6:E9")
        #expect(sheet.attributes(of: "dimension").first?["ref"] == "A1:E10")
        let names = try workbook.xml("xl/workbook.xml").attributes(of: "definedName")
        #expect(names.first?["name"] == "_xlnm._FilterDatabase" && names.first?["localSheetId"] == "0")
    }

    @Test func headerRowIsFrozenAndColumnsAreSized() throws {
        let sheet = try workbook.xml("xl/worksheets/sheet1.xml")
        let pane = try #require(sheet.attributes(of: "pane").first)
        #expect(pane["ySplit"] == "6" && pane["state"] == "frozen" && pane["topLeftCell"] == "A7")
        let widths = sheet.attributes(of: "col").compactMap { $0["width"].flatMap { Int($0) } }
        // Display width of the widest entry plus 3: "科目编码" 8, "张三乡财政所" 12, "凭证数" 6,
        // "987,654,321.01" 14, "2024-03-31" 10. A CJK character counts two.
        #expect(widths == [11, 15, 9, 17, 13])
        #expect(sheet.attributes(of: "sheetView").first?["tabSelected"] == "1")
    }

    @Test func stylesDefineMoneyDateAndBoldFormats() throws {
        let styles = try workbook.xml("xl/styles.xml")
        let formats = Dictionary(uniqueKeysWithValues: styles.attributes(of: "numFmt").map {
            ($0["numFmtId"] ?? "", $0["formatCode"] ?? "")
        })
        #expect(formats["164"] == "yyyy-mm-dd")
        #expect(formats["\(XLSXCellStyle.moneyFormatID(scale: 2))"] == "#,##0.00")
        #expect(formats["\(XLSXCellStyle.moneyFormatID(scale: 0))"] == "#,##0")
        // cellXfs follow cellStyleXfs' single <xf>, so a style's index is its position after the first.
        let cellFormats = Array(styles.attributes(of: "xf").dropFirst())
        #expect(cellFormats.count == XLSXCellStyle.all.count)
        let money = cellFormats[XLSXCellStyle.money(scale: 2).index]
        #expect(money["numFmtId"] == "\(XLSXCellStyle.moneyFormatID(scale: 2))" && money["fontId"] == "0")
        #expect(cellFormats[XLSXCellStyle.date.index]["numFmtId"] == "164")
        #expect(cellFormats[XLSXCellStyle.boldMoney(scale: 2).index]["fontId"] == "1")
        #expect(styles.attributes(of: "b").count == 2)  // bold and title fonts
    }

    @Test func secondSheetHoldsOtherScalesAndTextExactly() throws {
        let cells = try workbook.xml("xl/worksheets/sheet2.xml").cells
        #expect(cells["A4"]?.inlineText == "拨款, \"专项\"\n第二行")
        #expect(cells["A5"]?.inlineText == "=HYPERLINK(\"x\")")  // an inline string is never a formula
        #expect(cells["B4"] == SheetCell(style: "\(XLSXCellStyle.money(scale: 0).index)", value: "100"))
        #expect(cells["B5"] == SheetCell(style: "\(XLSXCellStyle.money(scale: 3).index)", value: "0.001"))
    }

    @Test func sameReportGivesIdenticalBytesWithFixedTimestamps() throws {
        let first = try XLSXWriter.data(for: ReportFixtures.report)
        let second = try XLSXWriter.data(for: ReportFixtures.report)
        #expect(first == second)
        for entry in try Archive(data: first, accessMode: .read) {
            #expect(entry.fileAttributes[.modificationDate] as? Date == ZIPPackage.fixedModificationDate)
        }
    }

    @Test func writesTheFileAtomically() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID()).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write(ReportFixtures.report, to: url)
        #expect(try Data(contentsOf: url) == XLSXWriter.data(for: ReportFixtures.report))
    }
}
