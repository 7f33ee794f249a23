/// Turns table titles into sheet names Excel accepts: Excel refuses to open (or "repairs") a workbook whose sheet
/// names break its rules, so the rules are applied here rather than left to whoever writes the titles.
///
/// The rules: 1 to 31 UTF-16 units; none of `[ ] : * ? / \`; no `'` at either end; not the reserved "History";
/// unique without regard to case.
public enum SheetNames {
    /// Characters Excel forbids in a sheet name.
    static let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// One valid, unique sheet name per title, in order. Forbidden and control characters become `_`, long titles
    /// are cut at a character boundary, an empty title becomes `SheetN`, and repeats get ` (2)`, ` (3)`…
    public static func unique(for titles: [String]) -> [String] {
        var used: Set<String> = []
        return titles.enumerated().map { index, title in
            let base = sanitized(title, fallback: "Sheet\(index + 1)")
            var candidate = base
            var copy = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(copy))"
                candidate = shortened(base, lengthUTF16Max: ReportLimits.excelSheetNameLengthUTF16Max
                                      - suffix.utf16.count) + suffix
                copy += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    static func sanitized(_ title: String, fallback: String) -> String {
        let replaced = String(title.map { forbidden.contains($0) || isControl($0) ? "_" : $0 })
        let cut = shortened(trimmingApostrophes(replaced), lengthUTF16Max: ReportLimits.excelSheetNameLengthUTF16Max)
        let name = trimmingApostrophes(cut)
        return name.isEmpty || name.lowercased() == "history" ? fallback : name
    }

    /// `text` within `lengthUTF16Max` UTF-16 units, cut at a word boundary (8: "Intercompany difference adjustments"
    /// becomes "Intercompany difference", not "…adjustm") when the last space leaves at least half the room; text
    /// without spaces (Chinese) is cut between characters.
    static func shortened(_ text: String, lengthUTF16Max: Int) -> String {
        let cut = truncated(text, lengthUTF16Max: lengthUTF16Max)
        guard cut.count < text.count, text[text.index(text.startIndex, offsetBy: cut.count)] != " ",
              let space = cut.lastIndex(of: " ") else { return cut.trimmingTrailing() }
        let word = String(cut[..<space]).trimmingTrailing()
        return word.utf16.count * 2 >= lengthUTF16Max ? word : cut.trimmingTrailing()
    }

    /// The longest prefix of whole characters within `lengthUTF16Max` UTF-16 units (Excel counts UTF-16 units, so
    /// an emoji or a CJK Extension B name character counts as two).
    static func truncated(_ text: String, lengthUTF16Max: Int) -> String {
        var result = ""
        var length = 0
        for character in text {
            length += character.utf16.count
            guard length <= lengthUTF16Max else { break }
            result.append(character)
        }
        return result
    }

    private static func trimmingApostrophes(_ text: String) -> String {
        String(text.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed())
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

private extension String {
    /// Without trailing spaces and the punctuation a cut leaves (`,`, `-`, `–`, `(`).
    func trimmingTrailing() -> String {
        String(reversed().drop { " ,-–(".contains($0) }.reversed())
    }
}
