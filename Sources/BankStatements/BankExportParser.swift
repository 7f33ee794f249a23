import Foundation
import LedgerCore
import ReportWriters

/// Reads a Chinese bank's statement export — the CSV, TXT or xlsx that 工商银行, 建设银行, 农业银行, 中国银行,
/// 交通银行, 招商银行 and local banks' online banking gives — into one ``BankStatement``, laid out as a
/// ``BankProfile`` says.
///
/// An export is a table with rows around it: title rows (`账号：…`, `户名：…`, `币种：人民币`, `起止日期：…`), the
/// column header (the first row naming the date column and an amount column), one row per entry, and footer rows
/// (`合计`, `笔数：4`, `打印时间：…`). Nothing in it is guessed:
///
/// - amounts are read exactly (thousands separators only where they group by three; never through `Double`);
/// - the direction comes from separate debit and credit columns, a direction column (`借`/`贷`) or the sign;
/// - the running balance (余额) proves every row: each must be the previous balance plus its credit minus its
///   debit, or the file is refused at that row with both figures. The opening balance is then the first row's
///   balance less its amount, the closing balance the last row's;
/// - rows listed newest first are turned around only when the running balance proves that order; when it holds
///   either way (or neither), the file is refused;
/// - the account comes from the caller or from the file, and when both give one they must agree.
///
/// The statement has no bank statement number (``BankStatement/sequenceNumber`` is `nil`); its
/// ``BankStatement/statementID`` is its period, such as `20261101-20261130` (the period the title rows state, else
/// the first and last entry's dates), whatever profile read it, so the same export imported twice is caught as a
/// duplicate. Every error has no ``StatementParseError/format``, and its ``StatementParseError/line`` is the file
/// line of a CSV or TXT export, or the sheet row of an xlsx one.
///
/// ```swift
/// let statement = try BankExportParser.parse(Data(contentsOf: url), profile: BankProfiles.icbc)
/// try statement.validateBalances()
/// ```
public enum BankExportParser {
    /// Rows searched for the column header: title rows are a handful, never pages.
    public static let headerRowSearchMax = 100
    /// Cells in one row; bank exports have a few dozen columns.
    public static let columnCountMax = 512

    /// Reads an export's bytes: an xlsx workbook (bytes starting `PK\u{3}\u{4}`, its first sheet through
    /// `XLSXReader`), or CSV/TXT text in one of the profile's encodings, separated by the first of its separators
    /// under which a column header row is found.
    /// - Parameters:
    ///   - account: the account the export is for, when the caller knows it; required when the file names none.
    ///   - currency: the account's currency; when the file names one too, they must agree.
    /// - Throws: ``StatementParseError``; the whole file is refused, never half read.
    public static func parse(_ data: Data, profile: BankProfile, account: String? = nil,
                             currency: CurrencyCode? = nil) throws(StatementParseError) -> BankStatement {
        guard !data.isEmpty else { throw StatementParseError(.empty) }
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count,
                                                    sizeBytesMax: BankStatementLimits.fileBytesMax))
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let rows: [[String]]
            do throws(XLSXReadError) {
                rows = try XLSXReader.firstSheet(of: data).rows
            } catch {
                throw StatementParseError(.unreadableWorkbook(reason: error.description))
            }
            return try parse(rows: rows, profile: profile, account: account, currency: currency, excelSerialDates: true)
        }
        try check(profile)
        let text = try GB18030Text.decode(data, encodings: profile.encodings).text
        let rows = try BankExportText.rows(of: text, profile: profile)
        return try parse(rows: rows, profile: profile, account: account, currency: currency)
    }

    /// Reads an export already split into rows of cells: the shared core of CSV, TXT and xlsx. `rows[n - 1]` is
    /// file line or sheet row `n`, so errors name the line the clerk sees.
    /// - Parameter excelSerialDates: read a date cell holding a whole number (up to five digits, with or without a
    ///   fraction for the time of day) as an Excel 1900-system serial day, as `XLSXReader` gives date cells.
    /// - Throws: ``StatementParseError``.
    public static func parse(rows: [[String]], profile: BankProfile, account: String? = nil,
                             currency: CurrencyCode? = nil,
                             excelSerialDates: Bool = false) throws(StatementParseError) -> BankStatement {
        try check(profile)
        let reader = BankExportReader(profile: profile, excelSerialDates: excelSerialDates)
        return try reader.read(rows, account: account, currency: currency)
    }

    private static func check(_ profile: BankProfile) throws(StatementParseError) {
        do throws(BankProfileError) {
            try profile.validate()
        } catch {
            throw StatementParseError(.malformedField(field: "the bank profile \(profile.id)", reason: error.reason))
        }
    }
}

