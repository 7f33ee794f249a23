/// Where each part of a table goes on its sheet (1-based row numbers, as Excel counts):
///
/// ```
/// 1        title
/// 2…       parameters: name in A, value in B
/// (blank)
/// header   frozen: it stays in view while scrolling
/// body…    inside the auto-filter range
/// totals   below the filter range, so sorting never moves it
/// ```
struct XLSXSheetLayout: Sendable {
    let parameterCount: Int
    let bodyRowCount: Int
    let columnCount: Int
    let hasTotals: Bool

    init(_ table: ReportTable) {
        parameterCount = table.parameters.count
        bodyRowCount = table.rows.count
        columnCount = table.columns.count
        hasTotals = table.totals != nil
    }

    let titleRow = 1
    func parameterRow(_ index: Int) -> Int { 2 + index }
    var headerRow: Int { parameterCount + ReportLimits.xlsxRowsAboveHeaderFixed + 1 }
    func bodyRow(_ index: Int) -> Int { headerRow + 1 + index }
    var totalsRow: Int? { hasTotals ? headerRow + bodyRowCount + 1 : nil }
    var lastRow: Int { totalsRow ?? headerRow + bodyRowCount }

    /// Columns in use: the table's, and at least B when there are parameters.
    var usedColumnCount: Int { max(columnCount, parameterCount > 0 ? 2 : 1) }

    /// The `<dimension>` of the sheet: everything written.
    var dimension: String { "A1:" + XLSXCellReference.column(usedColumnCount - 1) + String(lastRow) }

    /// Header plus body, absolute (`$A$4:$C$10`) for the workbook's defined name; `nil` without columns.
    var filterRange: String? {
        guard columnCount > 0 else { return nil }
        let lastColumn = XLSXCellReference.column(columnCount - 1)
        return "$A$\(headerRow):$\(lastColumn)$\(headerRow + bodyRowCount)"
    }
}

/// A1-style references: column 0 is `A`, 25 is `Z`, 26 is `AA` (bijective base 26, no zero digit).
enum XLSXCellReference {
    static func column(_ index: Int) -> String {
        precondition(index >= 0, "column index \(index) is negative")
        var remaining = index + 1
        var letters: [Character] = []
        while remaining > 0 {
            let digit = (remaining - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(digit))))
            remaining = (remaining - 1) / 26
        }
        return String(letters.reversed())
    }

    static func cell(column: Int, row: Int) -> String { self.column(column) + String(row) }
}
