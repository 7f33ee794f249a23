import LedgerCore

/// One data row of the export, before its amounts are read.
struct DataRow {
    var cells: [String]
    var line: Int
    var date: BusinessDate
}

/// A data row read: what an entry and the balance check need.
struct ReadRow {
    var line: Int
    var date: BusinessDate
    var valueDate: BusinessDate?
    /// Signed minor units: credits positive.
    var amount: Int64
    var mark: CreditDebitMark
    var isReversal: Bool
    var balance: Int64?
    var cells: [String]
}

/// The state of reading one export's rows.
struct BankExportReader {
    let profile: BankProfile
    let excelSerialDates: Bool
    let patterns: [DatePattern]
    private let finder: TitleFactFinder
    let debitWords: Set<String>
    let creditWords: Set<String>

    init(profile: BankProfile, excelSerialDates: Bool) {
        self.profile = profile
        self.excelSerialDates = excelSerialDates
        patterns = profile.dateFormats.compactMap(DatePattern.init)
        finder = TitleFactFinder(profile.titleLabels)
        debitWords = Set(profile.directionWords.debit.map(BankProfile.normalizedWord))
        creditWords = Set(profile.directionWords.credit.map(BankProfile.normalizedWord))
    }

    func read(_ rawRows: [[String]], account: String?,
              currency: CurrencyCode?) throws(StatementParseError) -> BankStatement {
        guard !rawRows.isEmpty else { throw StatementParseError(.empty) }
        let rows = try Self.cleaned(rawRows)
        guard let (headerIndex, layout) = header(in: rows) else {
            throw StatementParseError(.missingField(
                "column header row (a row naming the date column and the amount columns, such as 交易日期 and "
                    + "借方发生额/贷方发生额, 收入/支出 or 交易金额, within the first \(BankExportParser.headerRowSearchMax) rows)"))
        }
        if let field = layout.ambiguousField, let index = layout[field] {
            throw StatementParseError(.duplicateField("the column \(layout.name(index))"), line: headerIndex + 1)
        }
        var facts: [TitleFact] = []
        for index in 0..<headerIndex { facts += finder.facts(in: rows[index], line: index + 1) }
        let dataRows = try classify(rows, after: headerIndex, layout: layout, facts: &facts)
        let currency = try resolveCurrency(currency, facts: facts, rows: dataRows, layout: layout)
        let account = try resolveAccount(account, facts: facts, rows: dataRows, layout: layout)
        let stated = try StatedFacts(facts, currency: currency, reader: self)
        var read: [ReadRow] = []
        read.reserveCapacity(dataRows.count)
        for row in dataRows { read.append(try self.read(row, layout: layout, currency: currency)) }
        let ordered = try chronological(read, layout: layout, stated: stated, currency: currency)
        return try statement(ordered, layout: layout, stated: stated, account: account, currency: currency,
                             headerLine: headerIndex + 1)
    }

