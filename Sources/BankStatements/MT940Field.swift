/// One MT940 field: its tag (`20`, `28C`, `60F`, `61`, `86` …), the text after the tag on its first line, and the
/// continuation lines that follow it up to the next tag.
///
/// Why lines are kept apart: `:61:` and `:86:` may continue on following lines (supplementary details, remittance
/// text), every other field must fit on one line, and each error must name the line it is on.
struct MT940Field {
    var tag: String
    var firstLine: Substring
    var continuation: [Substring] = []
    /// 1-based line of the tag in the file.
    var line: Int

    /// The tag as written in the file, such as `:60F:`, for error messages.
    var name: String { ":\(tag):" }

    /// Splits a tag line such as `:60F:C100318EUR380115,12` into tag and value; `nil` when the line does not start
    /// with a SWIFT tag (two digits and an optional letter, or two letters such as `NS`, between colons).
    ///
    /// `:940:` (a Rabobank header line) has three digits, so it is not a tag and is skipped as file preamble.
    static func tagged(_ line: Substring, lineNumber: Int) -> MT940Field? {
        guard line.first == ":" else { return nil }
        let rest = line.dropFirst()
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let tag = rest[..<colon]
        let utf8 = Array(tag.utf8)
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        let isUpper = { (byte: UInt8) in byte >= 65 && byte <= 90 }
        let numeric = (utf8.count == 2 || utf8.count == 3) && isDigit(utf8[0]) && isDigit(utf8[1])
            && (utf8.count == 2 || isUpper(utf8[2]))
        let lettered = utf8.count == 2 && utf8.allSatisfy(isUpper)
        guard numeric || lettered else { return nil }
        return MT940Field(tag: String(tag), firstLine: rest[rest.index(after: colon)...], line: lineNumber)
    }

    /// The tags of MT940 that ``MT940PendingStatement`` reads: `:20:` `:21:` `:25:` `:28:`/`:28C:` `:60F:`/`:60M:`
    /// `:61:` `:86:` `:62F:`/`:62M:` `:64:` `:65:`.
    static let standardTags: Set<String> = ["20", "21", "25", "28", "28C", "60F", "60M", "61", "86", "62F", "62M",
                                            "64", "65"]

    /// Whether the tag is a field some bank adds that MT940 does not define (`:NS:`, `:13D:`, `:34F:`, `:90D:` …),
    /// kept unread with a warning.
    ///
    /// Not one of these: an unknown letter option of a standard field number (`:60:`, `:62X:`, `:61A:`, `:25P:`).
    /// Such a tag is a standard field written wrongly, possibly a balance or an entry, and setting it aside would
    /// drop an amount without a word; it is refused as before.
    var isNonStandard: Bool {
        guard !Self.standardTags.contains(tag) else { return false }
        let number = tag.prefix(2)
        return !Self.standardTags.contains { $0.hasPrefix(number) }
    }

    /// The value of a field that must fit on one line; blank continuation lines (as banks leave before `-`) are
    /// ignored.
    func singleLineValue() -> FieldResult<Substring> {
        guard continuation.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) else {
            return .failure(.malformedField(field: name, reason: "it continues on a second line"))
        }
        return .success(firstLine.trimmingTrailingSpaces())
    }

    /// All lines of a free-text field joined with line breaks, trailing blank lines removed.
    func textValue() -> String {
        var lines = [firstLine] + continuation
        while let last = lines.last, last.allSatisfy(\.isWhitespace), lines.count > 1 { lines.removeLast() }
        return lines.map { String($0.trimmingTrailingSpaces()) }.joined(separator: "\n")
    }
}

extension Substring {
    /// Drops trailing spaces and tabs (fixed-width bank fields are padded with spaces).
    func trimmingTrailingSpaces() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// Drops leading and trailing spaces and tabs.
    func trimmingSpacesBothEnds() -> Substring {
        var result = trimmingTrailingSpaces()
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        return result
    }
}
