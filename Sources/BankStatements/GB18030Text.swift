import Foundation

// `iconv_open`, `iconv`, `iconv_close` and `errno` come from the C library, which Foundation re-exports (Glibc on
// Linux, Darwin on macOS), so this module keeps to the imports docs/DESIGN.md §6 allows it.

/// A text encoding a bank export may be written in.
public enum BankTextEncoding: String, Hashable, Sendable, Codable, CaseIterable {
    /// UTF-8, with or without a byte-order mark (Excel writes one).
    case utf8 = "utf-8"
    /// GB18030, the national standard that contains GBK and GB2312: what Chinese banks' "CSV" and "TXT" exports
    /// usually are. `gbk` and `gb2312` in a profile file mean this too, since GB18030 reads them unchanged.
    case gb18030 = "gb18030"

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self).lowercased()
        switch text {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(text) is not utf-8 or gb18030"))
        }
    }
}

/// The text of a bank export and the encoding it was read in.
public struct DecodedBankText: Hashable, Sendable {
    public var text: String
    public var encoding: BankTextEncoding

    public init(text: String, encoding: BankTextEncoding) {
        self.text = text
        self.encoding = encoding
    }
}

/// Decodes the bytes of a bank export: UTF-8 when they are UTF-8, else GB18030 through the C library's `iconv`.
///
/// Why UTF-8 first: valid UTF-8 holding Chinese text is practically never meant as GB18030 (its three-byte
/// sequences rarely pair up into GB18030 characters), while GB18030 text with Chinese in it is almost never valid
/// UTF-8. Pure ASCII reads the same in both. Why `iconv`: Foundation on Linux has no GB18030 converter, and glibc's
/// is the reference one.
///
/// The conversion never guesses: a byte sequence that is not a GB18030 character is refused with its offset
/// (``StatementParseError/Code/undecodableText(encoding:byteOffset:incomplete:)``), never replaced by `�`.
public enum GB18030Text {
    /// Output buffer of one `iconv` call; a longer text takes more calls (`E2BIG`), never a larger buffer.
    static let chunkBytes = 64 * 1024

    /// Decodes `data` in the first of `encodings` that reads it: UTF-8 (a leading byte-order mark dropped) when
    /// the bytes are UTF-8 and `.utf8` is allowed, else GB18030 when `.gb18030` is allowed.
    /// - Throws: ``StatementParseError/Code/invalidEncoding`` (with the line) when only UTF-8 is allowed and the
    ///   bytes are not UTF-8, or when they start with a UTF-8 byte-order mark but are not UTF-8;
    ///   ``StatementParseError/Code/undecodableText(encoding:byteOffset:incomplete:)`` when they are not GB18030
    ///   either.
    public static func decode(_ data: Data,
                              encodings: [BankTextEncoding] = [.utf8, .gb18030]) throws(StatementParseError)
        -> DecodedBankText {
        let bytes = [UInt8](data)
        let hasByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = hasByteOrderMark ? bytes[3...] : bytes[...]
        let utf8 = String(validating: body, as: UTF8.self)
        if let utf8, encodings.contains(.utf8) || !encodings.contains(.gb18030) || body.allSatisfy({ $0 < 0x80 }) {
            return DecodedBankText(text: utf8, encoding: .utf8)
        }
        guard encodings.contains(.gb18030), !hasByteOrderMark else {
            throw StatementParseError(.invalidEncoding, line: StatementText.firstInvalidLine(body))
        }
        return DecodedBankText(text: try decodeGB18030(bytes), encoding: .gb18030)
    }

    /// Converts GB18030 bytes to a string.
    /// - Throws: ``StatementParseError/Code/undecodableText(encoding:byteOffset:incomplete:)`` with the 0-based
    ///   offset of the first byte that is not part of a GB18030 character (`EILSEQ`), or where a character is cut
    ///   off at the end (`EINVAL`); the error's line is the line of that byte.
    public static func decodeGB18030(_ bytes: [UInt8]) throws(StatementParseError) -> String {
        switch convert(bytes) {
        case .text(let text): return text
        case .invalid(let offset):
            throw StatementParseError(.undecodableText(encoding: "GB18030", byteOffset: offset, incomplete: false),
                                      line: line(of: offset, in: bytes))
        case .incomplete(let offset):
            throw StatementParseError(.undecodableText(encoding: "GB18030", byteOffset: offset, incomplete: true),
                                      line: line(of: offset, in: bytes))
        case .converterMissing:
            // glibc always has GB18030; a C library without it cannot read these files at all.
            throw StatementParseError(.undecodableText(encoding: "GB18030", byteOffset: 0, incomplete: false))
        }
    }

    private enum Conversion {
        case text(String)
        case invalid(offset: Int)
        case incomplete(offset: Int)
        case converterMissing
    }

    /// The `iconv` loop: convert into a bounded buffer, append what it produced, and go on after `E2BIG` (buffer
    /// full) until the input is used up; stop at `EILSEQ` (an invalid sequence) or `EINVAL` (a sequence cut off at
    /// the end of the input). The handle is closed on every path.
    private static func convert(_ bytes: [UInt8]) -> Conversion {
        guard let handle = iconv_open("UTF-8", "GB18030"), handle != iconv_t(bitPattern: -1) else {
            return .converterMissing
        }
        defer { iconv_close(handle) }
        var input = bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        var failure: Conversion?
        let total = input.count
        input.withUnsafeMutableBytes { inputBytes in
            buffer.withUnsafeMutableBytes { bufferBytes in
                var inPointer = inputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inputBytes.count
                while inLeft > 0 {
                    var outPointer = bufferBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = bufferBytes.count
                    let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    let code = errno
                    output.append(contentsOf: bufferBytes.prefix(bufferBytes.count - outLeft))
                    guard result == -1 else { continue }
                    switch code {
                    case E2BIG: continue
                    case EINVAL: failure = .incomplete(offset: total - inLeft)
                    default: failure = .invalid(offset: total - inLeft)  // EILSEQ
                    }
                    return
                }
            }
        }
        if let failure { return failure }
        return .text(String(decoding: output, as: UTF8.self))
    }

    /// The 1-based line of byte `offset`: LF is one byte in GB18030 and never part of a multi-byte character.
    private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes.prefix(offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
