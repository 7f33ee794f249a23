/// Splits one line of FundSync statement CSV into its fields: RFC 4180 quoting (`"a, b"`, `""` for a quote),
/// with the one restriction that a field may not span lines.
///
/// Why that restriction: a record per line keeps every error's line number equal to what the clerk sees in a
/// spreadsheet or editor, and statement text never needs a line break.
enum CSVRecordSplitter {
    static func fields(_ line: Substring) -> FieldResult<[String]> {
        var fields: [String] = []
        var rest = line
        while true {
            let field: String
            if rest.first == "\"" {
                guard let (text, after) = quoted(rest.dropFirst()) else {
                    return .failure(.malformedField(field: "a quoted field", reason: "its closing quote is missing"))
                }
                field = text
                rest = after
                guard rest.isEmpty || rest.first == "," else {
                    return .failure(.malformedField(field: "a quoted field", reason: "text follows its closing quote"))
                }
            } else {
                let text = rest.prefix { $0 != "," }
                guard !text.contains("\"") else {
                    return .failure(.malformedField(field: "an unquoted field", reason: "it contains a quote"))
                }
                field = String(text)
                rest = rest.dropFirst(text.count)
            }
            fields.append(field)
            guard rest.first == "," else { return .success(fields) }
            rest = rest.dropFirst()
        }
    }

    /// The text of a quoted field (its opening quote already dropped) and what follows its closing quote.
    static func quoted(_ text: Substring) -> (String, Substring)? {
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
}
