import FSZlib
import Foundation

/// A read-only ZIP archive over bytes in memory: the entries of its central directory, and the bytes of any one
/// entry, stored or deflated, checked against a size limit, the declared size and the CRC-32 (PKWARE APPNOTE 6.3).
///
/// Written for files from outside, so that no file can trap, hang or exhaust memory:
/// - every offset and length read from the file is checked against the buffer before it is used;
/// - a deflated entry is inflated in chunks of ``chunkBytes``, each counted against the caller's limit before it is
///   kept, and the inflate loop ends with ``Failure/truncated`` as soon as zlib needs input that is not there. Each
///   turn of the loop must consume input or produce output, else it stops: a deflate stream cut before its last
///   block is exactly what makes ZIPFoundation 0.9.20 spin forever on Linux (weichsel/ZIPFoundation#389);
/// - the central directory is the authority for sizes, CRC-32 and method (so data descriptors need no reading);
///   the local header is only checked for its signature and skipped by its own name and extra lengths.
///
/// ZIP64, encryption, archives over several disks and methods other than stored (0) and deflate (8) are refused:
/// no workbook within ``XLSXReadLimits`` needs them, and Excel, WPS and LibreOffice write none of them.
struct ZIPArchiveReader: Sendable {
    /// One file or directory of the central directory.
    struct Entry: Hashable, Sendable {
        /// The name as stored: UTF-8 when flag bit 11 says so, else code page 437 (ASCII bytes as themselves).
        var name: String
        /// 0 stored, 8 deflate; anything else is refused by ``ZIPArchiveReader/contents(of:sizeMax:)``.
        var method: UInt16
        /// The general purpose bit flag: bit 0 encrypted, bit 3 sizes in a data descriptor, bit 11 UTF-8 name.
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        /// A name ending in `/`, or the directory attribute of the system that made the entry.
        var isDirectory: Bool
        /// A Unix symbolic link (its data is the link's target, not a file).
        var isSymbolicLink: Bool

        var isEncrypted: Bool { flags & 0x0001 != 0 }
        /// Neither a directory nor a symbolic link: what a package part is.
        var isFile: Bool { !isDirectory && !isSymbolicLink }
    }

    /// Why an archive, or one entry of it, cannot be read. Entry failures do not name the entry: the caller does.
    enum Failure: Error, Hashable, Sendable {
        /// No end of central directory record in the last 65,557 bytes.
        case notAZip
        /// A ZIP64 marker (a count of 0xFFFF, a size or offset of 0xFFFFFFFF) where the record's value belongs.
        case zip64
        /// The end record or the central directory is inconsistent; `reason` is an English clause.
        case corruptDirectory(reason: String)
        case encrypted
        case unsupportedCompression(method: UInt16)
        /// The central directory declares more bytes than the caller's limit: nothing was inflated.
        case declaredPastLimit(declaredBytes: Int)
        /// The entry inflated past the caller's limit although its declared size is within it.
        case inflatesPastLimit
        /// The entry's data ends before its deflate stream does (or runs past the end of the file).
        case truncated
        /// A bad local header, a stored entry with two sizes, invalid deflate data; `reason` is an English clause.
        case corruptEntry(reason: String)
        case sizeMismatch(declaredBytes: Int, actualBytes: Int)
        case checksumMismatch
    }

    /// Output chunk of the inflate loop: the most memory a lying header can make it allocate past the limit.
    static let chunkBytes = 64 * 1024
    /// The end record (22 bytes) plus the longest comment it can announce.
    static let endRecordSearchBytes = 22 + 0xFFFF

    private static let endRecordSignature: UInt32 = 0x0605_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    private let bytes: [UInt8]
    /// The entries in central directory order, directories and links included.
    let entries: [Entry]

