/// Reads big-endian integers and length-prefixed strings from a byte buffer, checking every length before
/// touching memory. Errors carry the byte offset where the read failed.
package struct ByteReader {
    package let bytes: [UInt8]
    package private(set) var offset: Int
    package let end: Int
    /// Added to `offset` in errors so that payload offsets and file offsets are reported in their own frame.
    package let reportingBase: Int

    package init(_ bytes: [UInt8], range: Range<Int>? = nil, reportingBase: Int = 0) {
        self.bytes = bytes
        self.offset = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        self.reportingBase = reportingBase
    }

    package var remaining: Int { end - offset }
    package var position: Int { offset + reportingBase }

    package mutating func require(_ count: Int) throws(RecordDecodingError) {
        guard count >= 0, count <= remaining else {
            throw RecordDecodingError(.truncated(needBytes: count - remaining), byteOffset: position)
        }
    }

    package mutating func readUInt8() throws(RecordDecodingError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    package mutating func readUInt16() throws(RecordDecodingError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readBigEndian(2))
    }

    package mutating func readUInt32() throws(RecordDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readBigEndian(4))
    }

    package mutating func readUInt64() throws(RecordDecodingError) -> UInt64 {
        try readBigEndian(8)
    }

    package mutating func readInt64() throws(RecordDecodingError) -> Int64 {
        Int64(bitPattern: try readBigEndian(8))
    }

    private mutating func readBigEndian(_ width: Int) throws(RecordDecodingError) -> UInt64 {
        try require(width)
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    package mutating func readBytes(_ count: Int) throws(RecordDecodingError) -> ArraySlice<UInt8> {
        try require(count)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads `count` bytes that must be valid UTF-8.
    package mutating func readUTF8(_ count: Int, what: String) throws(RecordDecodingError) -> String {
        let start = position
        let slice = try readBytes(count)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw RecordDecodingError(.malformed("\(what) is not valid UTF-8"), byteOffset: start)
        }
        return text
    }

    package mutating func readString8(what: String) throws(RecordDecodingError) -> String {
        try readUTF8(Int(try readUInt8()), what: what)
    }

    package mutating func readString16(what: String) throws(RecordDecodingError) -> String {
        try readUTF8(Int(try readUInt16()), what: what)
    }

    package mutating func readString32(what: String) throws(RecordDecodingError) -> String {
        try readUTF8(Int(try readUInt32()), what: what)
    }
}
