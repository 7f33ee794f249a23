/// Appends big-endian integers and length-prefixed strings; the mirror of `ByteReader`.
///
/// - precondition: lengths fit their prefix. Callers check limits first (an over-long string handed to the writer
///   is a programmer error, not bad input).
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    package mutating func write(_ value: UInt8) { bytes.append(value) }

    package mutating func write(_ value: UInt16) { writeBigEndian(UInt64(value), width: 2) }

    package mutating func write(_ value: UInt32) { writeBigEndian(UInt64(value), width: 4) }

    package mutating func write(_ value: UInt64) { writeBigEndian(value, width: 8) }

    package mutating func write(_ value: Int64) { writeBigEndian(UInt64(bitPattern: value), width: 8) }

    private mutating func writeBigEndian(_ value: UInt64, width: Int) {
        var shift = (width - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }

    package mutating func write<S: Sequence<UInt8>>(contentsOf data: S) { bytes.append(contentsOf: data) }

    package mutating func writeString8(_ text: String) {
        let utf8 = Array(text.utf8)
        precondition(utf8.count <= Int(UInt8.max), "string too long for an 8-bit length: \(utf8.count) bytes")
        write(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    package mutating func writeString16(_ text: String) {
        let utf8 = Array(text.utf8)
        precondition(utf8.count <= Int(UInt16.max), "string too long for a 16-bit length: \(utf8.count) bytes")
        write(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    package mutating func writeString32(_ text: String) {
        let utf8 = Array(text.utf8)
        precondition(utf8.count <= Int(UInt32.max), "string too long for a 32-bit length")
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Overwrites a previously written big-endian `UInt32` at `offset` (used for length prefixes).
    package mutating func patch(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * index)) }
    }
}
