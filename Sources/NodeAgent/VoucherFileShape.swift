import Foundation

/// Checks the shape of a voucher file before it is decoded: every object's keys are unique and known.
///
/// Why: `JSONDecoder` ignores unknown keys and keeps one of two equal keys, so a misspelt `"reveiwer"` would post a
/// voucher without a reviewer, and `{"debit": "1", "debit": "1000000"}` would post whichever value the decoder
/// kept. A clerk's typo must be refused with the field's name (issue 2/6, finding 8).
///
/// The scanner reads the structure only (objects, arrays, strings with their escapes); values are left to the
/// decoder, which runs afterwards on the same bytes. Nesting is bounded by `depthMax`.
enum VoucherFileShape {
    /// The keys each level may hold: the file object, a voucher, a line.
    static let fileKeys: Set<String> = ["vouchers"]
    static let voucherKeys: Set<String> = ["date", "memo", "preparer", "currency", "reverses", "lines", "reviewer", "approver", "org"]
    static let lineKeys: Set<String> = ["account", "debit", "credit"]
    static let depthMax = 16

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// - Throws: `Failure` naming the first duplicate or unknown field, with where it is (`vouchers[2].lines[0]`).
    static func check(_ data: Data) throws {
        var scanner = Scanner(bytes: [UInt8](data))
        scanner.skipSpace()
        try scanner.value(path: "", role: scanner.peek() == UInt8(ascii: "[") ? .voucherList : .file, depth: 0)
    }

    enum Role { case file, voucherList, voucher, lineList, line, other }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(path: String, role: Role, depth: Int) throws {
            guard depth < VoucherFileShape.depthMax else { throw Failure(description: "the file nests deeper than \(VoucherFileShape.depthMax) levels") }
            skipSpace()
            switch peek() {
            case UInt8(ascii: "{"): try object(path: path, role: role, depth: depth)
            case UInt8(ascii: "["): try array(path: path, role: role, depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case nil: return
            default:
                // A scalar: skip to the next structural character; the decoder judges it.
                while let byte = peek(), ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(byte) { index += 1 }
            }
        }

        mutating func object(path: String, role: Role, depth: Int) throws {
            index += 1
            let allowed: Set<String>? = switch role {
            case .file: VoucherFileShape.fileKeys
            case .voucher: VoucherFileShape.voucherKeys
            case .line: VoucherFileShape.lineKeys
            default: nil
            }
            var seen: Set<String> = []
            skipSpace()
            if peek() == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { return }   // malformed: the decoder says so
                let key = try string()
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard seen.insert(key).inserted else { throw Failure(description: "field '\(VoucherFileShape.printable(key))' appears twice at \(VoucherFileShape.printable(path.isEmpty ? "the top" : path))") }
                if let allowed, !allowed.contains(key) {
                    throw Failure(description: "unknown field '\(VoucherFileShape.printable(key))' at \(VoucherFileShape.printable(path.isEmpty ? "the top" : path)) "
                                  + "(expected one of: \(allowed.sorted().joined(separator: ", ")))")
                }
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { return }
                index += 1
                let childRole: Role = switch (role, key) {
                case (.file, "vouchers"): .voucherList
                case (.voucher, "lines"): .lineList
                default: .other
                }
                try value(path: here, role: childRole, depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                if peek() == UInt8(ascii: "}") { index += 1 }
                return
            }
        }

        mutating func array(path: String, role: Role, depth: Int) throws {
            index += 1
            let elementRole: Role = switch role {
            case .voucherList: .voucher
            case .lineList: .line
            default: .other
            }
            var element = 0
            skipSpace()
            if peek() == UInt8(ascii: "]") { index += 1; return }
            while true {
                try value(path: "\(path)[\(element)]", role: elementRole, depth: depth + 1)
                element += 1
                skipSpace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                if peek() == UInt8(ascii: "]") { index += 1 }
                return
            }
        }

        /// A JSON string with its escapes decoded (keys are compared as the decoder will see them).
        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
            while let byte = peek() {
                index += 1
                if byte == UInt8(ascii: "\"") { flush(); return String(scalars) }
                guard byte == UInt8(ascii: "\\") else { raw.append(byte); continue }
                flush()
                guard let escaped = peek() else { break }
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                        throw Failure(description: "a malformed \\u escape in a string")
                    }
                    index += 4
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escaped))
                }
            }
            throw Failure(description: "a string is not closed")
        }
    }

    /// A field name as it may be shown: control characters escaped, at most 64 characters.
    static func printable(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return escaped.count > 64 ? String(escaped.prefix(64)) + "…" : escaped
    }
}
