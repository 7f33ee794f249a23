import Foundation

extension CSVReader {
    /// Reads a CSV written by ``CSVWriter`` back into a typed ``ReportTable``, given the columns it was written with.
    ///
    /// Each field is read as its column's kind when it parses as one (an integer, an exact decimal, a `YYYY-MM-DD`
    /// day) and as text otherwise, mirroring the writer, which allows text labels in any column. So the round trip
    /// is exact except where CSV itself cannot tell: an empty text cell reads back as ``ReportTable/Cell/empty``, and
    /// text such as `"123"` in an integer column reads back as the integer.
    /// - Parameters:
    ///   - hasTotalsRow: take the last record as ``ReportTable/totals``.
    ///   - unguardsFormulas: remove the `'` that ``CSVWriter/Options/guardsFormulas`` added; keep both the same.
    /// - Throws: ``CSVParsingError`` for unreadable CSV, a header that is not the column names, or a record with
    ///   the wrong number of fields.
    public static func table(from data: Data, title: String, parameters: [ReportTable.Parameter] = [],
                             columns: [ReportTable.Column], hasTotalsRow: Bool,
                             unguardsFormulas: Bool = true) throws(CSVParsingError) -> ReportTable {
        let records = try records(from: data)
        try checkHeader(records.first, columns: columns, unguardsFormulas: unguardsFormulas)
        var body = try records.dropFirst().enumerated().map { (index, record) throws(CSVParsingError) in
            try cells(record, recordIndex: index + 1, columns: columns, unguardsFormulas: unguardsFormulas)
        }
        var totals: [ReportTable.Cell]?
        if hasTotalsRow {
            guard let last = body.popLast() else { throw CSVParsingError(.missingTotalsRow) }
            totals = last
        }
        return ReportTable(title: title, parameters: parameters, columns: columns, rows: body, totals: totals)
    }

    private static func checkHeader(_ header: [String]?, columns: [ReportTable.Column],
                                    unguardsFormulas: Bool) throws(CSVParsingError) {
        let header = header ?? []
        guard header.count == columns.count else {
            throw CSVParsingError(.fieldCountMismatch(fieldCount: header.count, columnCount: columns.count),
                                  recordIndex: 0)
        }
        for (index, name) in header.enumerated()
        where (unguardsFormulas ? CSVField.unguarded(name) : name) != columns[index].name {
            throw CSVParsingError(.headerMismatch(columnIndex: index), recordIndex: 0)
        }
    }

    private static func cells(_ record: [String], recordIndex: Int, columns: [ReportTable.Column],
                              unguardsFormulas: Bool) throws(CSVParsingError) -> [ReportTable.Cell] {
        guard record.count == columns.count else {
            throw CSVParsingError(.fieldCountMismatch(fieldCount: record.count, columnCount: columns.count),
                                  recordIndex: recordIndex)
        }
        return zip(record, columns).map { cell($0, kind: $1.kind, unguardsFormulas: unguardsFormulas) }
    }

    static func cell(_ field: String, kind: ReportTable.Cell.Kind, unguardsFormulas: Bool) -> ReportTable.Cell {
        if field.isEmpty { return .empty }
        switch kind {
        case .integer where isPlainInteger(field):
            if let value = Int64(field) { return .integer(value) }
        case .money:
            if let (minorUnits, scale) = MoneyText.parse(Substring(field)), scale <= ReportLimits.moneyScaleMax {
                return .money(minorUnits: minorUnits, scale: scale)
            }
        case .date where CalendarDay(field) != nil:
            return .date(field)
        default:
            break
        }
        return .text(unguardsFormulas ? CSVField.unguarded(field) : field)
    }

    /// What `String(Int64)` writes: an optional `-` and ASCII digits (`Int64.init` would also take a `+`).
    private static func isPlainInteger(_ field: String) -> Bool {
        let digits = field.utf8.first == UInt8(ascii: "-") ? field.utf8.dropFirst() : field.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
