/// `xl/styles.xml`: fonts, number formats and the cell formats of ``XLSXCellStyle``.
enum XLSXStyles {
    static func xml() -> String {
        XLSXParts.declaration
            + "<styleSheet xmlns=\"\(XLSXParts.mainNamespace)\">"
            + numberFormats()
            + "<fonts count=\"3\">" + font(bold: false, size: 11) + font(bold: true, size: 11)
            + font(bold: true, size: 14) + "</fonts>"
            + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
            + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
            + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"\(XLSXCellStyle.all.count)\">" + XLSXCellStyle.all.map(\.xfXML).joined() + "</cellXfs>"
            + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
            + "</styleSheet>"
    }

    /// The date format is ISO `yyyy-mm-dd` whatever the viewer's locale, matching the other outputs.
    private static func numberFormats() -> String {
        let scales = 0...ReportLimits.moneyScaleMax
        let date = "<numFmt numFmtId=\"\(XLSXCellStyle.dateFormatID)\" formatCode=\"yyyy-mm-dd\"/>"
        let money = scales.map { scale in
            "<numFmt numFmtId=\"\(XLSXCellStyle.moneyFormatID(scale: scale))\" "
                + "formatCode=\"\(XLSXCellStyle.moneyFormatCode(scale: scale))\"/>"
        }
        return "<numFmts count=\"\(1 + scales.count)\">" + date + money.joined() + "</numFmts>"
    }

    private static func font(bold: Bool, size: Int) -> String {
        "<font>" + (bold ? "<b/>" : "") + "<sz val=\"\(size)\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    }
}
