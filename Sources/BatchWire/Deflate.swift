import FSZlib

/// zlib (RFC 1950) compression of batch payloads, with a hard output limit on inflation so that a small file can
/// never expand into gigabytes (decompression bomb).
public enum Deflate {
    /// Compresses `input` at zlib `level` (1 fastest … 9 smallest; 6 is zlib's default).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var outputLength = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(outputLength))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                compress2(destination.baseAddress, &outputLength, source.baseAddress, uLong(input.count), level)
            }
        }
        precondition(status == Z_OK, "compress2 failed with status \(status)")
        output.removeSubrange(Int(outputLength)...)
        return output
    }

    /// Inflates `input`, which must decompress to exactly `expectedBytes`.
    /// - Throws: `payloadLargerThanDeclared` as soon as output would pass `expectedBytes` (nothing more is
    ///   allocated), `payloadSizeMismatch` if it ends short, `compressedDataCorrupt` for a bad stream.
    public static func inflate(_ input: ArraySlice<UInt8>, expectedBytes: Int) throws(BatchDecodingError) -> [UInt8] {
        // One spare byte: if zlib fills it, the stream is longer than declared.
        var output = [UInt8](repeating: 0, count: expectedBytes + 1)
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw BatchDecodingError(.compressedDataCorrupt("zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        var source = Array(input)
        let status: Int32 = source.withUnsafeMutableBufferPointer { sourceBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = sourceBuffer.baseAddress
                stream.avail_in = uInt(sourceBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return FSZlib.inflate(&stream, Z_FINISH)
            }
        }
        let produced = Int(stream.total_out)
        if produced > expectedBytes { throw BatchDecodingError(.payloadLargerThanDeclared(declaredBytes: expectedBytes)) }
        switch status {
        case Z_STREAM_END:
            guard stream.avail_in == 0 else {
                throw BatchDecodingError(.compressedDataCorrupt("\(stream.avail_in) bytes follow the end of the zlib stream"))
            }
            guard produced == expectedBytes else {
                throw BatchDecodingError(.payloadSizeMismatch(declaredBytes: expectedBytes, actualBytes: produced))
            }
            output.removeLast()
            return output
        case Z_BUF_ERROR:
            throw BatchDecodingError(.compressedDataCorrupt("the zlib stream ends early"))
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
            throw BatchDecodingError(.compressedDataCorrupt(message))
        }
    }
}
