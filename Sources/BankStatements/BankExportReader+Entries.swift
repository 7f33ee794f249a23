import LedgerCore

/// From data rows to the statement: each row's amount, direction (debit and credit columns, a direction word or the
/// sign), running balance and value date; then the statement's opening and closing balances, its period and its
/// entries with their counterparty, memos and details.
extension BankExportReader {
    /// A data row's amount, direction and balance.
    func read(_ row: DataRow, layout: BankExportLayout,
              currency: CurrencyCode) throws(StatementParseError) -> ReadRow {
        func amount(_ index: Int) throws(StatementParseError) -> Int64? {
            switch BankExportAmount.signed(Self.cell(row.cells, index), currency: currency, field: layout.name(index),
                                           fromWorkbook: excelSerialDates) {
            case nil: return nil
            case .success(let value)?: return value
            case .failure(let code)?: throw StatementParseError(code, line: row.line)
            }
        }
        let signed: Int64
        let mark: CreditDebitMark
        let isReversal: Bool
        switch layout.amountColumns {
        case .debitCredit(let debitColumn, let creditColumn):
            let debit = try amount(debitColumn), credit = try amount(creditColumn)
            let both = "\(layout.name(debitColumn))/\(layout.name(creditColumn))"
            switch (debit, credit) {
            case (nil, nil):
                throw StatementParseError(.malformedField(field: both, reason: "the row has an amount in neither "
                    + "column"), line: row.line)
            case (let debit?, let credit?) where debit != 0 && credit != 0:
                throw StatementParseError(.malformedField(field: both, reason: "the row has an amount in both "
                    + "columns"), line: row.line)
            case (let debit?, _) where debit != 0 || credit == nil:
                (signed, mark, isReversal) = (-debit, debit < 0 ? .credit : .debit, debit < 0)
            default:
                let credit = credit ?? 0
                (signed, mark, isReversal) = (credit, credit < 0 ? .debit : .credit, credit < 0)
            }
        case .directed(let amountColumn, let directionColumn):
            guard let value = try amount(amountColumn) else {
                throw StatementParseError(.missingField(layout.name(amountColumn)), line: row.line)
            }
            let word = BankProfile.normalizedWord(Self.cell(row.cells, directionColumn))
            if debitWords.contains(word) {
                (signed, mark, isReversal) = (-value, value < 0 ? .credit : .debit, value < 0)
            } else if creditWords.contains(word) {
                (signed, mark, isReversal) = (value, value < 0 ? .debit : .credit, value < 0)
            } else {
                throw StatementParseError(.malformedField(field: layout.name(directionColumn), reason: "it is neither "
                    + "a debit word (\(profile.directionWords.debit.joined(separator: ", "))) nor a credit word ("
                    + "\(profile.directionWords.credit.joined(separator: ", "))) of the bank profile"), line: row.line)
            }
        case .signed(let amountColumn):
            guard let value = try amount(amountColumn) else {
                throw StatementParseError(.missingField(layout.name(amountColumn)), line: row.line)
            }
            (signed, mark, isReversal) = (value, value < 0 ? .debit : .credit, false)
        }
        var balance: Int64?
        if let column = layout[.balance] {
            guard let value = try amount(column) else {
                throw StatementParseError(.missingField(layout.name(column)), line: row.line)
            }
            balance = value
        }
        var valueDate: BusinessDate?
        if let column = layout[.valueDate], !Self.cell(row.cells, column).isEmpty {
            guard case .date(let date) = self.date(Self.cell(row.cells, column)) else {
                throw StatementParseError(.invalidDate(field: layout.name(column)), line: row.line)
            }
            valueDate = date
        }
        return ReadRow(line: row.line, date: row.date, valueDate: valueDate, amount: signed, mark: mark,
                       isReversal: isReversal, balance: balance, cells: row.cells)
    }