    /// Every cell cleaned (``BankExportCell/clean(_:)``), within the limits.
    private static func cleaned(_ rows: [[String]]) throws(StatementParseError) -> [[String]] {
        var result: [[String]] = []
        result.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard row.count <= BankExportParser.columnCountMax else {
                throw StatementParseError(.limitExceeded(what: "columns in one row", count: row.count,
                                                         countMax: BankExportParser.columnCountMax), line: index + 1)
            }
            let cells = row.map(BankExportCell.clean)
            if let long = cells.first(where: { $0.utf8.count > BankStatementLimits.textBytesMax }) {
                throw StatementParseError(.limitExceeded(what: "bytes in one cell", count: long.utf8.count,
                                                         countMax: BankStatementLimits.textBytesMax), line: index + 1)
            }
            result.append(cells)
        }
        return result
    }

    private func header(in rows: [[String]]) -> (Int, BankExportLayout)? {
        for (index, row) in rows.prefix(BankExportParser.headerRowSearchMax).enumerated() {
            if let layout = BankExportLayout(header: row, profile: profile) { return (index, layout) }
        }
        return nil
    }

    /// Sorts the rows below the header into data rows (their date cell is a date), balance rows (a date, no
    /// amount, a balance and a label such as 期初余额), footer rows (whose facts are collected), repeated header
    /// rows and blank rows; anything else is refused.
    private func classify(_ rows: [[String]], after headerIndex: Int, layout: BankExportLayout,
                          facts: inout [TitleFact]) throws(StatementParseError) -> [DataRow] {
        var data: [DataRow] = []
        let footerPrefixes = profile.footerPrefixes.map(BankProfile.normalizedName).filter { !$0.isEmpty }
        for index in (headerIndex + 1)..<max(headerIndex + 1, rows.count) {
            let cells = rows[index]
            let line = index + 1
            guard cells.contains(where: { !$0.isEmpty }) else { continue }
            let dateCell = Self.cell(cells, layout.date)
            if BankProfile.normalizedName(dateCell) == layout.keys[layout.date],
               cells.map(BankProfile.normalizedName) == layout.keys {
                continue  // the header again, on a new page
            }
            switch date(dateCell) {
            case .date(let date):
                if let fact = balanceRow(cells, layout: layout, line: line) {
                    facts.append(fact)
                    continue
                }
                guard data.count < BankStatementLimits.entryCountMax else {
                    throw StatementParseError(.limitExceeded(what: "entries in one statement", count: data.count + 1,
                                                             countMax: BankStatementLimits.entryCountMax), line: line)
                }
                data.append(DataRow(cells: cells, line: line, date: date))
            case .invalidCalendarDate:
                throw StatementParseError(.invalidDate(field: layout.name(layout.date)), line: line)
            case .notADate:
                let first = BankProfile.normalizedName(cells.first { !$0.isEmpty } ?? "")
                let rowFacts = finder.facts(in: cells, line: line)
                let isFooter = footerPrefixes.contains { first.hasPrefix($0) } || !rowFacts.isEmpty
                let balanceCell = layout[.balance].map { Self.cell(cells, $0) } ?? ""
                guard isFooter || (dateCell.isEmpty && balanceCell.isEmpty) else {
                    throw StatementParseError(dateCell.isEmpty ? .missingField(layout.name(layout.date))
                                                               : .invalidDate(field: layout.name(layout.date)),
                                              line: line)
                }
                facts += rowFacts
                facts += columnTotals(cells, first: first, layout: layout, line: line)
            }
        }
        return data
    }

    /// A row inside the table that states a balance instead of an entry (`2026-11-01,,,1,000,000.00,期初余额`): no
    /// amount (empty or zero), a balance, and a cell holding an opening or closing balance label; as that fact.
    private func balanceRow(_ cells: [String], layout: BankExportLayout, line: Int) -> TitleFact? {
        guard let balanceColumn = layout[.balance], !Self.cell(cells, balanceColumn).isEmpty else { return nil }
        let amountColumns: [Int] = switch layout.amountColumns {
        case .debitCredit(let debit, let credit): [debit, credit]
        case .directed(let amount, _), .signed(let amount): [amount]
        }
        let noAmount = amountColumns.allSatisfy { column in
            Self.cell(cells, column).allSatisfy { !$0.isASCIIDigitCharacter || $0 == "0" }
        }
        guard noAmount else { return nil }
        for (index, cell) in cells.enumerated() where index != balanceColumn && index != layout.date {
            guard let kind = finder.kind(ofLabel: cell), kind == .openingBalance || kind == .closingBalance else {
                continue
            }
            return TitleFact(kind: kind, label: cell, value: Self.cell(cells, balanceColumn), line: line)
        }
        return nil
    }

    /// A `合计` row's sums under the debit and credit columns, as facts.
    private func columnTotals(_ cells: [String], first: String, layout: BankExportLayout,
                              line: Int) -> [TitleFact] {
        guard first == "合计" || first == "总计", case .debitCredit(let debit, let credit) = layout.amountColumns else {
            return []
        }
        var facts: [TitleFact] = []
        for (kind, index) in [(TitleFactKind.debitTotal, debit), (.creditTotal, credit)] {
            let value = Self.cell(cells, index)
            if !value.isEmpty {
                facts.append(TitleFact(kind: kind, label: "\(first) \(layout.name(index))", value: value, line: line))
            }
        }
        return facts
    }

    static func cell(_ cells: [String], _ index: Int) -> String { index < cells.count ? cells[index] : "" }
}
