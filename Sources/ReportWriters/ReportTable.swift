/// A report as a table of typed cells: what every output (terminal, CSV, xlsx, JSON) is written from.
///
/// Cells stay typed all the way to the writer, so money is never turned into text (or worse, a `Double`) before the
/// output format decides how to show it: the terminal groups thousands, CSV writes a plain exact decimal, the xlsx
/// writes a numeric cell with a money number format.
///
/// ```swift
/// let table = ReportTable(
///     title: "收支汇总",
///     parameters: [.init(name: "单位", value: "青山县财政局"), .init(name: "期间", value: "2024-03")],
///     columns: [.init(name: "科目", kind: .text), .init(name: "金额", kind: .money)],
///     rows: [[.text("库存现金"), .money(minorUnits: 123_456, scale: 2)]],
///     totals: [.text("合计"), .money(minorUnits: 123_456, scale: 2)])
/// ```
///
/// ## Topics
/// - ``Column``
/// - ``Cell``
/// - ``Parameter``
public struct ReportTable: Hashable, Sendable {
    /// The heading people see first: the terminal's title line, the sheet's first row.
    public var title: String
    /// The selection the report was made for ("unit", "level", "date or period"), shown under the title so a printed
    /// or forwarded report still says what it covers.
    public var parameters: [Parameter]
    public var columns: [Column]
    /// Body rows; each has exactly one cell per column (checked by ``validate(tableIndex:)``).
    public var rows: [[Cell]]
    /// An optional totals row, kept apart from ``rows`` so writers can set it off (a rule in the terminal, bold in
    /// the xlsx) and keep it out of the xlsx auto-filter range, where sorting would mix it into the body.
    public var totals: [Cell]?

    public init(title: String, parameters: [Parameter] = [], columns: [Column], rows: [[Cell]],
                totals: [Cell]? = nil) {
        self.title = title
        self.parameters = parameters
        self.columns = columns
        self.rows = rows
        self.totals = totals
    }

    /// One line of the parameters block: a name and its value, both plain text.
    public struct Parameter: Hashable, Sendable, Codable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A column's heading and kind. The kind decides alignment and number format; cells of another kind are only
    /// allowed when they are text or empty (a "合计" label or a dash in a money column).
    public struct Column: Hashable, Sendable, Codable {
        public var name: String
        public var kind: Cell.Kind

        public init(name: String, kind: Cell.Kind) {
            self.name = name
            self.kind = kind
        }
    }
}
