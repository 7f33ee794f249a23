import Foundation

/// Reads RFC 4180 CSV back into records of fields: the inverse of ``CSVWriter``, used by round-trip tests and by
/// anything that re-imports a report.
///
/// Accepts what RFC 4180 allows and what Excel writes: an optional UTF-8 BOM, CRLF, LF or CR line ends, quoted
/// fields with doubled quotes and embedded commas and line breaks, and no final line end. It is strict where being
/// lenient would guess: a stray quote inside an unquoted field, or text after a closing quote, is an error.
///
/// ```swift
/// let records = try CSVReader.records(from: Data(contentsOf: url))
/// ```
public enum CSVReader {
    /// Splits CSV bytes into records of fields (the header is just the first record).
    /// - Throws: ``CSVParsingError`` for input over ``ReportLimits/csvInputBytesMax`` (checked before reading),
    ///   bytes that are not UTF-8, or broken quoting; the error carries the record index and byte offset.
    public static func records(from data: Data) throws(CSVParsingError) -> [[String]] {
        guard data.count <= ReportLimits.csvInputBytesMax else {
            throw CSVParsingError(.inputTooLarge(sizeBytes: data.count, sizeBytesMax: ReportLimits.csvInputBytesMax))
        }
        guard String(data: data, encoding: .utf8) != nil else { throw CSVParsingError(.invalidUTF8) }
        let bytes = [UInt8](data)
        let start = bytes.starts(with: CSVWriter.byteOrderMark) ? CSVWriter.byteOrderMark.count : 0
        var parser = CSVRecordParser(bytes: bytes, offset: start)
        return try parser.parseAll()
    }
}

/// The byte-level state of one parse. Working on UTF-8 bytes is safe because every delimiter is ASCII, and a
/// multi-byte UTF-8 sequence never contains an ASCII byte.
struct CSVRecordParser {
    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r"), lineFeed = UInt8(ascii: "\n")

    let bytes: [UInt8]
    var offset: Int
    private var records: [[String]] = []

    init(bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func parseAll() throws(CSVParsingError) -> [[String]] {
        while offset < bytes.count {
            guard records.count < ReportLimits.csvRecordCountMax else {
                throw error(.tooManyRecords(recordCountMax: ReportLimits.csvRecordCountMax))
            }
            records.append(try parseRecord())
        }
        return records
    }

    /// Parses fields up to and including the record's line end (or the end of input).
    private mutating func parseRecord() throws(CSVParsingError) -> [String] {
        var fields: [String] = []
        while true {
            let isQuoted = offset < bytes.count && bytes[offset] == Self.quote
            fields.append(isQuoted ? try parseQuotedField() : try parseUnquotedField())
            guard fields.count <= ReportLimits.csvFieldCountMax else {
                throw error(.tooManyFields(fieldCountMax: ReportLimits.csvFieldCountMax))
            }
            guard offset < bytes.count else { return fields }
            let byte = bytes[offset]
            offset += 1
            if byte == Self.comma { continue }
            if byte == Self.carriageReturn, offset < bytes.count, bytes[offset] == Self.lineFeed { offset += 1 }
            return fields
        }
    }

    /// Reads up to the next comma or line end, leaving `offset` on it.
    private mutating func parseUnquotedField() throws(CSVParsingError) -> String {
        let start = offset
        while offset < bytes.count, !isDelimiter(bytes[offset]) {
            if bytes[offset] == Self.quote { throw error(.quoteInUnquotedField) }
            offset += 1
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// Reads from an opening quote past its closing quote, turning `""` into `"`.
    private mutating func parseQuotedField() throws(CSVParsingError) -> String {
        let opening = offset
        offset += 1
        var field: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            guard byte == Self.quote else { field.append(byte); continue }
            guard offset < bytes.count, bytes[offset] == Self.quote else { return try closed(field) }
            field.append(Self.quote)
            offset += 1
        }
        offset = opening
        throw error(.unterminatedQuote)
    }

    private func closed(_ field: [UInt8]) throws(CSVParsingError) -> String {
        guard offset == bytes.count || isDelimiter(bytes[offset]) else { throw error(.characterAfterClosingQuote) }
        return String(decoding: field, as: UTF8.self)
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == Self.comma || byte == Self.carriageReturn || byte == Self.lineFeed
    }

    private func error(_ code: CSVParsingError.Code) -> CSVParsingError {
        CSVParsingError(code, recordIndex: records.count, byteOffset: offset)
    }
}
