/// The cell formats of the workbook, one `<xf>` each in `xl/styles.xml`; a cell's `s` attribute is its ``index``.
///
/// The list is fixed (not built from the report), so the same style always has the same index and two reports
/// differ in their sheets only. Money has one format per scale, because a yen amount must not show `.00` and a
/// scale-3 amount must not be rounded on screen.
enum XLSXCellStyle: Hashable, Sendable {
    case general, bold
    /// Headers over number columns, so the heading sits over the right-aligned numbers.
    case boldRightAligned
    /// The sheet's title row.
    case title
    case date, boldDate
    case money(scale: Int), boldMoney(scale: Int)

    /// Custom number formats start at 164; lower ids are Excel's built-ins.
    static let dateFormatID = 164
    static func moneyFormatID(scale: Int) -> Int { 165 + scale }

    /// Every style, in `cellXfs` order.
    static let all: [XLSXCellStyle] = [.general, .bold, .boldRightAligned, .title, .date, .boldDate]
        + (0...ReportLimits.moneyScaleMax).flatMap { [XLSXCellStyle.money(scale: $0), .boldMoney(scale: $0)] }

    /// Position in `cellXfs`, which is what a cell's `s` attribute holds.
    var index: Int {
        switch self {
        case .general: 0
        case .bold: 1
        case .boldRightAligned: 2
        case .title: 3
        case .date: 4
        case .boldDate: 5
        case .money(let scale): 6 + 2 * scale
        case .boldMoney(let scale): 7 + 2 * scale
        }
    }

    /// The `<xf>` element: number format, font (0 regular, 1 bold, 2 large bold) and alignment.
    var xfXML: String {
        let (formatID, fontID): (Int, Int) = switch self {
        case .general: (0, 0)
        case .bold, .boldRightAligned: (0, 1)
        case .title: (0, 2)
        case .date: (Self.dateFormatID, 0)
        case .boldDate: (Self.dateFormatID, 1)
        case .money(let scale): (Self.moneyFormatID(scale: scale), 0)
        case .boldMoney(let scale): (Self.moneyFormatID(scale: scale), 1)
        }
        let apply = (formatID == 0 ? "" : " applyNumberFormat=\"1\"") + (fontID == 0 ? "" : " applyFont=\"1\"")
        let head = "<xf numFmtId=\"\(formatID)\" fontId=\"\(fontID)\" fillId=\"0\" borderId=\"0\" xfId=\"0\"\(apply)"
        guard self == .boldRightAligned else { return head + "/>" }
        return head + " applyAlignment=\"1\"><alignment horizontal=\"right\"/></xf>"
    }

    /// The number format code for money at `scale`: thousands separators and exactly `scale` decimals.
    static func moneyFormatCode(scale: Int) -> String {
        scale == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: scale)
    }
}
