import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an xlsx back the way an independent consumer would: ZIPFoundation to open the package, Foundation's
/// `XMLParser` for the parts, with no code shared with the writer.
struct XLSXReadBack {
    let archive: Archive

    init(_ data: Data) throws {
        archive = try Archive(data: data, accessMode: .read)
    }

    /// Part paths in archive order.
    var paths: [String] { archive.map(\.path) }

    func part(_ path: String) throws -> Data {
        guard let entry = archive[path] else { throw ReadBackError(message: "missing part \(path)") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }

    func xml(_ path: String) throws -> ParsedXML {
        try ParsedXML(try part(path))
    }
}

struct ReadBackError: Error { var message: String }

/// One `<c>` of a sheet as found in the file.
struct SheetCell: Equatable {
    var type: String?
    var style: String?
    /// `<v>` text, for numbers and dates.
    var value: String?
    /// `<is><t>` text, for inline strings.
    var inlineText: String?
}

/// Every element with its attributes, in document order, and every cell by reference.
final class ParsedXML: NSObject, XMLParserDelegate {
    private(set) var elements: [(name: String, attributes: [String: String])] = []
    private(set) var cells: [String: SheetCell] = [:]
    private var cell: (reference: String, value: SheetCell)?
    private var text = ""

    init(_ data: Data) throws {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else {
            throw ReadBackError(message: "XML does not parse: \(String(describing: parser.parserError))")
        }
    }

    func attributes(of name: String) -> [[String: String]] {
        elements.filter { $0.name == name }.map(\.attributes)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        text = ""
        if name == "c" {
            cell = (attributes["r"] ?? "?", SheetCell(type: attributes["t"], style: attributes["s"]))
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v": cell?.value.value = text
        case "t": cell?.value.inlineText = text
        case "c":
            if let cell { cells[cell.reference] = cell.value }
            cell = nil
        default: break
        }
    }
}
