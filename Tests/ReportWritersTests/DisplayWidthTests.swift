import Testing
@testable import ReportWriters

@Suite struct DisplayWidthTests {
    @Test(arguments: [("abc", 3), ("张三", 4), ("欧阳 Li", 7), ("e\u{301}", 1), ("👍", 2), ("👍🏽", 2),
                      ("❤\u{FE0F}", 2), ("Ａ", 2), ("ｱ", 1), ("￥1", 3), ("𠀀", 2), ("한글", 4), ("かな", 4),
                      ("，。", 4), ("\u{200D}", 0), ("", 0)])
    func countsTerminalColumns(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }
}
