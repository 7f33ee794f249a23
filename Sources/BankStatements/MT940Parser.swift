import Foundation

/// Reads SWIFT MT940 customer statement messages into ``BankStatement``s: every statement of the file, or an error.
///
/// What it accepts, and why:
/// - Several statements per file, each starting at `:20:`. A statement ends at the next `:20:`, at a line starting
///   with `-` after its closing balance (`-`, `-}` of a SWIFT block 4, ING's `-XXX`), or at the end of the file —
///   with or without a final line break.
/// - Lines before a `:20:` that are not MT940 fields are transport headers and skipped (`{1:F01…}{2:…}{3:…}{4:`,
///   a `{5:{CHK:…}}` trailer, ABN AMRO's `ABNANL2A` / `940`, ING's `0000 01INGBNL2AXXXX00001`, Rabobank's
///   `:940:`), so SWIFT messages may follow each other back to back.
/// - The SOH (U+0001) and ETX (U+0003) that SWIFT transfer files put around each message (``MT940Framing``).
/// - Fields some banks add that MT940 does not define (`:NS:` …): kept unread, with a warning
///   (``BankStatement/extraFields``, ``BankStatement/warnings``).
/// - Blank and padded parts of `:61:` that cannot mean anything else (``MT940StatementLine``).
/// - The same `:20:` on every statement (some banks write all zeros): a statement is told apart by its account,
///   `:28C:` number and dates, not by its reference, so the parser never compares references.
/// - LF, CRLF or CR line breaks; UTF-8, or Windows-1252 when the bytes are not UTF-8 (`StatementText`).
///
/// What it refuses: a statement field before any `:20:` (a fragment, not a file), a field out of SWIFT order or
/// twice in one statement, a statement without `:25:`, `:28C:`, `:60F:`/`:60M:` or `:62F:`/`:62M:`, a
/// closing balance in another currency, an amount that is not exact in the currency, an unknown letter option of
/// a standard field (`:60:`, `:62X:`), and control characters other than the message framing.
///
/// ```swift
/// let statements = try MT940Parser.parse(Data(contentsOf: url))
/// for statement in statements { try statement.validateBalances() }
/// ```
public enum MT940Parser {
    /// Parses the bytes of an MT940 file.
    /// - Throws: ``StatementParseError`` with ``StatementFormat/mt940`` and the file line.
    public static func parse(_ data: Data) throws(StatementParseError) -> [BankStatement] {
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: BankStatementLimits.fileBytesMax),
                                      format: .mt940)
        }
        return try parse(text: StatementText.decode(data, format: .mt940, legacyFallback: true))
    }

    /// Parses MT940 text (already decoded).
    public static func parse(text: String) throws(StatementParseError) -> [BankStatement] {
        let lines = try StatementText.lines(MT940Framing.removingControlCharacters(text), format: .mt940)
        var reader = MT940Reader()
        for (index, line) in lines.enumerated() {
            try reader.read(line, lineNumber: index + 1)
        }
        try reader.finish(lastLine: max(1, lines.count))
        guard !reader.statements.isEmpty else { throw StatementParseError(.noStatements, format: .mt940) }
        return reader.statements
    }
}

/// The line-by-line state machine behind ``MT940Parser``: which statement is open, which field is being read.
struct MT940Reader {
    private(set) var statements: [BankStatement] = []
    private var open: MT940PendingStatement?
    private var field: MT940Field?
    private var fieldBytes = 0

    /// Reads the next line.
    /// - Throws: the error, with the line of the field it is about (a field is checked when the next one starts).
    mutating func read(_ line: Substring, lineNumber: Int) throws(StatementParseError) {
        if let tagged = MT940Field.tagged(line, lineNumber: lineNumber) {
            try finishField()
            if tagged.tag == "20" {
                try finishStatement(atEndOfFile: false, line: lineNumber)
                open = try Self.startStatement(tagged, count: statements.count)
                field = tagged  // so that a continuation line of `:20:` is refused like any other
                fieldBytes = line.utf8.count
            } else if open == nil {
                throw Self.error(.unexpectedField(field: tagged.name,
                                                  reason: "it comes before the :20: that starts a statement"), lineNumber)
            } else {
                field = tagged
                fieldBytes = line.utf8.count
            }
        } else if open != nil {
            try continueField(line, lineNumber: lineNumber)
        }
        // Lines outside a statement are transport headers or trailers: skipped, see `MT940Parser`.
    }

    mutating func finish(lastLine: Int) throws(StatementParseError) {
        try finishField()
        try finishStatement(atEndOfFile: true, line: lastLine)
    }

    private static func error(_ code: StatementParseError.Code, _ line: Int) -> StatementParseError {
        StatementParseError(code, format: .mt940, line: line)
    }

