import LedgerCore

/// The order of the rows: the running balance (余额) chain, checked read top to bottom and bottom to top, and the
/// dates decide whether the export lists its entries oldest or newest first; when they cannot tell, or disagree,
/// the file is refused (see ``BankExportParser``).
extension BankExportReader {
    /// The rows oldest first, as the running balance proves; see ``BankExportParser``.
    func chronological(_ rows: [ReadRow], layout: BankExportLayout, stated: StatedFacts,
                       currency: CurrencyCode) throws(StatementParseError) -> [ReadRow] {
        guard rows.count > 1 else { return rows }
        let datesRise = rows[0].date < rows[rows.count - 1].date
        let datesFall = rows[0].date > rows[rows.count - 1].date
        let ordered: [ReadRow]
        if layout[.balance] == nil {
            // No running balance: only the dates can tell, and only when they move one way.
            let rising = zip(rows, rows.dropFirst()).allSatisfy { $0.date <= $1.date }
            let falling = zip(rows, rows.dropFirst()).allSatisfy { $0.date >= $1.date }
            if rising { ordered = rows }
            else if falling { ordered = rows.reversed() }
            else {
                throw StatementParseError(.rowOrderUndetermined(reason: "the file has no running balance (余额) "
                    + "and its dates neither only rise nor only fall"))
            }
        } else {
            let forward = try Self.balanceBreak(in: rows, currency: currency)
            let backward = try Self.balanceBreak(in: rows.reversed(), currency: currency)
            switch (forward, backward) {
            case (nil, nil):
                if datesRise { ordered = rows }
                else if datesFall { ordered = rows.reversed() }
                else {
                    throw StatementParseError(.rowOrderUndetermined(reason: "the running balance holds read top to "
                        + "bottom and bottom to top alike, and every row has the same date"), line: rows[0].line)
                }
            case (nil, _?):
                guard !datesFall else {
                    throw StatementParseError(.rowOrderUndetermined(reason: "the running balance holds read top "
                        + "to bottom but the dates run newest first"), line: rows[0].line)
                }
                ordered = rows
            case (_?, nil):
                guard !datesRise else {
                    throw StatementParseError(.rowOrderUndetermined(reason: "the running balance holds read bottom "
                        + "to top but the dates run oldest first"), line: rows[0].line)
                }
                ordered = rows.reversed()
            case (let forward?, let backward?):
                throw datesFall ? backward : forward
            }
        }
        for (previous, row) in zip(ordered, ordered.dropFirst()) where row.date < previous.date {
            throw StatementParseError(.malformedField(field: layout.name(layout.date), reason: "this row's date "
                + "is before the previous entry's although the running balance fixes their order; the rows were "
                + "sorted or edited"), line: row.line)
        }
        return ordered
    }

    /// The first row of `rows` (taken as oldest first) whose balance is not the previous balance plus its amount,
    /// as the error to throw; `nil` when the chain holds.
    private static func balanceBreak(in rows: some Collection<ReadRow>,
                                     currency: CurrencyCode) throws(StatementParseError) -> StatementParseError? {
        var previous: Int64?
        for row in rows {
            guard let balance = row.balance else { return nil }
            defer { previous = balance }
            guard let previous else { continue }
            let (expected, overflow) = previous.addingReportingOverflow(row.amount)
            if overflow { throw StatementParseError(.amountOverflow(field: "the running balance"), line: row.line) }
            if expected != balance {
                return StatementParseError(.runningBalanceMismatch(
                    expectedMinorUnits: expected, statedMinorUnits: balance, currency: currency.code,
                    minorUnitDigits: currency.minorUnitDigits), line: row.line)
            }
        }
        return nil
    }
}
