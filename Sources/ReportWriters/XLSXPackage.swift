import Foundation
import ZIPFoundation

/// The ZIP package of a workbook: its parts by name, each extracted within ``XLSXReadLimits/partBytesMax``, and
/// the relationship parts that say where the others are (ECMA-376 Part 2, Open Packaging Conventions).
struct XLSXPackage {
    private let archive: Archive
    /// File entries by lower-cased part name: OPC part names compare without regard to case, and writers differ
    /// (`xl/SharedStrings.xml` next to a relationship to `sharedStrings.xml`). The first of two equal names wins.
    private let entries: [String: Entry]
    private let limits: XLSXReadLimits

    init(_ data: Data, limits: XLSXReadLimits) throws(XLSXReadError) {
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw XLSXReadError.notAZip
        }
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            let key = Self.key(entry.path)
            if entries[key] == nil { entries[key] = entry }
        }
        self.entries = entries
        self.limits = limits
    }

    func contains(_ part: String) -> Bool { entries[Self.key(part)] != nil }

    /// The bytes of `part`, or `nil` when the package has no such part.
    ///
    /// The declared size is checked first, so a too-large part is refused without inflating a byte; the inflated
    /// bytes are then counted, because the declaration can lie; and the CRC-32 is compared, because ZIPFoundation's
    /// streaming extract does not compare it.
    func extract(_ part: String) throws(XLSXReadError) -> Data? {
        guard let entry = entries[Self.key(part)] else { return nil }
        let sizeMax = max(0, limits.partBytesMax)
        let declared = entry.uncompressedSize
        guard declared <= UInt64(sizeMax) else {
            throw .partTooLarge(part: part, sizeBytes: Int(clamping: declared), sizeBytesMax: limits.partBytesMax)
        }
        var data = Data(capacity: Int(declared))
        do {
            let checksum = try archive.extract(entry) { chunk in
                guard chunk.count <= sizeMax - data.count else {
                    throw XLSXReadError.partInflatesPastLimit(part: part, declaredBytes: Int(declared),
                                                              sizeBytesMax: limits.partBytesMax)
                }
                data.append(chunk)
            }
            guard checksum == entry.checksum else {
                throw XLSXReadError.corruptPart(part: part, reason: "its CRC-32 checksum does not match")
            }
        } catch let error as XLSXReadError {
            throw error
        } catch {
            throw XLSXReadError.corruptPart(part: part, reason: "\(error)")
        }
        return data
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
