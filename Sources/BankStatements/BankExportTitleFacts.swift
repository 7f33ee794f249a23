import Foundation
import LedgerCore

/// A fact of a title or footer row: `账号：1202…`.
struct TitleFact {
    var kind: TitleFactKind
    /// The label as written, to name it in errors.
    var label: String
    var value: String
    var line: Int
}

/// Finds the facts in a row's cells by the profile's labels.
struct TitleFactFinder {
    private let kinds: [String: TitleFactKind]

    init(_ labels: BankProfile.TitleLabels) {
        var kinds: [String: TitleFactKind] = [:]
        for (kind, names) in labels.all {
            for name in names.map(BankProfile.normalizedName) where kinds[name] == nil { kinds[name] = kind }
        }
        self.kinds = kinds
    }

    /// Facts in `cells`: `标签：值` in a cell (several per cell, told apart by their labels), or a label's own
    /// cell followed by the value's cell.
    func facts(in cells: [String], line: Int) -> [TitleFact] {
        var facts: [TitleFact] = []
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            let pairs = Self.pairs(in: cell)
            if pairs.isEmpty {
                guard let kind = kinds[BankProfile.normalizedName(cell)], let value = nextValue(cells, after: index)
                else { continue }
                facts.append(TitleFact(kind: kind, label: cell, value: value, line: line))
                continue
            }
            for (label, value) in pairs {
                guard let kind = kinds[BankProfile.normalizedName(label)] else { continue }
                let value = value.isEmpty ? nextValue(cells, after: index) : value
                if let value { facts.append(TitleFact(kind: kind, label: label, value: value, line: line)) }
            }
        }
        return facts
    }

    /// The kind of fact `text` is the label of, if it is one.
    func kind(ofLabel text: String) -> TitleFactKind? { kinds[BankProfile.normalizedName(text)] }

    /// The next non-empty cell, unless it is a label itself.
    private func nextValue(_ cells: [String], after index: Int) -> String? {
        guard let next = cells[(index + 1)...].first(where: { !$0.isEmpty }) else { return nil }
        if kinds[BankProfile.normalizedName(next)] != nil { return nil }
        if Self.pairs(in: next).contains(where: { kinds[BankProfile.normalizedName($0.label)] != nil }) { return nil }
        return next
    }

    /// `label：value` pairs of one cell. A colon counts when the word before it holds a letter (Chinese included),
    /// so the colons of a time (`08:00:00`) stay in the value.
    static func pairs(in cell: String) -> [(label: String, value: String)] {
        let characters = Array(cell)
        var keys: [(labelStart: Int, colon: Int)] = []
        for index in characters.indices where characters[index] == ":" || characters[index] == "：" {
            var start = index
            while start > 0, !characters[start - 1].isWhitespace, characters[start - 1] != ":",
                  characters[start - 1] != "：" {
                start -= 1
            }
            if start < index, characters[start..<index].contains(where: \.isLetter) {
                keys.append((start, index))
            }
        }
        return keys.enumerated().map { position, key in
            let end = position + 1 < keys.count ? keys[position + 1].labelStart : characters.count
            let label = String(characters[key.labelStart..<key.colon])
            let value = String(characters[(key.colon + 1)..<end]).trimmingCharacters(in: .whitespaces)
            return (label, value)
        }
    }
}

// MARK: - Facts the title and footer rows state

/// The title and footer facts read: one value per kind, or a refusal when the file states one twice differently.
struct StatedFacts {
    var holder: String?
    var periodStart: BusinessDate?
    var periodEnd: BusinessDate?
    var periodLine: Int?
    var openingBalance: (value: Int64, line: Int)?
    var closingBalance: (value: Int64, line: Int)?
    var totals = StatementControlTotals()

    init(_ facts: [TitleFact], currency: CurrencyCode, reader: BankExportReader) throws(StatementParseError) {
        func single<Value: Equatable>(_ kind: TitleFactKind,
                                      _ read: (TitleFact) throws(StatementParseError) -> Value?)
            throws(StatementParseError) -> (value: Value, line: Int)? {
            var found: (value: Value, line: Int)?
            for fact in facts where fact.kind == kind {
                guard let value = try read(fact) else { continue }
                if let found, found.value != value {
                    throw StatementParseError(.malformedField(field: fact.label, reason: "the file states it "
                        + "twice with different values (see line \(found.line))"), line: fact.line)
                }
                if found == nil { found = (value, fact.line) }
            }
            return found
        }
        func amount(_ fact: TitleFact) throws(StatementParseError) -> Int64? {
            switch BankExportAmount.signed(fact.value, currency: currency, field: fact.label, fromWorkbook: reader.excelSerialDates) {
            case nil: return nil
            case .success(let value)?: return value
            case .failure(let code)?: throw StatementParseError(code, line: fact.line)
            }
        }
        func count(_ fact: TitleFact) throws(StatementParseError) -> Int? {
            var digits = Substring(fact.value)
            while let last = digits.last, last == "笔" || last == "条" || last.isWhitespace { digits = digits.dropLast() }
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigitCharacter),
                  let value = Int(digits) else {
                throw StatementParseError(.malformedField(field: fact.label, reason: "it is not a count"),
                                          line: fact.line)
            }
            return value
        }
        holder = try single(.holder) { $0.value }?.value
        let start = try single(.periodStart) { reader.singleDate($0.value) }
        let end = try single(.periodEnd) { reader.singleDate($0.value) }
        let range = try single(.period) { fact -> [BusinessDate]? in
            let dates = reader.dateRange(fact.value)
            return dates.count == 2 ? dates : nil  // one date under 查询日期 is the day of the query
        }
        periodStart = start?.value ?? range?.value[0]
        periodEnd = end?.value ?? range?.value[1]
        periodLine = start?.line ?? end?.line ?? range?.line
        if let start, let range, start.value != range.value[0] {
            throw StatementParseError(.malformedField(field: "起始日期", reason: "it differs from the period stated "
                + "on line \(range.line)"), line: start.line)
        }
        if let end, let range, end.value != range.value[1] {
            throw StatementParseError(.malformedField(field: "截止日期", reason: "it differs from the period stated "
                + "on line \(range.line)"), line: end.line)
        }
        if let periodStart, let periodEnd, periodEnd < periodStart {
            throw StatementParseError(.malformedField(field: "起止日期", reason: "the period ends before it starts"),
                                      line: periodLine)
        }
        openingBalance = try single(.openingBalance, amount)
        closingBalance = try single(.closingBalance, amount)
        totals.debitSum = try single(.debitTotal, amount).map { AmountMinorUnits($0.value) }
        totals.creditSum = try single(.creditTotal, amount).map { AmountMinorUnits($0.value) }
        totals.debitCount = try single(.debitCount, count)?.value
        totals.creditCount = try single(.creditCount, count)?.value
        totals.entryCount = try single(.entryCount, count)?.value
    }
}
