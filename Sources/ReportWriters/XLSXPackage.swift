import Foundation

/// The ZIP package of a workbook: its parts by name, each extracted within ``XLSXReadLimits/partBytesMax``, and
/// the relationship parts that say where the others are (ECMA-376 Part 2, Open Packaging Conventions).
///
/// The ZIP layer is ``ZIPArchiveReader`` (zlib underneath), not ZIPFoundation, whose inflate loop never ends on a
/// deflate stream cut short (weichsel/ZIPFoundation#389): the file comes from outside, so it must not hang the hub.
struct XLSXPackage {
    private let archive: ZIPArchiveReader
    /// File entries by lower-cased part name: OPC part names compare without regard to case, and writers differ
    /// (`xl/SharedStrings.xml` next to a relationship to `sharedStrings.xml`). The first of two equal names wins.
    private let entries: [String: ZIPArchiveReader.Entry]
    private let limits: XLSXReadLimits

    init(_ data: Data, limits: XLSXReadLimits) throws(XLSXReadError) {
        do throws(ZIPArchiveReader.Failure) {
            archive = try ZIPArchiveReader([UInt8](data))
        } catch {
            switch error {
            case .zip64: throw XLSXReadError.zip64NotSupported
            case .corruptDirectory(let reason): throw XLSXReadError.corruptArchive(reason: reason)
            default: throw XLSXReadError.notAZip
            }
        }
        var entries: [String: ZIPArchiveReader.Entry] = [:]
        for entry in archive.entries where entry.isFile {
            let key = Self.key(entry.name)
            if entries[key] == nil { entries[key] = entry }
        }
        self.entries = entries
        self.limits = limits
    }

    func contains(_ part: String) -> Bool { entries[Self.key(part)] != nil }

    /// The bytes of `part`, or `nil` when the package has no such part.
    ///
    /// The declared size is checked first, so a too-large part is refused without inflating a byte; the inflated
    /// bytes are then counted, because the declaration can lie; the result must have the declared size and CRC-32;
    /// and a deflate stream that ends early is refused as truncated (see ``ZIPArchiveReader``).
    func extract(_ part: String) throws(XLSXReadError) -> Data? {
        guard let entry = entries[Self.key(part)] else { return nil }
        do throws(ZIPArchiveReader.Failure) {
            return try archive.contents(of: entry, sizeMax: limits.partBytesMax)
        } catch {
            throw partError(error, part: part, declaredBytes: entry.uncompressedSize)
        }
    }

    /// The ``XLSXReadError`` for a ZIP failure while extracting `part`.
    private func partError(_ failure: ZIPArchiveReader.Failure, part: String, declaredBytes: Int) -> XLSXReadError {
        switch failure {
        case .declaredPastLimit(let declared):
            .partTooLarge(part: part, sizeBytes: declared, sizeBytesMax: limits.partBytesMax)
        case .inflatesPastLimit:
            .partInflatesPastLimit(part: part, declaredBytes: declaredBytes, sizeBytesMax: limits.partBytesMax)
        case .truncated:
            .truncatedPart(part: part)
        case .encrypted:
            .encryptedPart(part: part)
        case .unsupportedCompression(let method):
            .unsupportedCompression(part: part, method: Int(method))
        case .checksumMismatch:
            .corruptPart(part: part, reason: "its CRC-32 checksum does not match")
        case .sizeMismatch(let declared, let actual):
            .corruptPart(part: part, reason: "it holds \(actual) bytes where its header declares \(declared)")
        case .corruptEntry(let reason):
            .corruptPart(part: part, reason: reason)
        case .zip64:
            .zip64NotSupported
        case .notAZip:
            .notAZip
        case .corruptDirectory(let reason):
            .corruptArchive(reason: reason)
        }
    }

