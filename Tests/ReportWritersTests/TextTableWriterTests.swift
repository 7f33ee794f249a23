import Testing
@testable import ReportWriters

/// Terminal output lines up in display columns, Chinese included, and cannot be hijacked by cell text.
@Suite struct TextTableWriterTests {
    let table = ReportTable(
        title: "收支汇总", parameters: [.init(name: "单位", value: "青山县财政局")],
        columns: [.init(name: "名称", kind: .text), .init(name: "金额", kind: .money), .init(name: "日期", kind: .date)],
        rows: [[.text("张三"), .money(minorUnits: 123_456, scale: 2), .date("2024-03-31")],
               [.text("Li Si"), .money(minorUnits: -5, scale: 2), .empty]],
        totals: [.text("合计"), .money(minorUnits: 123_451, scale: 2), .empty])

    @Test func alignsCJKByDisplayWidth() throws {
        let expected = """
            收支汇总
            单位: 青山县财政局

            名称       金额  日期
            -----  --------  ----------
            张三   1,234.56  2024-03-31
            Li Si     -0.05
            -----  --------  ----------
            合计   1,234.51

            """
        #expect(try TextTableWriter.render(table) == expected)
    }

    @Test func rightAlignedMoneyEndsInTheSameDisplayColumnOnEveryLine() throws {
        let names = ["欧阳镇", "Li Si Town", "张三乡财政所", "𠀀", "ｱｲｳ", "é", "한글"]
        let table = ReportTable(
            title: "t", columns: [.init(name: "单位名称", kind: .text), .init(name: "金额", kind: .money)],
            rows: names.enumerated().map { [.text($1), .money(minorUnits: Int64($0) * 1_000_003, scale: 2)] },
            totals: [.text("合计"), .money(minorUnits: 21_000_063, scale: 2)])
        let lines = try TextTableWriter.render(table).split(separator: "\n").dropFirst()
        #expect(Set(lines.map { DisplayWidth.of($0) }).count == 1, "\(lines)")
    }

    @Test func controlAndBidiCharactersCannotReachTheTerminal() throws {
        let hostile = ReportTable(title: "t\u{1B}[2J", columns: [.init(name: "c", kind: .text)],
                                  rows: [[.text("a\nb\u{1B}[31m\u{202E}c")]])
        let text = try TextTableWriter.render(hostile)
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        #expect(text.contains("a b\u{FFFD}[31m\u{FFFD}c"))
    }

    @Test func reportPutsItsTitleOverTheTables() throws {
        let text = try TextTableWriter.render(ReportFixtures.report)
        #expect(text.hasPrefix("青山县 2024年3月 月报\n=====================\n\n2024年3月 收支汇总\n"))
        #expect(text.contains("\n\n明细: 银行/现金 [3月]\n"))
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix(" ") })
    }

    @Test func invalidTablesAreRefused() {
        let bad = ReportTable(title: "t", columns: [.init(name: "c", kind: .text)], rows: [[]])
        #expect(throws: ReportWritingError(.rowWidthMismatch(cellCount: 0, columnCount: 1),
                                           tableIndex: 0, row: .body(0))) {
            try TextTableWriter.render(bad)
        }
    }
}
