extension ReportTable {
    /// One typed value. Money is integer minor units plus a scale, so every writer can print it exactly.
    public enum Cell: Hashable, Sendable {
        /// What a column holds; the raw values are the JSON spelling and must never change.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case text, integer, money, date
        }

        case text(String)
        case integer(Int64)
        /// Minor units and the number of decimals (fen: 2), written as an exact decimal, never a float.
        case money(minorUnits: Int64, scale: Int)
        /// A calendar day as `YYYY-MM-DD` (proleptic Gregorian, no time zone: a business date, not an instant).
        case date(String)
        case empty

        /// The cell's kind, or `nil` for ``empty`` (which fits any column).
        public var kind: Kind? {
            switch self {
            case .text: .text
            case .integer: .integer
            case .money: .money
            case .date: .date
            case .empty: nil
            }
        }
    }
}
