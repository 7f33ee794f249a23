/// The `<c>` element of one cell: numbers and dates as numeric cells with a style, text as an inline string.
///
/// Inline strings (`t="inlineStr"`) keep each sheet self-contained (no shared-string table to build and index),
/// and they can never be read as a formula.
enum XLSXCell {
    /// The cell's XML, or `nil` for an empty cell (nothing is written for it).
    /// - precondition: the cell passed ``XLSXWriter``'s checks (valid date, money scale in range).
    static func xml(_ cell: ReportTable.Cell, at reference: String, bold: Bool) -> String? {
        switch cell {
        case .empty, .text(""):
            return nil
        case .text(let text):
            return Self.text(text, at: reference, style: bold ? .bold : .general)
        case .integer(let value):
            return number(String(value), at: reference, style: bold ? .bold : .general)
        case .money(let minorUnits, let scale):
            let style: XLSXCellStyle = bold ? .boldMoney(scale: scale) : .money(scale: scale)
            return number(MoneyText.plain(minorUnits: minorUnits, scale: scale), at: reference, style: style)
        case .date(let text):
            guard let serial = CalendarDay(text)?.excelSerial else { preconditionFailure("unchecked date cell") }
            return number(String(serial), at: reference, style: bold ? .boldDate : .date)
        }
    }

    /// An inline-string cell; `xml:space="preserve"` keeps leading and trailing spaces.
    static func text(_ text: String, at reference: String, style: XLSXCellStyle) -> String {
        "<c r=\"\(reference)\"\(styleAttribute(style)) t=\"inlineStr\"><is><t xml:space=\"preserve\">"
            + XMLText.cellText(text) + "</t></is></c>"
    }

    /// A numeric cell. `value` is exact decimal text: `<v>` is text in the file, so `1234.56` stays exact there.
    private static func number(_ value: String, at reference: String, style: XLSXCellStyle) -> String {
        "<c r=\"\(reference)\"\(styleAttribute(style))><v>\(value)</v></c>"
    }

    private static func styleAttribute(_ style: XLSXCellStyle) -> String {
        style == .general ? "" : " s=\"\(style.index)\""
    }
}