    /// Extracts and parses `part`, throwing `missing` when the package does not have it.
    func parse(_ part: String, into handler: any XLSXPartHandler,
               ifMissing missing: XLSXReadError) throws(XLSXReadError) {
        guard let data = try extract(part) else { throw missing }
        try XLSXPartParser.parse(data, part: part, into: handler)
    }

    /// The relationships of `part` (`""` for the package itself), or `nil` when it has no relationships part.
    func relationships(of part: String) throws(XLSXReadError) -> XLSXRelationships? {
        let relationshipsPart = Self.relationshipsPart(of: part)
        guard let data = try extract(relationshipsPart) else { return nil }
        let relationships = XLSXRelationships(part: relationshipsPart, source: part)
        try XLSXPartParser.parse(data, part: relationshipsPart, into: relationships)
        return relationships
    }

    /// `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`; `""` → `_rels/.rels`.
    static func relationshipsPart(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/" + part + ".rels" }
        return String(part[...slash]) + "_rels/" + String(part[part.index(after: slash)...]) + ".rels"
    }

    /// The part a relationship target names: relative to the directory of `source`, or from the package root when
    /// it starts with `/` (both occur: Excel writes `worksheets/sheet1.xml`, some libraries `/xl/worksheets/…`).
    /// - Returns: `nil` for a target that climbs above the root or names no part.
    static func resolve(_ target: String, from source: String) -> String? {
        let decoded = target.removingPercentEncoding ?? target
        var segments: [Substring] = decoded.hasPrefix("/") ? [] : Array(source.split(separator: "/").dropLast())
        for segment in decoded.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": guard segments.popLast() != nil else { return nil }
            default: segments.append(segment)
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    private static func key(_ path: String) -> String {
        path.replacingOccurrences(of: "\\", with: "/").lowercased()
    }
}

/// One relationships part: what each id points to, and the type of the link.
final class XLSXRelationships: XLSXPartHandler {
    struct Relationship {
        /// A URI such as `http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet`; compared
        /// by its last segment, which transitional and strict OOXML share.
        var type: String
        var target: String
        var isExternal: Bool

        func isOfType(_ name: String) -> Bool { !isExternal && type.hasSuffix("/" + name) }
    }

    /// The relationships part itself, for errors.
    let part: String
    /// The part whose relationships these are: targets are relative to its directory.
    let source: String
    private(set) var byID: [String: Relationship] = [:]
    private(set) var inOrder: [Relationship] = []

    init(part: String, source: String) {
        self.part = part
        self.source = source
    }

    func start(_ element: String, attributes: [String: String], line: Int) {
        guard element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        let relationship = Relationship(type: attributes["Type"] ?? "", target: target,
                                        isExternal: attributes["TargetMode"] == "External")
        if byID[id] == nil { byID[id] = relationship }
        inOrder.append(relationship)
    }

    /// The part the first relationship of type `name` points to, or `nil` when there is none.
    func firstTarget(ofType name: String) throws(XLSXReadError) -> String? {
        guard let relationship = inOrder.first(where: { $0.isOfType(name) }) else { return nil }
        return try resolved(relationship)
    }

    func resolved(_ relationship: Relationship) throws(XLSXReadError) -> String {
        guard let target = XLSXPackage.resolve(relationship.target, from: source) else {
            throw .invalidRelationshipTarget(part: part, target: XLSXReadError.clipped(relationship.target))
        }
        return target
    }
}

/// `xl/workbook.xml`: the sheets in tab order, with the relationship id that leads to each one's part.
final class XLSXWorkbook: XLSXPartHandler {
    struct Sheet {
        var name: String
        var relationshipID: String
    }

    private(set) var sheets: [Sheet] = []

    func start(_ element: String, attributes: [String: String], line: Int) {
        guard element == "sheet" else { return }
        // `r:id` with whatever prefix the file binds to the relationships namespace.
        let id = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value
        sheets.append(Sheet(name: attributes["name"] ?? "", relationshipID: id ?? ""))
    }
}
