/// An institution code (机构编码): the identity of an org unit, and of the node that keeps its books.
///
/// Realistic codes are administrative-division codes such as `340000` (province) or `340122` (a county), but any
/// 1–32 ASCII letters, digits, `.`, `_` or `-` are accepted so that subsidiaries can use their own numbering. The
/// same characters are safe in file names, which matters because batch files are named after their sender.
public struct OrgCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard (1...Limits.orgCodeBytesMax).contains(rawValue.utf8.count),
              rawValue.utf8.allSatisfy(OrgCode.isAllowed) else { return nil }
        self.rawValue = rawValue
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    public static func < (lhs: OrgCode, rhs: OrgCode) -> Bool { Array(lhs.rawValue.utf8).lexicographicallyPrecedes(rhs.rawValue.utf8) }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = OrgCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an org code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
