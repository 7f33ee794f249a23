import LedgerCore

extension BankStatement {
    /// Checks that the statement's own numbers agree: every entry's mark matches its sign, opening + Σ entries =
    /// closing exactly in minor units, and the bank's control totals (when given) match the entries.
    ///
    /// Exact because the amounts are integers: there is no tolerance to tune, and a difference of one fen is a
    /// missing or wrong entry.
    /// - Throws: the first ``StatementValidationError`` found.
    public func validateBalances() throws(StatementValidationError) {
        let sums = try entrySums()
        let (expected, overflow) = openingBalance.value.addingReportingOverflow(sums.net)
        if overflow { throw validationError(.amountOverflow) }
        guard expected == closingBalance.value else {
            throw validationError(.unbalanced(openingMinorUnits: openingBalance.value, entriesMinorUnits: sums.net,
                                              closingMinorUnits: closingBalance.value))
        }
        if let controlTotals { try check(controlTotals, against: sums) }
    }

    /// What the entries add up to, per total a bank may state.
    struct EntrySums {
        var net: Int64 = 0
        var magnitude: Int64 = 0
        var creditCount = 0
        var credit: Int64 = 0
        var debitCount = 0
        var debit: Int64 = 0
    }

    func entrySums() throws(StatementValidationError) -> EntrySums {
        var sums = EntrySums()
        for (index, entry) in entries.enumerated() {
            let value = entry.amount.value
            guard value == 0 || (value > 0) == (entry.mark == .credit) else {
                throw StatementValidationError(.markContradictsAmount(entryIndex: index), statementID: statementID,
                                               currency: currency, line: entry.line ?? line)
            }
            let magnitude = Int64(exactly: value.magnitude)
            var overflow = false
            func add(_ total: inout Int64, _ amount: Int64?) {
                guard let amount else { overflow = true; return }
                let (sum, didOverflow) = total.addingReportingOverflow(amount)
                total = sum
                overflow = overflow || didOverflow
            }
            add(&sums.net, value)
            add(&sums.magnitude, magnitude)
            if entry.mark == .credit { sums.creditCount += 1; add(&sums.credit, magnitude) }
            else { sums.debitCount += 1; add(&sums.debit, magnitude) }
            if overflow { throw validationError(.amountOverflow) }
        }
        return sums
    }

    private func check(_ totals: StatementControlTotals, against sums: EntrySums) throws(StatementValidationError) {
        let comparisons: [(String, Int64?, Int64)] = [
            ("entry count", totals.entryCount.map(Int64.init), Int64(entries.count)),
            ("entry sum", totals.entrySum?.value, sums.magnitude),
            ("net amount", totals.netAmount?.value, sums.net),
            ("credit count", totals.creditCount.map(Int64.init), Int64(sums.creditCount)),
            ("credit sum", totals.creditSum?.value, sums.credit),
            ("debit count", totals.debitCount.map(Int64.init), Int64(sums.debitCount)),
            ("debit sum", totals.debitSum?.value, sums.debit),
        ]
        for (name, stated, actual) in comparisons {
            guard let stated, stated != actual else { continue }
            throw validationError(.controlTotalMismatch(total: name, statedValue: stated, actualValue: actual))
        }
    }

    private func validationError(_ code: StatementValidationError.Code) -> StatementValidationError {
        StatementValidationError(code, statementID: statementID, currency: currency, line: line)
    }
}

/// Checks a whole file's statements before any of them is used.
public enum StatementValidation {
    /// Validates every statement (``BankStatement/validateBalances()``).
    /// - Throws: the first problem; a file is used whole or not at all.
    public static func validate(_ statements: [BankStatement]) throws(StatementValidationError) {
        for statement in statements { try statement.validateBalances() }
    }

    /// Every statement's problem, for a report that lists them all; empty when all statements are sound.
    public static func problems(in statements: [BankStatement]) -> [StatementValidationError] {
        statements.compactMap { statement in
            do throws(StatementValidationError) {
                try statement.validateBalances()
                return nil
            } catch {
                return error
            }
        }
    }
}