    /// The statement of the rows (oldest first).
    func statement(_ rows: [ReadRow], layout: BankExportLayout, stated: StatedFacts, account: String,
                   currency: CurrencyCode, headerLine: Int) throws(StatementParseError) -> BankStatement {
        let opening: Int64, closing: Int64
        if let first = rows.first, let last = rows.last, let firstBalance = first.balance,
           let lastBalance = last.balance {
            let (before, overflow) = firstBalance.subtractingReportingOverflow(first.amount)
            if overflow { throw StatementParseError(.amountOverflow(field: "the opening balance"), line: first.line) }
            opening = before
            closing = lastBalance
            for (name, fact, rowsValue) in [("opening balance (期初余额)", stated.openingBalance, opening),
                                            ("closing balance (期末余额)", stated.closingBalance, closing)] {
                guard let fact, fact.value != rowsValue else { continue }
                throw StatementParseError(.statedBalanceMismatch(balance: name, statedMinorUnits: fact.value,
                                                                 rowsMinorUnits: rowsValue, currency: currency.code,
                                                                 minorUnitDigits: currency.minorUnitDigits),
                                          line: fact.line)
            }
        } else if let statedOpening = stated.openingBalance, let statedClosing = stated.closingBalance {
            (opening, closing) = (statedOpening.value, statedClosing.value)
        } else if rows.isEmpty {
            throw StatementParseError(.noStatements, line: headerLine)
        } else {
            throw StatementParseError(.missingField("running balance (余额) column, or the opening and closing "
                                                    + "balances (期初余额, 期末余额)"), line: headerLine)
        }
        guard let openingDate = stated.periodStart ?? rows.first?.date,
              let closingDate = stated.periodEnd ?? rows.last?.date else {
            throw StatementParseError(.noStatements, line: headerLine)
        }
        if let row = rows.first(where: { $0.date < openingDate || $0.date > closingDate }) {
            throw StatementParseError(.malformedField(field: layout.name(layout.date), reason: "the row's date is "
                + "outside the period the file states"), line: row.line)
        }
        var entries: [BankStatementEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows { entries.append(try entry(row, layout: layout)) }
        let holder = stated.holder.map { "户名：\($0)" } ?? ""
        return BankStatement(
            account: account, currency: currency,
            statementID: "\(Self.compact(openingDate))-\(Self.compact(closingDate))",
            sequenceNumber: nil, openingBalance: AmountMinorUnits(opening), openingDate: openingDate,
            closingBalance: AmountMinorUnits(closing), closingDate: closingDate, entries: entries,
            controlTotals: stated.totals.isEmpty ? nil : stated.totals, additionalInformation: holder, line: headerLine,
            warnings: profile.isUnverified
                ? [StatementWarning(.profileUnverified(profile: "\(profile.id) (\(profile.name))", note: profile.verification ?? ""))]
                : [])
    }

    private func entry(_ row: ReadRow, layout: BankExportLayout) throws(StatementParseError) -> BankStatementEntry {
        func text(_ field: BankExportLayout.Field) -> String { layout[field].map { Self.cell(row.cells, $0) } ?? "" }
        var counterparty = text(.counterpartyName)
        var counterpartyAccount = text(.counterpartyAccount)
        if layout[.counterpartyName] == nil {
            counterparty = text(row.mark == .credit ? .payerName : .payeeName)
        }
        if layout[.counterpartyAccount] == nil {
            counterpartyAccount = text(row.mark == .credit ? .payerAccount : .payeeAccount)
        }
        var memos: [String] = []
        for index in layout.memo {
            let value = Self.cell(row.cells, index)
            if !value.isEmpty, !memos.contains(value) { memos.append(value) }
        }
        let details = [("对方账号", counterpartyAccount), ("对方开户行", text(.counterpartyBank)), ("交易时间", text(.time))]
            .filter { !$0.1.isEmpty }.map { "\($0.0)：\($0.1)" }
        let narrative = memos.joined(separator: "；")
        let additional = details.joined(separator: "；")
        for (what, value) in [("bytes in one narrative", narrative), ("bytes in one entry's details", additional)]
            where value.utf8.count > BankStatementLimits.textBytesMax {
            throw StatementParseError(.limitExceeded(what: what, count: value.utf8.count,
                                                     countMax: BankStatementLimits.textBytesMax), line: row.line)
        }
        return BankStatementEntry(
            bookingDate: row.date, valueDate: row.valueDate, amount: AmountMinorUnits(row.amount),
            reference: text(.serial), counterparty: counterparty, narrative: narrative, mark: row.mark,
            isReversal: row.isReversal, customerReference: text(.voucher), bankTransactionCode: text(.transactionType),
            additionalInformation: additional, line: row.line)
    }

    /// `2026-11-02` → `20261102`.
    private static func compact(_ date: BusinessDate) -> String { date.description.filter { $0 != "-" } }
}
