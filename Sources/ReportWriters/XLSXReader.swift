import Foundation

/// Reads the first worksheet of an `.xlsx` workbook as rows of cell text: what `hub import-registry` needs to
/// accept the registry template saved from Excel or WPS, and what bank statement exports in xlsx will need.
///
/// The text is what the file holds, never converted through a `Double`: an 18-digit account number stored as text
/// stays 18 digits, a number written `12345.60` comes back `12345.60`, and one Excel already rounded to
/// `1.30201E+18` comes back as exactly that, for the caller to refuse. Booleans are `TRUE`/`FALSE`, error cells
/// their code (`#N/A`), and dates their serial number (`45382`), since only the caller knows a column is a date.
///
/// The workbook is untrusted input. Each part is checked against ``XLSXReadLimits`` before and while it is
/// inflated, parsed with `XMLParser` as a stream (no document tree), and every refusal is a specific
/// ``XLSXReadError`` naming the part and the cell or row.
///
/// ```swift
/// let sheet = try XLSXReader.firstSheet(of: Data(contentsOf: url))
/// for (index, cells) in sheet.rows.enumerated() { print("row \(index + 1):", cells) }
/// ```
public enum XLSXReader {
    /// The first worksheet in tab order (chart sheets are skipped), found as Excel finds it: `_rels/.rels` names
    /// the workbook, the workbook lists its sheets, and `xl/_rels/workbook.xml.rels` says which part each one is.
    /// Only when the workbook has no relationships part is `xl/worksheets/sheet1.xml` assumed.
    ///
    /// - Returns: the sheet's name and its rows; `rows[0]` is row 1, see ``XLSXSheet/rows``.
    /// - Throws: ``XLSXReadError``.
    public static func firstSheet(of data: Data,
                                  limits: XLSXReadLimits = .init()) throws(XLSXReadError) -> XLSXSheet {
        let package = try XLSXPackage(data, limits: limits)
        let workbookPart = try package.relationships(of: "")?.firstTarget(ofType: "officeDocument")
            ?? "xl/workbook.xml"
        let workbook = XLSXWorkbook()
        try package.parse(workbookPart, into: workbook, ifMissing: .missingWorkbook(part: workbookPart))
        let relationships = try package.relationships(of: workbookPart)
        let (name, sheetPart) = try firstWorksheet(of: workbook, at: workbookPart, relationships: relationships)
        let strings = try sharedStrings(in: package, of: workbookPart, relationships: relationships, limits: limits)
        let sheet = XLSXWorksheetReader(part: sheetPart, limits: limits, sharedStrings: strings)
        try package.parse(sheetPart, into: sheet, ifMissing: .missingPart(part: sheetPart))
        return XLSXSheet(name: name, rows: sheet.rows)
    }

    /// The rows of the first worksheet, as ``firstSheet(of:limits:)`` reads them.
    public static func firstSheetRows(of bytes: [UInt8],
                                      limits: XLSXReadLimits = .init()) throws(XLSXReadError) -> [[String]] {
        try firstSheet(of: Data(bytes), limits: limits).rows
    }

    /// The name and part of the first sheet whose relationship is a worksheet.
    private static func firstWorksheet(of workbook: XLSXWorkbook, at workbookPart: String,
                                       relationships: XLSXRelationships?) throws(XLSXReadError)
        -> (name: String, part: String) {
        guard let relationships else {
            let fallback = XLSXPackage.resolve("worksheets/sheet1.xml", from: workbookPart)
            return (workbook.sheets.first?.name ?? "Sheet1", fallback ?? "xl/worksheets/sheet1.xml")
        }
        for sheet in workbook.sheets {
            guard let relationship = relationships.byID[sheet.relationshipID] else {
                throw .missingRelationship(part: relationships.part, id: XLSXReadError.clipped(sheet.relationshipID))
            }
            if relationship.isOfType("worksheet") { return try (sheet.name, relationships.resolved(relationship)) }
        }
        throw .noWorksheet(part: workbookPart)
    }

    /// The shared-string table, or none when the workbook has no such part (then no cell may refer to one).
    private static func sharedStrings(in package: XLSXPackage, of workbookPart: String,
                                      relationships: XLSXRelationships?,
                                      limits: XLSXReadLimits) throws(XLSXReadError) -> [String] {
        let part: String
        if let target = try relationships?.firstTarget(ofType: "sharedStrings") {
            part = target
        } else if let guess = XLSXPackage.resolve("sharedStrings.xml", from: workbookPart), package.contains(guess) {
            part = guess
        } else {
            return []
        }
        let reader = XLSXSharedStringsReader(part: part, limits: limits)
        try package.parse(part, into: reader, ifMissing: .missingPart(part: part))
        return reader.strings
    }
}

/// One worksheet as text.
public struct XLSXSheet: Hashable, Sendable {
    /// The name on the sheet's tab.
    public var name: String
    /// Row `n` of the sheet is `rows[n - 1]`; a row missing from the file is `[]`, a missing cell `""`. Trailing
    /// empty cells of a row and trailing empty rows are left out.
    public var rows: [[String]]

    public init(name: String, rows: [[String]]) {
        self.name = name
        self.rows = rows
    }
}