// MARK: - Text to rows

/// Splits the decoded text of a CSV or TXT export into rows of cells, one row per line.
enum BankExportText {
    static func rows(of text: String, profile: BankProfile) throws(StatementParseError) -> [[String]] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            if let scalar = line.unicodeScalars.first(where: isForbiddenControl) {
                throw StatementParseError(.controlCharacter(scalar: scalar.value), line: index + 1)
            }
        }
        let separator = self.separator(of: lines, profile: profile)
        var rows: [[String]] = []
        rows.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            switch fields(line, separator: separator) {
            case .success(let cells): rows.append(cells)
            case .failure(let code): throw StatementParseError(code, line: index + 1)
            }
        }
        return rows
    }

    /// The profile's separator under which a column header row is found, the one giving that row most cells
    /// when several do; the first separator when none does (the header search then fails with its own error).
    static func separator(of lines: [Substring], profile: BankProfile) -> Character {
        let separators = profile.separators.compactMap(\.first)
        var best: (separator: Character, cellCount: Int)?
        for separator in separators {
            for line in lines.prefix(BankExportParser.headerRowSearchMax) {
                guard case .success(let cells) = fields(line, separator: separator), cells.count > 1,
                      BankExportLayout(header: cells.map(BankExportCell.clean), profile: profile) != nil else {
                    continue
                }
                if cells.count > best?.cellCount ?? 0 { best = (separator, cells.count) }
                break
            }
        }
        return best?.separator ?? separators.first ?? ","
    }

    /// One line's cells: RFC 4180 quoting (`"1,234.56"`, `""` for a quote), a field within one line. Unlike
    /// FundSync's own CSV, a quote inside an unquoted field is kept as text, because banks write Excel's text
    /// marker `="6222…"` unquoted; spaces around a quoted field are allowed.
    static func fields(_ line: Substring, separator: Character) -> FieldResult<[String]> {
        var fields: [String] = []
        var rest = line
        while true {
            let padding = rest.prefix { $0 == " " || ($0 == "\t" && separator != "\t") }
            if rest.dropFirst(padding.count).first == "\"" {
                guard let (text, after) = quoted(rest.dropFirst(padding.count + 1)) else {
                    return .failure(.malformedField(field: "a quoted field", reason: "its closing quote is missing"))
                }
                let trailing = after.prefix { $0 == " " || ($0 == "\t" && separator != "\t") }
                rest = after.dropFirst(trailing.count)
                guard rest.isEmpty || rest.first == separator else {
                    return .failure(.malformedField(field: "a quoted field", reason: "text follows its closing quote"))
                }
                fields.append(text)
            } else {
                let text = rest.prefix { $0 != separator }
                fields.append(String(text))
                rest = rest.dropFirst(text.count)
            }
            guard fields.count <= BankExportParser.columnCountMax else {
                return .failure(.limitExceeded(what: "columns in one row", count: fields.count,
                                               countMax: BankExportParser.columnCountMax))
            }
            guard rest.first == separator else { return .success(fields) }
            rest = rest.dropFirst()
        }
    }

    private static func quoted(_ text: Substring) -> (String, Substring)? {
        var result = ""
        var rest = text
        while let character = rest.first {
            rest = rest.dropFirst()
            if character != "\"" {
                result.append(character)
            } else if rest.first == "\"" {
                result.append("\"")
                rest = rest.dropFirst()
            } else {
                return (result, rest)
            }
        }
        return nil
    }

    /// C0 controls other than tab, and C1 controls: binary data, not an export.
    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }
}

