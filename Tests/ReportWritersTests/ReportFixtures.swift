@testable import ReportWriters

/// Tables the writer tests share: Chinese names and titles, every cell kind, negative and large amounts, a totals row.
enum ReportFixtures {
    static let columns: [ReportTable.Column] = [
        .init(name: "科目编码", kind: .text),
        .init(name: "单位名称", kind: .text),
        .init(name: "凭证数", kind: .integer),
        .init(name: "金额", kind: .money),
        .init(name: "记账日期", kind: .date),
    ]

    /// A month summary of three county units with a totals row.
    static let summary = ReportTable(
        title: "2024年3月 收支汇总",
        parameters: [.init(name: "单位", value: "青山县财政局"), .init(name: "级次", value: "县级"),
                     .init(name: "期间", value: "2024-03-01 至 2024-03-31")],
        columns: columns,
        rows: [
            [.text("1001"), .text("张三乡财政所"), .integer(12), .money(minorUnits: 123_456, scale: 2), .date("2024-03-31")],
            [.text("1002"), .text("Li Si Town"), .integer(3), .money(minorUnits: -5, scale: 2), .date("2024-02-29")],
            [.text("1003"), .text("欧阳镇"), .integer(0), .money(minorUnits: 98_765_432_101, scale: 2), .empty],
        ],
        totals: [.text("合计"), .empty, .integer(15), .money(minorUnits: 98_765_555_552, scale: 2), .empty])

    /// A second table, to check one sheet per table and sheet-name handling.
    static let detail = ReportTable(
        title: "明细: 银行/现金 [3月]",
        columns: [.init(name: "摘要", kind: .text), .init(name: "金额", kind: .money)],
        rows: [[.text("拨款, \"专项\"\n第二行"), .money(minorUnits: 100, scale: 0)],
               [.text("=HYPERLINK(\"x\")"), .money(minorUnits: 1, scale: 3)]])

    static let report = Report(title: "青山县 2024年3月 月报", tables: [summary, detail])
}
