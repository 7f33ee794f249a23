/// Why a report could not be written: the one error type of the writers (terminal, CSV, xlsx, JSON).
///
/// It carries a ``Code`` and where it happened (table, row, column) so a CLI can say "table 2, row 17, column 3".
/// Cell values are never put in ``description``: reports hold names and amounts that do not belong in logs.
public struct ReportWritingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// A report with no tables; an xlsx needs at least one sheet.
        case noTables
        case tooManyTables(tableCount: Int, tableCountMax: Int)
        case tooManyParameters(parameterCount: Int, parameterCountMax: Int)
        /// A row (or the totals row) whose cell count differs from the column count.
        case rowWidthMismatch(cellCount: Int, columnCount: Int)
        /// A typed cell in a column of another kind (text and empty cells fit any column).
        case cellKindMismatch(cellKind: ReportTable.Cell.Kind, columnKind: ReportTable.Cell.Kind)
        case moneyScaleOutOfRange(scale: Int, scaleMax: Int)
        /// A date cell that is not a real `YYYY-MM-DD` calendar day.
        case invalidDate
        /// A date Excel cannot show as a date serial (before 1900-03-01).
        case dateOutsideExcelRange
        case textTooLongForExcel(lengthUTF16: Int, lengthUTF16Max: Int)
        case moneyTooPreciseForExcel(digitCount: Int, digitCountMax: Int)
        case tooManyRows(rowCount: Int, rowCountMax: Int)
        case tooManyColumns(columnCount: Int, columnCountMax: Int)
        /// ZIPFoundation could not build the archive; `reason` is its error, which holds no report data.
        case archiveFailed(reason: String)
        case fileWriteFailed(path: String, reason: String)
        case jsonEncodingFailed(reason: String)
    }

    /// Which row of a table: a body row by index, or the totals row.
    public enum Row: Hashable, Sendable {
        case body(Int)
        case totals
    }

    public var code: Code
    /// Index into ``Report/tables`` (0 for a single table).
    public var tableIndex: Int?
    public var row: Row?
    public var columnIndex: Int?

    public init(_ code: Code, tableIndex: Int? = nil, row: Row? = nil, columnIndex: Int? = nil) {
        self.code = code
        self.tableIndex = tableIndex
        self.row = row
        self.columnIndex = columnIndex
    }

    public var description: String {
        var place: [String] = []
        if let tableIndex { place.append("table \(tableIndex)") }
        switch row {
        case .body(let index): place.append("row \(index)")
        case .totals: place.append("totals row")
        case nil: break
        }
        if let columnIndex { place.append("column \(columnIndex)") }
        return place.isEmpty ? "\(code)" : "\(code) at \(place.joined(separator: ", "))"
    }
}