/// What is done to every cell before it is read.
enum BankExportCell {
    /// Trimmed of white space (tabs and U+3000 included, which banks pad cells with), Excel's text marker
    /// `="…"` unwrapped, and a leading `'` dropped before digits (another way to keep an account number text).
    static func clean(_ cell: String) -> String {
        var text = Substring(cell)
        while let first = text.first, first.isWhitespace || first == "\u{FEFF}" { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.count >= 3, text.hasPrefix("=\""), text.hasSuffix("\"") {
            text = text.dropFirst(2).dropLast()
            return clean(text.replacingOccurrences(of: "\"\"", with: "\""))
        }
        if text.first == "'", text.count > 1, text.dropFirst().allSatisfy(\.isASCIIDigitCharacter) {
            text = text.dropFirst()
        }
        return String(text)
    }
}

// MARK: - Column header

/// Which column holds which field, found by the header row's names.
struct BankExportLayout {
    /// How a row's amount and direction are read (``BankProfile/Columns``).
    enum AmountColumns {
        case debitCredit(debit: Int, credit: Int)
        case directed(amount: Int, direction: Int)
        case signed(amount: Int)
    }

    enum Field: CaseIterable {
        case date, valueDate, time, debit, credit, amount, direction, balance, account, currency
        case counterpartyName, counterpartyAccount, counterpartyBank, payerName, payerAccount, payeeName, payeeAccount
        case serial, voucher, transactionType

        func synonyms(_ columns: BankProfile.Columns) -> [String] {
            switch self {
            case .date: columns.date
            case .valueDate: columns.valueDate
            case .time: columns.time
            case .debit: columns.debit
            case .credit: columns.credit
            case .amount: columns.amount
            case .direction: columns.direction
            case .balance: columns.balance
            case .account: columns.account
            case .currency: columns.currency
            case .counterpartyName: columns.counterpartyName
            case .counterpartyAccount: columns.counterpartyAccount
            case .counterpartyBank: columns.counterpartyBank
            case .payerName: columns.payerName
            case .payerAccount: columns.payerAccount
            case .payeeName: columns.payeeName
            case .payeeAccount: columns.payeeAccount
            case .serial: columns.serial
            case .voucher: columns.voucher
            case .transactionType: columns.transactionType
            }
        }
    }

    /// The header cells as written, to name columns in errors (a column name is the bank's word, not its data).
    let names: [String]
    /// The header cells normalized, to recognise a header row repeated on every page.
    let keys: [String]
    private var columns: [Field: Int] = [:]
    /// Fields whose name is in more than one header cell.
    private var repeated: Set<Field> = []
    let amountColumns: AmountColumns
    /// The memo columns in the profile's order.
    let memo: [Int]

    /// `nil` unless `header` names the date column and an amount column.
    init?(header: [String], profile: BankProfile) {
        let exact = header.map(BankProfile.normalizedName)
        let plain = exact.map { BankProfile.nameWithoutNote($0) ?? $0 }
        var taken = Set<Int>()
        var columns: [Field: Int] = [:]
        var repeated: Set<Field> = []
        for keys in [exact, plain] {
            for field in Field.allCases where columns[field] == nil {
                for synonym in field.synonyms(profile.columns).map(BankProfile.normalizedName) {
                    let hits = keys.indices.filter { !taken.contains($0) && keys[$0] == synonym }
                    guard let first = hits.first else { continue }
                    columns[field] = first
                    taken.insert(first)
                    if hits.count > 1 { repeated.insert(field) }
                    break
                }
            }
        }
        var memo: [Int] = []
        for keys in [exact, plain] {
            for synonym in profile.columns.memo.map(BankProfile.normalizedName) {
                for index in keys.indices where !taken.contains(index) && keys[index] == synonym {
                    memo.append(index)
                    taken.insert(index)
                }
            }
        }
        guard columns[.date] != nil else { return nil }
        if let debit = columns[.debit], let credit = columns[.credit] {
            amountColumns = .debitCredit(debit: debit, credit: credit)
        } else if let amount = columns[.amount], let direction = columns[.direction] {
            amountColumns = .directed(amount: amount, direction: direction)
        } else if let amount = columns[.amount] {
            amountColumns = .signed(amount: amount)
        } else {
            return nil
        }
        self.names = header
        self.keys = exact
        self.columns = columns
        self.repeated = repeated
        self.memo = memo
    }

