import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: local name, namespace, attributes, text and children, with the line it starts on.
///
/// Why a small tree instead of reading camt.053 straight from SAX events: a statement's currency and balances
/// must be known before its entries can be read, and the tree lets each camt element be looked up by path with
/// the path and line at hand for errors. The file size limit bounds the tree's memory.
package struct XMLElementNode {
    package var name: String
    package var namespace: String
    package var attributes: [String: String]
    package var text: String
    package var line: Int
    package var children: [XMLElementNode]

    /// The first child named `name`.
    package func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// The trimmed text of the element.
    package var trimmedText: String { String(Substring(text).trimmingSpacesAndNewlines()) }
}

/// Builds an ``XMLElementNode`` tree with Foundation's `XMLParser`, refusing what a statement never contains.
package enum XMLElementTree {
    /// Parses `data` into its root element.
    ///
    /// - Throws: ``StatementParseError`` (format camt.053) when the XML is not well-formed (with the parser's line),
    ///   declares a DOCTYPE or entity (refused before parsing: entity expansion is the classic XML attack), nests
    ///   deeper than ``BankStatementLimits/xmlDepthMax`` or holds more than
    ///   ``BankStatementLimits/xmlElementCountMax`` elements.
    package static func parse(_ data: Data) throws(StatementParseError) -> XMLElementNode {
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw StatementParseError(.documentTypeNotAllowed, format: .camt053)
        }
        // ISO 20022 messages are UTF-8. Checked before parsing because Foundation's XMLParser on Linux crashes on an
        // element name holding invalid UTF-8 (found by Scripts/fuzz; regression input in Fuzz/regressions).
        guard String(validating: data, as: UTF8.self) != nil else {
            throw StatementParseError(.malformedXML("the file is not valid UTF-8, as ISO 20022 messages must be"), format: .camt053, line: 1)
        }
        let parser = XMLParser(data: data)
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        if let limitError = builder.limitError { throw limitError }
        guard succeeded, let root = builder.root else {
            let (error, line) = builder.firstError ?? (parser.parserError, parser.lineNumber)
            throw StatementParseError(.malformedXML(message(error)), format: .camt053, line: max(1, line))
        }
        return root
    }

    /// The parser's error as a phrase for a clerk; Foundation's own text is "The operation could not be completed".
    ///
    /// Matched on libxml2's numbers, which `XMLParser` reports as the error code on every platform
    /// (swift-corelibs-foundation's `XMLParser.ErrorCode` raw values are off by one from them, so the enum is not
    /// used).
    private static func message(_ error: (any Error)?) -> String {
        guard let code = (error as NSError?)?.code else { return "the document ends before its root element is closed" }
        switch code {
        case 4: return "the document is empty"
        case 5, 77: return "the document ends before its elements are closed (it was cut off)"
        case 9: return "it contains a character XML does not allow"
        case 26: return "it refers to an undeclared entity"
        case 76: return "an end tag does not match its start tag"
        default: return "libxml2 error \(code)"
        }
    }
}

/// The `XMLParserDelegate` that stacks open elements and attaches each to its parent when it closes.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLElementNode?
    var limitError: StatementParseError?
    /// The first well-formedness error and its line: libxml2 may recover and fail later, at a misleading line.
    var firstError: (error: (any Error)?, line: Int)?
    private var stack: [XMLElementNode] = []
    private var elementCount = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elementCount += 1
        if stack.count >= BankStatementLimits.xmlDepthMax {
            stop(parser, .limitExceeded(what: "levels of XML nesting", count: stack.count + 1,
                                        countMax: BankStatementLimits.xmlDepthMax))
        } else if elementCount > BankStatementLimits.xmlElementCountMax {
            stop(parser, .limitExceeded(what: "XML elements", count: elementCount,
                                        countMax: BankStatementLimits.xmlElementCountMax))
        }
        stack.append(XMLElementNode(name: elementName, namespace: namespaceURI ?? "", attributes: attributeDict,
                                    text: "", line: parser.lineNumber, children: []))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        if stack[stack.count - 1].text.utf8.count + string.utf8.count > BankStatementLimits.textBytesMax {
            stop(parser, .limitExceeded(what: "bytes of text in one XML element",
                                        count: stack[stack.count - 1].text.utf8.count + string.utf8.count,
                                        countMax: BankStatementLimits.textBytesMax))
            return
        }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty {
            root = finished
        } else {
            stack[stack.count - 1].children.append(finished)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstError == nil { firstError = (parseError, parser.lineNumber) }
    }

    private func stop(_ parser: XMLParser, _ code: StatementParseError.Code) {
        if limitError == nil { limitError = StatementParseError(code, format: .camt053, line: parser.lineNumber) }
        parser.abortParsing()
    }
}

extension Substring {
    /// Drops leading and trailing whitespace including line breaks (XML text around child elements).
    func trimmingSpacesAndNewlines() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
