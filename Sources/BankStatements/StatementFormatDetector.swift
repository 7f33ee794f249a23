import Foundation

/// Tells from a file's content which parser reads it — never from the file name, which clerks rename.
///
/// - camt.053: XML whose text names the namespace `urn:iso:std:iso:20022:tech:xsd:camt.053.` (the version is
///   checked by ``Camt053Parser``, so an old `001.01` file gets a specific refusal, not "unknown format").
/// - FundSync CSV: the first non-blank line is exactly ``CSVStatementParser/header``.
/// - MT940: a line starts with the `:20:` tag that opens every statement.
public enum StatementFormatDetector {
    /// Bytes looked at: enough for any transport header before the first `:20:` or the XML root element.
    static let prefixBytesMax = 64 * 1024

    /// The format of `data`.
    /// - Throws: ``StatementParseError/Code/empty``, ``StatementParseError/Code/unsupportedNamespace(_:)`` for ISO
    ///   20022 XML of another message (camt.052, camt.054, pain.001), or
    ///   ``StatementParseError/Code/unrecognizedFormat``.
    public static func detect(_ data: Data) throws(StatementParseError) -> StatementFormat {
        var prefix = data.prefix(prefixBytesMax)
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { prefix = prefix.dropFirst(3) }
        let text = String(decoding: prefix, as: UTF8.self)
        let body = Substring(text).trimmingSpacesAndNewlines()
        guard !body.isEmpty else { throw StatementParseError(.empty) }
        if body.first == "<" { return try xmlFormat(body) }
        let lines = body.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.first == Substring(CSVStatementParser.header) { return .csv }
        if lines.contains(where: { $0.hasPrefix(":20:") }) { return .mt940 }
        throw StatementParseError(.unrecognizedFormat)
    }

    private static func xmlFormat(_ text: Substring) throws(StatementParseError) -> StatementFormat {
        if text.contains(Camt053Parser.namespaceStem) { return .camt053 }  // any version; the parser checks it
        let iso = "urn:iso:std:iso:20022:tech:xsd:"
        if let start = text.range(of: iso)?.lowerBound {
            let namespace = text[start...].prefix { $0 != "\"" && $0 != "'" && !$0.isWhitespace }
            throw StatementParseError(.unsupportedNamespace(String(namespace)), format: .camt053)
        }
        throw StatementParseError(.unrecognizedFormat)
    }
}
