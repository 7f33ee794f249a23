import Foundation

/// Turns the bytes of a text statement file (MT940, CSV) into numbered lines, refusing binary data.
///
/// Why a shared step: both text formats must agree on what a line is (LF, CRLF or a lone CR, with or without a
/// final line break) so that every error's line number matches what the clerk sees in an editor.
enum StatementText {
    /// Decodes `data` as UTF-8 (a leading byte-order mark is dropped). When `legacyFallback` is set and the bytes
    /// are not UTF-8, they are read as Windows-1252, the code page German and Dutch banks use for MT940 umlauts;
    /// a wrong guess there can only change letters in free text, never a digit or a tag, which are ASCII in both.
    static func decode(_ data: Data, format: StatementFormat,
                       legacyFallback: Bool) throws(StatementParseError) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if legacyFallback, let text = String(data: Data(bytes), encoding: .windowsCP1252) { return text }
        throw StatementParseError(.invalidEncoding, format: format, line: firstInvalidLine(bytes))
    }

    /// The lines of `text`, without their line breaks; line `n` of the file is element `n - 1`.
    ///
    /// - Throws: ``StatementParseError/Code/controlCharacter(scalar:)`` for any C0 or C1 control character other
    ///   than tab: such bytes mean the file is binary or corrupted, and MT940's character set has none.
    static func lines(_ text: String, format: StatementFormat) throws(StatementParseError) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }  // the final line break ends a line
        for (index, line) in lines.enumerated() {
            if let scalar = line.unicodeScalars.first(where: isForbiddenControl) {
                throw StatementParseError(.controlCharacter(scalar: scalar.value), format: format, line: index + 1)
            }
        }
        return lines
    }

    /// C0 controls other than tab, and C1 controls: binary data, not a statement (shared by every text reader here).
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// The line of the first byte sequence that is not UTF-8, for the encoding error.
    static func firstInvalidLine<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int where Bytes.Index == Int {
        var line = 1
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}
