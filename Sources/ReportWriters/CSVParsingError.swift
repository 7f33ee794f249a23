/// Why CSV input could not be read: the error type of ``CSVReader``.
///
/// It says where (record number and byte offset) so a user can find the spot in an editor; field contents are
/// never put in ``description``.
public struct CSVParsingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case inputTooLarge(sizeBytes: Int, sizeBytesMax: Int)
        case invalidUTF8
        /// A quoted field with no closing quote before the end of input.
        case unterminatedQuote
        /// Something other than `,` or a line end right after a closing quote.
        case characterAfterClosingQuote
        /// A `"` inside a field that did not start with one (RFC 4180 §2.5 requires quoting).
        case quoteInUnquotedField
        case tooManyRecords(recordCountMax: Int)
        case tooManyFields(fieldCountMax: Int)
        /// The first record is not the expected header.
        case headerMismatch(columnIndex: Int)
        case fieldCountMismatch(fieldCount: Int, columnCount: Int)
        /// Only a header was expected and found, or nothing at all, yet a totals row was asked for.
        case missingTotalsRow
    }

    public var code: Code
    /// 0-based record index (the header is record 0); a record can span lines when a field holds a line break.
    public var recordIndex: Int?
    /// Offset into the input, BOM included, where the problem was found.
    public var byteOffset: Int?

    public init(_ code: Code, recordIndex: Int? = nil, byteOffset: Int? = nil) {
        self.code = code
        self.recordIndex = recordIndex
        self.byteOffset = byteOffset
    }

    public var description: String {
        var place: [String] = []
        if let recordIndex { place.append("record \(recordIndex)") }
        if let byteOffset { place.append("byte \(byteOffset)") }
        return place.isEmpty ? "\(code)" : "\(code) at \(place.joined(separator: ", "))"
    }
}
