extension ReportTable {
    /// Checks the table's shape and cell values, so every writer can rely on them instead of checking again.
    ///
    /// Each writer calls this first; it is public so the CLI can check a table it built before choosing a format.
    /// - Parameter tableIndex: where the table sits in its ``Report``, put into the error for context.
    /// - Throws: ``ReportWritingError`` for a row of the wrong width, a typed cell in a column of another kind,
    ///   a money scale outside `0...ReportLimits.moneyScaleMax`, or a date that is not a real `YYYY-MM-DD` day.
    public func validate(tableIndex: Int = 0) throws(ReportWritingError) {
        guard parameters.count <= ReportLimits.tableParameterCountMax else {
            throw ReportWritingError(.tooManyParameters(parameterCount: parameters.count,
                                                        parameterCountMax: ReportLimits.tableParameterCountMax),
                                     tableIndex: tableIndex)
        }
        for (index, row) in rows.enumerated() {
            try validate(row: row, at: .body(index), tableIndex: tableIndex)
        }
        if let totals { try validate(row: totals, at: .totals, tableIndex: tableIndex) }
    }

    private func validate(row: [Cell], at position: ReportWritingError.Row,
                          tableIndex: Int) throws(ReportWritingError) {
        guard row.count == columns.count else {
            throw ReportWritingError(.rowWidthMismatch(cellCount: row.count, columnCount: columns.count),
                                     tableIndex: tableIndex, row: position)
        }
        for (columnIndex, cell) in row.enumerated() {
            if let code = Self.problem(with: cell, in: columns[columnIndex]) {
                throw ReportWritingError(code, tableIndex: tableIndex, row: position, columnIndex: columnIndex)
            }
        }
    }

    private static func problem(with cell: Cell, in column: Column) -> ReportWritingError.Code? {
        if let kind = cell.kind, kind != .text, kind != column.kind {
            return .cellKindMismatch(cellKind: kind, columnKind: column.kind)
        }
        switch cell {
        case .money(_, let scale) where !(0...ReportLimits.moneyScaleMax).contains(scale):
            return .moneyScaleOutOfRange(scale: scale, scaleMax: ReportLimits.moneyScaleMax)
        case .date(let text) where CalendarDay(text) == nil:
            return .invalidDate
        default:
            return nil
        }
    }
}

extension Report {
    /// Checks every table (see ``ReportTable/validate(tableIndex:)``) and the table count.
    /// - Throws: ``ReportWritingError`` with the index of the first bad table.
    public func validate() throws(ReportWritingError) {
        guard !tables.isEmpty else { throw ReportWritingError(.noTables) }
        guard tables.count <= ReportLimits.reportTableCountMax else {
            throw ReportWritingError(.tooManyTables(tableCount: tables.count,
                                                    tableCountMax: ReportLimits.reportTableCountMax))
        }
        for (index, table) in tables.enumerated() { try table.validate(tableIndex: index) }
    }
}
