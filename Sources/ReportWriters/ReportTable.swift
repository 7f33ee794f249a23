/// A report as a table of typed cells: what every output (terminal, CSV, xlsx, JSON) is written from.
public struct ReportTable: Hashable, Sendable {
    public var title: String
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(title: String, columns: [Column], rows: [[Cell]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    public struct Column: Hashable, Sendable {
        public var name: String
        public var kind: Cell.Kind

        public init(name: String, kind: Cell.Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public enum Cell: Hashable, Sendable {
        public enum Kind: Hashable, Sendable { case text, integer, money, date }
        case text(String)
        case integer(Int64)
        /// Minor units and the number of decimals (fen: 2), written as an exact decimal, never a float.
        case money(minorUnits: Int64, scale: Int)
        /// `YYYY-MM-DD`.
        case date(String)
        case empty
    }
}