    subscript(_ field: Field) -> Int? { columns[field] }

    var date: Int { columns[.date] ?? 0 }

    func name(_ index: Int) -> String { index < names.count ? names[index] : "column \(index + 1)" }

    /// The fields this export's amounts are read from, which must each be in one column only.
    var usedFields: [Field] {
        var fields: [Field] = [.date, .balance, .valueDate, .account, .currency]
        switch amountColumns {
        case .debitCredit: fields += [.debit, .credit]
        case .directed: fields += [.amount, .direction]
        case .signed: fields += [.amount]
        }
        return fields
    }

    /// The first used field whose name is in two header cells: reading either would be a guess.
    var ambiguousField: Field? { usedFields.first { repeated.contains($0) } }
}

// MARK: - Title and footer rows

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

// MARK: - The reader

/// One data row of the export, before its amounts are read.
private struct DataRow {
    var cells: [String]
    var line: Int
    var date: BusinessDate
}

/// A data row read: what an entry and the balance check need.
private struct ReadRow {
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
    private let patterns: [DatePattern]
    private let finder: TitleFactFinder
    fileprivate let debitWords: Set<String>
    fileprivate let creditWords: Set<String>

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

// MARK: - Account and currency

extension BankExportReader {
    /// The caller's currency, the file's (a title label or a column), or the profile's default; when two are
    /// given they must agree.
    fileprivate func resolveCurrency(_ given: CurrencyCode?, facts: [TitleFact], rows: [DataRow],
                                     layout: BankExportLayout) throws(StatementParseError) -> CurrencyCode {
        var found: (code: CurrencyCode, field: String, line: Int)?
        func add(_ text: String, field: String, line: Int) throws(StatementParseError) {
            guard let code = currencyCode(text) else {
                throw StatementParseError(.invalidCurrency(field: field), line: line)
            }
            if let found, found.code != code {
                throw StatementParseError(.currencyMismatch(field: field, expected: found.code.code, found: code.code),
                                          line: line)
            }
            if found == nil { found = (code, field, line) }
        }
        for fact in facts where fact.kind == .currency { try add(fact.value, field: fact.label, line: fact.line) }
        if let column = layout[.currency] {
            for row in rows where !Self.cell(row.cells, column).isEmpty {
                try add(Self.cell(row.cells, column), field: layout.name(column), line: row.line)
            }
        }
        if let given {
            if let found, found.code != given {
                throw StatementParseError(.currencyMismatch(field: found.field, expected: given.code,
                                                            found: found.code.code), line: found.line)
            }
            return given
        }
        if let found { return found.code }
        guard let fallback = profile.defaultCurrency.flatMap(CurrencyCode.init) else {
            throw StatementParseError(.missingField("currency (币种): the file names none and the profile has no "
                                                    + "default, so pass it"))
        }
        return fallback
    }

    /// `人民币`, `RMB`, `CNY`, `人民币(CNY)` → CNY, by the profile's names or as an ISO code.
    private func currencyCode(_ text: String) -> CurrencyCode? {
        let normalized = BankProfile.normalizedName(text)
        var candidates = [normalized]
        if let plain = BankProfile.nameWithoutNote(normalized) {
            candidates.append(plain)
            candidates.append(String(normalized.dropFirst(plain.count + 1).dropLast()))
        }
        for candidate in candidates {
            if let (_, code) = profile.currencyNames.first(where: { BankProfile.normalizedName($0.key) == candidate }) {
                return CurrencyCode(code)
            }
            if candidate.utf8.count == 3,
               candidate.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }),
               let code = CurrencyCode(candidate.uppercased()) {
                return code
            }
        }
        return nil
    }

