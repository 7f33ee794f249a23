/// `xl/worksheets/sheetN.xml` read into rows of cell text, each cell at the place its reference gives.
///
/// Rows are 0-based in the result (row 1 of the sheet is `rows[0]`), so the caller can still say "row 7" for
/// `rows[6]`: a row missing from the file is an empty row, and a cell missing from a row is `""`. Trailing empty
/// cells and trailing empty rows are left out. Values are the text in the file, never converted: a number is its
/// `<v>` text exactly (`12345.60`, `621700001234567890`, `1.30201E+18`), a date is its serial number (`45382`).
final class XLSXWorksheetReader: XLSXPartHandler {
    private let part: String
    private let limits: XLSXReadLimits
    private let sharedStrings: [String]
    private(set) var rows: [[String]] = []
    private var isInSheetData = false
    private var row: OpenRow?
    private var cell: OpenCell?
    /// The number of the last row seen, kept or empty: rows without `r` follow it.
    private var lastRowNumber = 0
    /// Cells stored so far, counting the `""` placed before each value; compared with ``XLSXReadLimits/cellCountMax``.
    private var cellCount = 0

    private struct OpenRow {
        var number: Int
        var cells: [String] = []
        /// The column a cell without `r` takes; a cell with `r` must not be left of it.
        var nextColumn = 0
    }

    private struct OpenCell {
        var reference: String
        var column: Int
        var type: String?
        var value = ""
        var isInValue = false
        var inlineString: XLSXStringItem?
    }

    init(part: String, limits: XLSXReadLimits, sharedStrings: [String]) {
        self.part = part
        self.limits = limits
        self.sharedStrings = sharedStrings
    }

    func start(_ element: String, attributes: [String: String], line: Int) throws(XLSXReadError) {
        switch element {
        case "sheetData": isInSheetData = true
        case "row" where isInSheetData && row == nil: try openRow(numbered: attributes["r"])
        case "c" where row != nil && cell == nil: try openCell(attributes)
        case "v": cell?.isInValue = true
        case "is": cell?.inlineString = XLSXStringItem()
        default: cell?.inlineString?.start(element)
        }
    }

    func end(_ element: String) throws(XLSXReadError) {
        switch element {
        case "sheetData": isInSheetData = false
        case "row": closeRow()
        case "c": try closeCell()
        case "v": cell?.isInValue = false
        default: cell?.inlineString?.end(element)
        }
    }

    func characters(_ text: String) {
        if cell?.isInValue == true {
            cell?.value += text
        } else {
            cell?.inlineString?.characters(text)
        }
    }

    private func openRow(numbered text: String?) throws(XLSXReadError) {
        let number: Int
        if let text {
            guard let parsed = XLSXCellReferenceParser.decimal(text.utf8), parsed > 0 else {
                throw .invalidRowNumber(part: part, text: XLSXReadError.clipped(text))
            }
            number = parsed
        } else {
            number = lastRowNumber + 1
        }
        guard number > lastRowNumber else {
            throw .rowOutOfOrder(part: part, row: number, previousRow: lastRowNumber)
        }
        guard number <= limits.rowCountMax else {
            throw .tooManyRows(part: part, row: XLSXReadError.clipped(text ?? String(number)),
                               rowCountMax: limits.rowCountMax)
        }
        row = OpenRow(number: number)
    }

    private func closeRow() {
        guard let row else { return }
        self.row = nil
        lastRowNumber = row.number
        guard !row.cells.isEmpty else { return }
        // Rows missing before this one become empty rows; `rows.count` is at most the last kept row's number.
        rows.append(contentsOf: repeatElement([String](), count: row.number - 1 - rows.count))
        rows.append(row.cells)
    }

    private func openCell(_ attributes: [String: String]) throws(XLSXReadError) {
        guard var row else { return }
        let column: Int
        let reference: String
        if let text = attributes["r"] {
            reference = XLSXReadError.clipped(text)
            guard let parsed = XLSXCellReferenceParser.parse(text), parsed.row == row.number else {
                throw .invalidCellReference(part: part, reference: reference, row: row.number)
            }
            column = parsed.column
        } else {
            column = row.nextColumn
            reference = XLSXCellReference.cell(column: column, row: row.number)
        }
        guard column >= row.nextColumn else { throw .cellOutOfOrder(part: part, reference: reference) }
        let columnCountMax = min(limits.columnCountMax, ReportLimits.excelColumnCountMax)
        guard column < columnCountMax else {
            throw .tooManyColumns(part: part, reference: reference, columnCountMax: columnCountMax)
        }
        row.nextColumn = column + 1
        self.row = row
        cell = OpenCell(reference: reference, column: column, type: attributes["t"])
    }

