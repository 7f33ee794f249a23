/// The package parts of an xlsx besides the sheets and styles: what Excel needs to find them.
///
/// Office Open XML (ECMA-376 Part 2) finds everything through `[Content_Types].xml` (the MIME type of each part)
/// and relationship files (`_rels/.rels` → workbook, `xl/_rels/workbook.xml.rels` → sheets and styles).
enum XLSXParts {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    private static let spreadsheetML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

    /// The part path of sheet `number` (1-based, as Excel numbers them).
    static func sheetPath(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    static func contentTypes(sheetCount: Int) -> String {
        let sheets = (1...sheetCount).map { number in
            "<Override PartName=\"/\(sheetPath(number))\" ContentType=\"\(spreadsheetML).worksheet+xml\"/>"
        }
        return declaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(spreadsheetML).sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(spreadsheetML).styles+xml\"/>"
            + sheets.joined() + "</Types>"
    }

    static func rootRelationships() -> String {
        declaration + "<Relationships xmlns=\"\(packageRelationshipsNamespace)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(relationshipsNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>"
    }

    /// Sheet `n` is `rIdn`; styles come last, so sheet ids and relationship ids stay the same number.
    static func workbookRelationships(sheetCount: Int) -> String {
        let sheets = (1...sheetCount).map { number in
            "<Relationship Id=\"rId\(number)\" Type=\"\(relationshipsNamespace)/worksheet\" "
                + "Target=\"worksheets/sheet\(number).xml\"/>"
        }
        return declaration + "<Relationships xmlns=\"\(packageRelationshipsNamespace)\">" + sheets.joined()
            + "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relationshipsNamespace)/styles\" "
            + "Target=\"styles.xml\"/></Relationships>"
    }

    /// The workbook: the sheet list, and each sheet's auto-filter range as the hidden `_xlnm._FilterDatabase` name
    /// Excel itself writes next to an `<autoFilter>`.
    static func workbook(sheetNames: [String], filterRanges: [String?]) -> String {
        let sheets = sheetNames.enumerated().map { index, name in
            "<sheet name=\"\(XMLText.attribute(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        let filters = zip(sheetNames, filterRanges).enumerated().compactMap { index, pair -> String? in
            guard let range = pair.1 else { return nil }
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">"
                + XMLText.attribute("'" + pair.0.replacingApostrophes() + "'!" + range) + "</definedName>"
        }
        return declaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipsNamespace)\">"
            + "<bookViews><workbookView activeTab=\"0\"/></bookViews>"
            + "<sheets>" + sheets.joined() + "</sheets>"
            + (filters.isEmpty ? "" : "<definedNames>" + filters.joined() + "</definedNames>") + "</workbook>"
    }
}

private extension String {
    /// A sheet name inside a formula is quoted with `'…'`, and a `'` inside is doubled.
    func replacingApostrophes() -> String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "'" { result.append("'") }
        }
        return result
    }
}