    private static func startStatement(_ tagged: MT940Field,
                                       count: Int) throws(StatementParseError) -> MT940PendingStatement {
        guard count < BankStatementLimits.statementCountMax else {
            throw error(.limitExceeded(what: "statements", count: count + 1,
                                       countMax: BankStatementLimits.statementCountMax), tagged.line)
        }
        let reference: Substring
        switch tagged.singleLineValue() {
        case .success(let value): reference = value
        case .failure(let code): throw error(code, tagged.line)
        }
        guard !reference.isEmpty, reference.count <= 35 else {
            throw error(.malformedField(field: tagged.name, reason: "the reference must be 1 to 35 characters"),
                        tagged.line)
        }
        return MT940PendingStatement(reference: String(reference), line: tagged.line)
    }

    /// A line without a tag inside a statement: the end of the statement (`-` after its closing balance) or the
    /// next line of the field being read.
    private mutating func continueField(_ line: Substring, lineNumber: Int) throws(StatementParseError) {
        let closingRead = open?.closing != nil || (field.map { $0.tag.hasPrefix("62") } ?? false)
        if line.first == "-", closingRead {
            try finishField()
            try finishStatement(atEndOfFile: false, line: lineNumber)
            return
        }
        guard field != nil else { return }  // blank lines between a finished field and the next tag
        fieldBytes += line.utf8.count + 1
        guard fieldBytes <= BankStatementLimits.textBytesMax else {
            throw Self.error(.limitExceeded(what: "bytes in one field", count: fieldBytes,
                                            countMax: BankStatementLimits.textBytesMax), lineNumber)
        }
        field?.continuation.append(line)
    }

    private mutating func finishField() throws(StatementParseError) {
        guard let pending = field else { return }
        field = nil
        if let code = open?.apply(pending) { throw Self.error(code, pending.line) }
    }

    /// Closes the open statement at `line` (the next `:20:`, the `-` line, or the file's last line).
    private mutating func finishStatement(atEndOfFile: Bool, line: Int) throws(StatementParseError) {
        guard let statement = open else { return }
        if let missing = statement.firstMissingField {
            throw Self.error(atEndOfFile ? .truncated(missing: missing) : .missingField(missing), line)
        }
        statements.append(statement.statement())
        open = nil
    }
}

/// The control characters of SWIFT transfer files around each message — SOH (U+0001) before its `{1:` basic
/// header block, ETX (U+0003) after its last block (`-}` or a `{5:…}` trailer), with space padding between ETX and
/// the next SOH (the fixed-size sectors of the DOS-PCC format) — removed so that the blocks and the text block are
/// read as in a file without them.
///
/// Only those places count: a SOH not directly before `{1:`, or an ETX not at the start of a line or directly after
/// the `}` that ends a framing line (one starting with `-}` or `{`), is left in place and refused by
/// `StatementText` as a control character, with its line. Removing characters inside a line keeps every line
/// number.
enum MT940Framing {
    static let startOfHeading: Character = "\u{01}"
    static let endOfText: Character = "\u{03}"

    /// `text` without its framing SOH and ETX; the same text when it has none.
    static func removingControlCharacters(_ text: String) -> String {
        guard text.contains(where: { $0 == startOfHeading || $0 == endOfText }) else { return text }
        // Splitting and joining with LF keeps the lines `StatementText.lines` will find (it splits on LF, CRLF
        // and CR alike), so line numbers do not move.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        return lines.map(removingControlCharacters(line:)).joined(separator: "\n")
    }

    /// One line without its framing SOH and ETX.
    static func removingControlCharacters(line: Substring) -> String {
        guard line.contains(where: { $0 == startOfHeading || $0 == endOfText }) else { return String(line) }
        var kept = ""
        var keptIsBlank = true  // nothing but spaces kept so far
        var onlyPaddingSinceEndOfText = false  // after a framing ETX, nothing but spaces so far
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            let next = line.index(after: index)
            if character == endOfText, keptIsBlank || endsFramingLine(kept) {
                onlyPaddingSinceEndOfText = true
            } else if character == startOfHeading, onlyPaddingSinceEndOfText || keptIsBlank,
                      line[next...].hasPrefix("{1:") {
                onlyPaddingSinceEndOfText = false
            } else {
                kept.append(character)
                if character != " " {
                    keptIsBlank = false
                    onlyPaddingSinceEndOfText = false
                }
            }
            index = next
        }
        return kept
    }

    /// Whether an ETX after `kept` ends a message: right after the `}` that ends the text block's `-}` line or a
    /// trailer line such as `{5:{CHK:…}}`. (An ETX at the start of a line, or after padding, ends one too.)
    private static func endsFramingLine(_ kept: String) -> Bool {
        kept.last == "}" && (kept.hasPrefix("-}") || kept.hasPrefix("{"))
    }
}