    /// Stores the cell's text at its column, after `""` for any cells skipped; an empty cell stores nothing.
    private func closeCell() throws(XLSXReadError) {
        guard let cell, var row else { return }
        self.cell = nil
        let text = try cellText(of: cell)
        guard !text.isEmpty else { return }
        guard text.utf16.count <= limits.cellTextLengthUTF16Max else {
            throw .textTooLong(part: part, location: "cell \(cell.reference)",
                               lengthUTF16Max: limits.cellTextLengthUTF16Max)
        }
        // At least 1: the cell's column is right of every cell stored in the row.
        let added = cell.column + 1 - row.cells.count
        guard added <= limits.cellCountMax - cellCount else {
            throw .tooManyCells(part: part, reference: cell.reference, cellCountMax: limits.cellCountMax)
        }
        cellCount += added
        row.cells.append(contentsOf: repeatElement("", count: added - 1))
        row.cells.append(text)
        self.row = row
    }

    /// The cell's text by its type (ECMA-376 Part 1, §18.18.11 `ST_CellType`).
    private func cellText(of cell: OpenCell) throws(XLSXReadError) -> String {
        switch cell.type {
        case "s"?:
            guard !cell.value.isEmpty else { return "" }
            guard let index = XLSXCellReferenceParser.decimal(cell.value.utf8), index < sharedStrings.count else {
                throw .sharedStringIndexOutOfRange(part: part, reference: cell.reference,
                                                   index: XLSXReadError.clipped(cell.value),
                                                   count: sharedStrings.count)
            }
            return sharedStrings[index]
        case "inlineStr"?:
            return cell.inlineString?.text ?? XLSXText.unescaped(cell.value)
        case "str"?:
            // A formula's text result.
            return XLSXText.unescaped(cell.value)
        case "b"?:
            return cell.value == "1" ? "TRUE" : cell.value == "0" ? "FALSE" : cell.value
        default:
            // "n" or no type (a number), "e" (an error such as #N/A), "d" (an ISO 8601 date): the text as written.
            return cell.value
        }
    }
}

/// `xl/sharedStrings.xml`: the text of every `<si>`, in order, since `t="s"` cells refer to them by index.
final class XLSXSharedStringsReader: XLSXPartHandler {
    private let part: String
    private let limits: XLSXReadLimits
    private(set) var strings: [String] = []
    private var item: XLSXStringItem?

    init(part: String, limits: XLSXReadLimits) {
        self.part = part
        self.limits = limits
    }

    func start(_ element: String, attributes: [String: String], line: Int) {
        if element == "si" { item = XLSXStringItem() } else { item?.start(element) }
    }

    func end(_ element: String) throws(XLSXReadError) {
        guard element == "si" else { item?.end(element); return }
        guard let item else { return }
        self.item = nil
        guard strings.count < limits.sharedStringCountMax else {
            throw .tooManySharedStrings(part: part, countMax: limits.sharedStringCountMax)
        }
        let text = item.text
        guard text.utf16.count <= limits.cellTextLengthUTF16Max else {
            throw .textTooLong(part: part, location: "shared string \(strings.count) (numbered from 0)",
                               lengthUTF16Max: limits.cellTextLengthUTF16Max)
        }
        strings.append(text)
    }

    func characters(_ text: String) {
        item?.characters(text)
    }
}

/// A1 references and the numbers in them, read without any arithmetic that could trap on file data.
enum XLSXCellReferenceParser {
    /// Numbers are capped here while reading: far past any limit, and small enough that `* 10 + 9` cannot overflow.
    private static let decimalCap = 1_000_000_000_000_000

    /// `"C7"` → column 2, row 7. Column letters are one to three, any case; the row is digits, not zero.
    /// - Returns: `nil` for anything else. A column past `XFD` is returned, for the caller's column limit to name.
    static func parse(_ reference: String) -> (column: Int, row: Int)? {
        let letters = reference.utf8.prefix { isLetter($0) }
        guard (1...3).contains(letters.count) else { return nil }
        var column = 0
        for letter in letters { column = column * 26 + Int(letter | 0x20) - 0x60 }  // a/A = 1 … z/Z = 26
        guard let row = decimal(reference.utf8.dropFirst(letters.count)), row > 0 else { return nil }
        return (column - 1, row)
    }

    /// A non-negative decimal of ASCII digits only (no sign, space or exponent), capped at `decimalCap`.
    static func decimal(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var value = 0
        for digit in digits { value = min(value * 10 + Int(digit - 0x30), decimalCap) }
        return value
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
