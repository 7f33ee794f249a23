/// The quoting and formula-guard rules for one CSV field, shared by ``CSVWriter`` and ``CSVReader`` so they
/// stay each other's inverse.
enum CSVField {
    /// First characters that make Excel (and LibreOffice) treat a cell as a formula.
    static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Quotes a field when it holds a delimiter, a quote, a line break or edge spaces (which some readers trim),
    /// doubling the quotes inside (RFC 4180 §2.5–2.7).
    static func quotedIfNeeded(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingQuotes() + "\""
    }

    /// Adds one `'` in front of text that, after any run of `'`, starts with a formula trigger. Text that already
    /// starts with `'`s before a trigger gets one more, so ``unguarded(_:)`` can always remove exactly one.
    static func guarded(_ text: String, _ options: CSVWriter.Options) -> String {
        options.guardsFormulas && startsWithGuardedTrigger(text) ? "'" + text : text
    }

    /// Undoes ``guarded(_:_:)``.
    static func unguarded(_ text: String) -> String {
        text.first == "'" && startsWithGuardedTrigger(text) ? String(text.dropFirst()) : text
    }

    private static func startsWithGuardedTrigger(_ text: String) -> Bool {
        text.unicodeScalars.first { $0 != "'" }.map { formulaTriggers.contains(Character($0)) } ?? false
    }
}

private extension String {
    func replacingQuotes() -> String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "\"" { result.append("\"") }
        }
        return result
    }
}