    /// The caller's account, the file's (a title label or an account column), or a refusal; when two are given
    /// they must name the same account (compared without spaces and dashes).
    fileprivate func resolveAccount(_ given: String?, facts: [TitleFact], rows: [DataRow],
                                    layout: BankExportLayout) throws(StatementParseError) -> String {
        var found: (account: String, field: String, line: Int)?
        func add(_ text: String, field: String, line: Int, fromColumn: Bool) throws(StatementParseError) {
            if Self.isRoundedNumber(text) {
                throw StatementParseError(.malformedField(field: field, reason: "a spreadsheet stored the account "
                    + "number as a number and rounded it; format the column as text and export again"), line: line)
            }
            guard let account = Self.accountNumber(text) else {
                if fromColumn {
                    throw StatementParseError(.malformedField(field: field, reason: "it is not an account number"),
                                              line: line)
                }
                return  // a title value that is a name or a masked number says nothing about the account
            }
            if let found, Self.comparable(found.account) != Self.comparable(account) {
                throw StatementParseError(.malformedField(field: field, reason: "it names another account than "
                    + "\(found.field) on line \(found.line); one export must be one account"), line: line)
            }
            if found == nil { found = (account, field, line) }
        }
        for fact in facts where fact.kind == .account {
            try add(fact.value, field: fact.label, line: fact.line, fromColumn: false)
        }
        if let column = layout[.account] {
            for row in rows where !Self.cell(row.cells, column).isEmpty {
                try add(Self.cell(row.cells, column), field: layout.name(column), line: row.line, fromColumn: true)
            }
        }
        let givenAccount = given?.trimmingCharacters(in: .whitespaces)
        if let givenAccount, !givenAccount.isEmpty {
            if let found, Self.comparable(found.account) != Self.comparable(givenAccount) {
                throw StatementParseError(.malformedField(field: found.field, reason: "the file is for another "
                    + "account than the one passed"), line: found.line)
            }
            return givenAccount
        }
        guard let found else { throw StatementParseError(.accountUnknown) }
        return found.account
    }

    /// The account number in a value: ASCII letters, digits and dashes with at least as many digits as a domestic
    /// account number has (``BankAccountNumber/domesticDigitCount``), spaces dropped (`1202 0211 0900 1234 567`),
    /// a trailing bracketed note dropped; `nil` for a name or a masked number (`6217****4567`).
    static func accountNumber(_ text: String) -> String? {
        var value = Substring(text)
        if value.hasSuffix(")") || value.hasSuffix("）"), let open = value.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            value = value[..<open]
        }
        func valid(_ candidate: String) -> Bool {
            let significant = candidate.filter { $0 != "-" }
            return significant.count <= BankAccountNumber.otherCharacterCountMax
                && significant.filter(\.isASCIIDigitCharacter).count >= BankAccountNumber.domesticDigitCount.lowerBound
                && candidate.allSatisfy { $0.isASCII && ($0.isLetter || $0.isASCIIDigitCharacter || $0 == "-") }
        }
        let joined = value.filter { !$0.isWhitespace }
        if valid(String(joined)) { return String(joined) }
        if let first = value.split(whereSeparator: \.isWhitespace).first, valid(String(first)) { return String(first) }
        return nil
    }

    private static func comparable(_ account: String) -> String {
        account.filter { !$0.isWhitespace && $0 != "-" }.uppercased()
    }

    /// `1.20202E+18`: what Excel shows for a long number it has already rounded.
    static func isRoundedNumber(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard let e = upper.firstIndex(of: "E") else { return false }
        let mantissa = upper[..<e], exponent = upper[upper.index(after: e)...].drop { $0 == "+" }
        return !mantissa.isEmpty && mantissa.allSatisfy { $0.isASCIIDigitCharacter || $0 == "." }
            && !exponent.isEmpty && exponent.allSatisfy(\.isASCIIDigitCharacter)
    }
}

// MARK: - Facts the title and footer rows state