    /// Reads the end record and the central directory of `bytes`; no entry is read yet.
    init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        let end = try Self.endRecordOffset(in: bytes)
        let diskNumber = Self.uint16(bytes, end + 4)
        let directoryDisk = Self.uint16(bytes, end + 6)
        let entriesOnDisk = Self.uint16(bytes, end + 8)
        let entryCount = Self.uint16(bytes, end + 10)
        let directorySize = Self.uint32(bytes, end + 12)
        let directoryOffset = Self.uint32(bytes, end + 16)
        guard diskNumber != 0xFFFF, directoryDisk != 0xFFFF, entriesOnDisk != 0xFFFF, entryCount != 0xFFFF,
              directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else { throw .zip64 }
        guard diskNumber == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw .corruptDirectory(reason: "the archive says it spans several disks")
        }
        // Int from UInt32: no overflow on a 64-bit Int.
        let start = Int(directoryOffset)
        let directoryEnd = start + Int(directorySize)
        guard directoryEnd <= end else {
            throw .corruptDirectory(reason: "the central directory (bytes \(start) to \(directoryEnd)) does not end "
                                        + "before the end record at byte \(end)")
        }
        entries = try Self.centralDirectory(bytes, from: start, to: directoryEnd, count: Int(entryCount))
    }

    /// The bytes of `entry`, which must come from ``entries``.
    ///
    /// The declared size is checked against `sizeMax` before a byte is inflated; the inflated bytes are counted
    /// against it as they come, since the declaration can lie; the result must then have exactly the declared size
    /// and CRC-32.
    func contents(of entry: Entry, sizeMax: Int) throws(Failure) -> Data {
        guard !entry.isEncrypted else { throw .encrypted }
        guard entry.method == 0 || entry.method == 8 else { throw .unsupportedCompression(method: entry.method) }
        let limit = max(0, sizeMax)
        guard entry.uncompressedSize <= limit else { throw .declaredPastLimit(declaredBytes: entry.uncompressedSize) }
        let header = entry.localHeaderOffset
        guard header >= 0, header <= bytes.count - 30, Self.uint32(bytes, header) == Self.localHeaderSignature else {
            throw .corruptEntry(reason: "there is no local file header at byte \(header)")
        }
        // The local lengths, which may differ from the central ones (Info-ZIP writes other extra fields there).
        let dataStart = header + 30 + Int(Self.uint16(bytes, header + 26)) + Int(Self.uint16(bytes, header + 28))
        guard entry.compressedSize >= 0, entry.compressedSize <= bytes.count - dataStart else { throw .truncated }
        let compressed = bytes[dataStart..<(dataStart + entry.compressedSize)]

        let data: Data, checksum: UInt32
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .corruptEntry(reason: "it is stored uncompressed, yet it declares \(entry.compressedSize) "
                                        + "bytes stored and \(entry.uncompressedSize) bytes of content")
            }
            data = Data(compressed)
            checksum = Self.crc32(of: compressed)
        } else {
            let inflated = try Self.inflate(compressed, sizeMax: limit, expectedBytes: entry.uncompressedSize)
            data = inflated.data
            checksum = inflated.checksum
        }
        guard data.count == entry.uncompressedSize else {
            throw .sizeMismatch(declaredBytes: entry.uncompressedSize, actualBytes: data.count)
        }
        guard checksum == entry.crc32 else { throw .checksumMismatch }
        return data
    }

    // MARK: The directory

    /// The offset of the end of central directory record: the last signature, searching back from the end, whose
    /// comment fits in the file.
    private static func endRecordOffset(in bytes: [UInt8]) throws(Failure) -> Int {
        guard bytes.count >= 22 else { throw .notAZip }
        let lowest = max(0, bytes.count - endRecordSearchBytes)
        var offset = bytes.count - 22
        while offset >= lowest {
            if bytes[offset] == 0x50, uint32(bytes, offset) == endRecordSignature,
               offset + 22 + Int(uint16(bytes, offset + 20)) <= bytes.count {
                return offset
            }
            offset -= 1
        }
        throw .notAZip
    }

    private static func centralDirectory(_ bytes: [UInt8], from start: Int, to end: Int,
                                         count: Int) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(min(count, (end - start) / 46))
        var offset = start
        for index in 0..<count {
            let number = index + 1
            guard offset <= end - 46, uint32(bytes, offset) == centralHeaderSignature else {
                throw .corruptDirectory(reason: "entry \(number) of \(count) is missing from the central directory")
            }
            let versionMadeBy = uint16(bytes, offset + 4)
            let flags = uint16(bytes, offset + 8)
            let method = uint16(bytes, offset + 10)
            let crc32 = uint32(bytes, offset + 16)
            let compressedSize = uint32(bytes, offset + 20)
            let uncompressedSize = uint32(bytes, offset + 24)
            let nameLength = Int(uint16(bytes, offset + 28))
            let extraLength = Int(uint16(bytes, offset + 30))
            let commentLength = Int(uint16(bytes, offset + 32))
            let startDisk = uint16(bytes, offset + 34)
            let externalAttributes = uint32(bytes, offset + 38)
            let localHeaderOffset = uint32(bytes, offset + 42)
            let next = offset + 46 + nameLength + extraLength + commentLength
            guard next <= end else {
                throw .corruptDirectory(reason: "entry \(number) of \(count) runs past the end of the central "
                                            + "directory")
            }
            guard compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF,
                  localHeaderOffset != 0xFFFF_FFFF, startDisk != 0xFFFF else { throw .zip64 }
            guard startDisk == 0 else {
                throw .corruptDirectory(reason: "entry \(number) of \(count) says it starts on another disk")
            }
            let name = decodedName(bytes[(offset + 46)..<(offset + 46 + nameLength)], isUTF8: flags & 0x0800 != 0)
            // The upper byte of "version made by" is the system: 0 MS-DOS, 3 Unix, 19 macOS.
            let system = versionMadeBy >> 8
            let unixType = (externalAttributes >> 16) & 0o170000
            let isUnix = system == 3 || system == 19
            let isDirectory = name.hasSuffix("/") || (isUnix && unixType == 0o040000)
                || (system == 0 && externalAttributes & 0x10 != 0)
            entries.append(Entry(name: name, method: method, flags: flags, crc32: crc32,
                                 compressedSize: Int(compressedSize), uncompressedSize: Int(uncompressedSize),
                                 localHeaderOffset: Int(localHeaderOffset), isDirectory: isDirectory,
                                 isSymbolicLink: isUnix && unixType == 0o120000))
            offset = next
        }
        return entries
    }

    /// Bytes 0x80–0xFF of code page 437, the encoding of a name without the UTF-8 flag (bytes below are ASCII).
    static let codePage437High: [Unicode.Scalar] = Array((
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐"
            + "└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}").unicodeScalars)

    static func decodedName(_ raw: ArraySlice<UInt8>, isUTF8: Bool) -> String {
        if isUTF8 || raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in raw {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : codePage437High[Int(byte) - 0x80])
        }
        return String(scalars)
    }

    // MARK: Inflate and CRC-32

    /// How the inflate loop ended; the loop itself throws nothing, as it runs inside the buffers' closures.
    private enum InflateEnd {
        case streamEnd
        case pastLimit
        case truncated
        case corrupt(String)
    }

    /// Inflates raw deflate data (no zlib header: window bits -15), at most `sizeMax` bytes, and its CRC-32.
    ///
    /// Every turn of the loop gives zlib a fresh output chunk, so a call that makes no progress can only mean the
    /// input is used up before the end of the stream: that, and `Z_BUF_ERROR`, end the loop as ``Failure/truncated``.
    /// A turn that ends with `Z_OK` has consumed input or produced output, input is finite and output is bounded
    /// by `sizeMax`, so the loop always ends.
    private static func inflate(_ input: ArraySlice<UInt8>, sizeMax: Int,
                                expectedBytes: Int) throws(Failure) -> (data: Data, checksum: UInt32) {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptEntry(reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = Data(capacity: max(0, min(expectedBytes, sizeMax)))
        var checksum = FSZlib.crc32(0, nil, 0)
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        let end: InflateEnd = input.withUnsafeBufferPointer { source -> InflateEnd in
            chunk.withUnsafeMutableBufferPointer { buffer in
                // zlib does not write through next_in; the pointer is mutable only for want of ZLIB_CONST.
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(clamping: source.count)
                while true {
                    let availableBefore = stream.avail_in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(clamping: buffer.count)
                    let status = FSZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = buffer.count - Int(stream.avail_out)
                    let consumed = availableBefore - stream.avail_in
                    if produced > 0 {
                        guard produced <= sizeMax - output.count else { return .pastLimit }
                        output.append(buffer.baseAddress!, count: produced)
                        checksum = FSZlib.crc32(checksum, UnsafePointer(buffer.baseAddress), uInt(clamping: produced))
                    }
                    switch status {
                    case Z_STREAM_END:
                        // Bytes after the end of the stream are left alone: the size and CRC-32 decide.
                        return .streamEnd
                    case Z_OK:
                        // Output room left over means zlib stopped for want of input, and there is none left.
                        if stream.avail_in == 0 && stream.avail_out > 0 { return .truncated }
                        // zlib returns Z_OK only after progress; checked anyway, so no turn can repeat the last.
                        if produced == 0 && consumed == 0 { return .truncated }
                    case Z_BUF_ERROR:
                        // No progress was possible with a whole chunk of room: the input ended early.
                        return .truncated
                    case Z_DATA_ERROR:
                        return .corrupt(stream.msg.map { String(cString: $0) } ?? "invalid deflate data")
                    case Z_MEM_ERROR:
                        return .corrupt("zlib ran out of memory")
                    default:
                        return .corrupt("zlib status \(status)")
                    }
                }
            }
        }
        switch end {
        case .streamEnd: return (output, UInt32(truncatingIfNeeded: checksum))
        case .pastLimit: throw .inflatesPastLimit
        case .truncated: throw .truncated
        case .corrupt(let message): throw .corruptEntry(reason: "its deflate data is invalid (\(message))")
        }
    }

    /// zlib's CRC-32, fed in pieces that fit its 32-bit length.
    private static func crc32(of bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer -> UInt32 in
            var checksum = FSZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, 1 << 30)
                checksum = FSZlib.crc32(checksum, buffer.baseAddress! + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: checksum)
        }
    }

    // MARK: Little-endian fields (the caller has checked that the record fits in `bytes`)

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
