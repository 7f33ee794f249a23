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
        if let digits = unwrappedText(text) { return digits }
        return text.first == "'" && startsWithGuardedTrigger(text) ? String(text.dropFirst()) : text
    }

    /// A string of digits Excel would turn into a number and damage — 12 or more digits (an account number shown as
    /// `1.30201E+18`, and past 15 digits changed for good), or a leading zero (a code losing it) — written as the
    /// formula `="…"`, which Excel and LibreOffice show as that text, every digit kept. `nil` for anything else.
    static func keptAsText(_ text: String) -> String? {
        let digits = text.utf8
        guard digits.count >= 2, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.count >= 12 || digits.first == 48 else { return nil }
        return "=\"" + text + "\""
    }

    /// Undoes ``keptAsText(_:)``: `="…"` around digits only (a person's own text beginning with `=` was guarded with
    /// `'`, so it never reads as this).
    static func unwrappedText(_ text: String) -> String? {
        guard text.hasPrefix("=\""), text.hasSuffix("\""), text.count > 3 else { return nil }
        let inner = text.dropFirst(2).dropLast()
        return inner.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? String(inner) : nil
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
