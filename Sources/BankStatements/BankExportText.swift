import Foundation

/// Splits the decoded text of a CSV or TXT export into rows of cells, one row per line.
enum BankExportText {
    static func rows(of text: String, profile: BankProfile) throws(StatementParseError) -> [[String]] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            if let scalar = line.unicodeScalars.first(where: StatementText.isForbiddenControl) {
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
                guard let (text, after) = CSVRecordSplitter.quoted(rest.dropFirst(padding.count + 1)) else {
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
