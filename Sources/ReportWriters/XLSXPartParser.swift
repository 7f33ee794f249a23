import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What reads one XML part of a workbook from SAX events: the workbook's sheet list, a relationships part, the
/// shared strings, a worksheet.
///
/// Element names arrive without their namespace prefix, so a part written as `<x:row>` (as some .NET libraries
/// do) reads like Excel's `<row>`. Counters kept by handlers grow at most once per element or character, so they
/// stay far below `Int.max` for a part within ``XLSXReadLimits/partBytesMax``.
protocol XLSXPartHandler: AnyObject {
    /// - Parameter line: the parser's line, for errors about the document's structure.
    func start(_ element: String, attributes: [String: String], line: Int) throws(XLSXReadError)
    func end(_ element: String) throws(XLSXReadError)
    func characters(_ text: String)
}

extension XLSXPartHandler {
    func end(_ element: String) throws(XLSXReadError) {}
    func characters(_ text: String) {}
}

/// Runs Foundation's `XMLParser` over one part, streaming: no tree is built, so memory is the part's bytes plus
/// what the handler keeps.
enum XLSXPartParser {
    /// - Throws: ``XLSXReadError`` for a part that is not UTF-8, declares a DOCTYPE, is not well-formed (with the
    ///   line of the parser's first error), or whatever the handler refuses.
    static func parse(_ data: Data, part: String, into handler: any XLSXPartHandler) throws(XLSXReadError) {
        // Checked before parsing: Foundation's XMLParser on Linux crashes on an element name holding invalid UTF-8
        // (see BankStatements' XMLElementTree), and a NUL byte means UTF-16 or UTF-32, where the DOCTYPE check below
        // would see nothing.
        guard !data.contains(0), String(data: data, encoding: .utf8) != nil else { throw .notUTF8(part: part) }
        // OPC forbids DTDs in package parts; refusing them rules out entity expansion whatever libxml2 does.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .documentTypeNotAllowed(part: part)
        }
        // XMLParser waits for 4 bytes before it starts, and reports success on fewer.
        guard data.count >= 4 else { throw .malformedXML(part: part, line: 1, reason: "the part is empty") }
        let delegate = XLSXParserDelegate(handler: handler)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        if let failure = delegate.failure { throw failure }
        guard succeeded else {
            let (error, line) = delegate.firstXMLError ?? (parser.parserError, parser.lineNumber)
            throw .malformedXML(part: part, line: max(1, line), reason: reason((error as NSError?)?.code))
        }
    }

    /// The parser's error as a phrase; matched on libxml2's numbers, which `XMLParser` reports as the error code.
    private static func reason(_ code: Int?) -> String {
        switch code {
        case nil: "the document ends before its root element is closed"
        case 4?: "the document is empty"
        case 5?, 77?: "the document ends before its elements are closed (it was cut off)"
        case 9?: "it contains a character XML does not allow"
        case 76?: "an end tag does not match its start tag"
        case let code?: "libxml2 error \(code)"
        }
    }

    /// `x:row` → `row`.
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}

/// The `XMLParserDelegate` that forwards events to a handler and stops at the first refusal.
///
/// Foundation on Linux runs libxml2 in recovery mode, which goes on sending events after a well-formedness
/// error; a handler's refusal is kept only when no XML error came first, so a broken file is reported as broken
/// XML and not as whatever the recovered events looked like.
private final class XLSXParserDelegate: NSObject, XMLParserDelegate {
    let handler: any XLSXPartHandler
    private(set) var failure: XLSXReadError?
    /// The first well-formedness error and its line: libxml2 may recover and fail later, at a misleading line.
    private(set) var firstXMLError: (error: (any Error)?, line: Int)?

    init(handler: any XLSXPartHandler) {
        self.handler = handler
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard failure == nil else { return }
        do throws(XLSXReadError) {
            try handler.start(XLSXPartParser.localName(elementName), attributes: attributeDict,
                              line: parser.lineNumber)
        } catch {
            stop(parser, error)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard failure == nil else { return }
        do throws(XLSXReadError) {
            try handler.end(XLSXPartParser.localName(elementName))
        } catch {
            stop(parser, error)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if failure == nil { handler.characters(string) }
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        if failure == nil { handler.characters(whitespaceString) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if failure == nil { handler.characters(String(decoding: CDATABlock, as: UTF8.self)) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstXMLError == nil { firstXMLError = (parseError, parser.lineNumber) }
    }

    private func stop(_ parser: XMLParser, _ error: XLSXReadError) {
        if firstXMLError == nil { failure = error }
        parser.abortParsing()
    }
}

/// The text of a string item, `<si>` in the shared strings or `<is>` in a cell: its `<t>` elements in order,
/// whether plain or in rich-text runs (`<r>`), leaving out phonetic runs (`<rPh>`, the reading Excel stores for
/// East Asian names), as Excel shows the cell.
struct XLSXStringItem {
    private var raw = ""
    private var phoneticDepth = 0
    private var isInText = false

    mutating func start(_ element: String) {
        switch element {
        case "rPh": phoneticDepth += 1
        case "t": isInText = phoneticDepth == 0
        default: break
        }
    }

    mutating func end(_ element: String) {
        switch element {
        case "rPh": phoneticDepth = max(0, phoneticDepth - 1)
        case "t": isInText = false
        default: break
        }
    }

    mutating func characters(_ text: String) {
        if isInText { raw += text }
    }

    /// The text as Excel shows it (see ``XLSXText/unescaped(_:)``).
    var text: String { XLSXText.unescaped(raw) }
}

enum XLSXText {
    /// Undoes OOXML's `ST_Xstring` escape, as Excel does: `_xHHHH_` is the character U+HHHH, so `_x000D_` is a
    /// carriage return and `_x005F_` a `_`. It is how characters XML cannot carry are stored, and how
    /// ``XMLText/cellText(_:)`` writes them, so text round-trips through our own writer.
    static func unescaped(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        var index = 0
        while index < scalars.count {
            if let scalar = escapedScalar(scalars, at: index) {
                result.unicodeScalars.append(scalar)
                index += 7
            } else {
                result.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        return result
    }

    /// The character `_xHHHH_` at `index` stands for, or `nil` when there is no such escape there.
    private static func escapedScalar(_ scalars: [Unicode.Scalar], at index: Int) -> Unicode.Scalar? {
        guard scalars[index] == "_", index + 6 < scalars.count, scalars[index + 1] == "x",
              scalars[index + 6] == "_" else { return nil }
        var value: UInt32 = 0
        for scalar in scalars[(index + 2)...(index + 5)] {
            guard scalar.properties.isASCIIHexDigit, let digit = UInt32(String(scalar), radix: 16) else { return nil }
            value = value * 16 + digit
        }
        return Unicode.Scalar(value)
    }
}