/// The title and footer facts read: one value per kind, or a refusal when the file states one twice differently.
private struct StatedFacts {
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
            switch BankExportAmount.signed(fact.value, currency: currency, field: fact.label) {
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

// MARK: - Amounts and dates

/// A bank's amount text: an optional sign, an optional `¥`, digits grouped by three with `,` or not grouped at
/// all, an optional `.` and decimals; read with ``StatementAmountText`` (integer math only).
enum BankExportAmount {
    /// The signed minor units of `text`; `nil` when the cell holds no amount (empty, `-`, `--`).
    static func signed(_ text: String, currency: CurrencyCode, field: String) -> FieldResult<Int64>? {
        var body = Substring(text)
        if body.isEmpty || ["-", "--", "—", "/"].contains(body) { return nil }
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        if let first = body.first, first == "¥" || first == "￥" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts[0])
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(.invalidAmount(field: field))
            }
            whole = groups.joined()
        }
        let plain = parts.count == 2 ? whole + "." + parts[1] : whole
        switch StatementAmountText.magnitude(Substring(plain), decimalSeparator: ".", currency: currency,
                                             extraZeroDecimalsAllowed: true, field: field) {
        case .success(let magnitude): return .success(negative ? -magnitude : magnitude)
        case .failure(let code): return .failure(code)
        }
    }
}

extension BankExportReader {
    enum DateReading {
        case date(BusinessDate)
        /// The text has a date's shape but no such day exists (`2026-02-30`).
        case invalidCalendarDate
        case notADate
    }

    /// A date cell by the profile's patterns, then by its part before a space or `T` (a date and a time), then,
    /// when reading a workbook, as an Excel serial day.
    func date(_ text: String) -> DateReading {
        guard !text.isEmpty else { return .notADate }
        var candidates = [Substring(text)]
        if let cut = text.firstIndex(where: { $0.isWhitespace || $0 == "T" }), cut > text.startIndex {
            candidates.append(text[..<cut])
        }
        for candidate in candidates {
            for pattern in patterns {
                guard let (year, month, day) = pattern.match(candidate) else { continue }
                guard let date = Self.businessDate(year: year, month: month, day: day) else {
                    return .invalidCalendarDate
                }
                return .date(date)
            }
        }
        if excelSerialDates, let date = Self.excelSerialDate(text) { return .date(date) }
        return .notADate
    }

    /// One date in a title value, such as `起始日期：20261101`.
    func singleDate(_ text: String) -> BusinessDate? {
        if case .date(let date) = self.date(text) { return date }
        return nil
    }

    /// The dates of a period value: `2026-11-01 至 2026-11-30`, `20261101-20261130`, `2026/11/01~2026/11/30`.
    func dateRange(_ text: String) -> [BusinessDate] {
        for separator in ["至", "到", "~", "～", "—", "－", "--", " - ", "-", " "] where text.contains(separator) {
            let parts = text.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            if parts.count == 2, let start = singleDate(parts[0]), let end = singleDate(parts[1]) {
                return [start, end]
            }
        }
        return singleDate(text).map { [$0] } ?? []
    }

    static func businessDate(year: Int, month: Int, day: Int) -> BusinessDate? {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return BusinessDate("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))")
    }

    /// Excel's 1900-system serial day (`46328` is 2026-11-02), from 1900-03-01 (61) on; a fraction (the time of
    /// day) is ignored. Up to five digits, so `20261102` is never taken for one.
    static func excelSerialDate(_ text: String) -> BusinessDate? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard (1...5).contains(parts[0].count), parts[0].allSatisfy(\.isASCIIDigitCharacter),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigitCharacter)),
              let serial = Int(parts[0]), serial >= 61 else { return nil }
        // Howard Hinnant's civil_from_days; Excel's serial 25569 is 1970-01-01.
        let z = serial - 25_569 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return businessDate(year: year, month: month, day: day)
    }
}

// MARK: - Rows to entries

extension BankExportReader {
    /// A data row's amount, direction and balance.
    fileprivate func read(_ row: DataRow, layout: BankExportLayout,
                          currency: CurrencyCode) throws(StatementParseError) -> ReadRow {
        func amount(_ index: Int) throws(StatementParseError) -> Int64? {
            switch BankExportAmount.signed(Self.cell(row.cells, index), currency: currency, field: layout.name(index)) {
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

    /// The rows oldest first, as the running balance proves; see ``BankExportParser``.
    fileprivate func chronological(_ rows: [ReadRow], layout: BankExportLayout, stated: StatedFacts,
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

    /// The statement of the rows (oldest first).
    fileprivate func statement(_ rows: [ReadRow], layout: BankExportLayout, stated: StatedFacts, account: String,
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
            controlTotals: stated.totals.isEmpty ? nil : stated.totals, additionalInformation: holder, line: headerLine)
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
