/// Why an xlsx workbook could not be read: the error type of ``XLSXReader``.
///
/// Each case is one English sentence in ``description`` (the console translates by ``name``), naming the part of
/// the package and, where there is one, the cell or row. Cell contents are never put in it; text taken from the
/// file's markup (a reference, an index, a target) is cut to 40 characters, so a hostile file cannot fill a log.
public enum XLSXReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not a ZIP archive (an old binary `.xls`, a password-protected workbook, which Excel stores in
    /// an encrypted OLE container, or a CSV renamed to `.xlsx`).
    case notAZip
    /// A ZIP archive without the workbook part: not an xlsx.
    case missingWorkbook(part: String)
    /// A part the workbook refers to (its first sheet, its shared strings) is not in the archive.
    case missingPart(part: String)
    /// The workbook lists no worksheet (only chart sheets, or nothing).
    case noWorksheet(part: String)
    /// A sheet of the workbook names a relationship id its relationships part does not have.
    case missingRelationship(part: String, id: String)
    /// A relationship target that climbs out of the package (`../../x`) or is empty.
    case invalidRelationshipTarget(part: String, target: String)
    /// The ZIP entry declares more uncompressed bytes than ``XLSXReadLimits/partBytesMax``.
    case partTooLarge(part: String, sizeBytes: Int, sizeBytesMax: Int)
    /// The entry declared a size within the limit but inflated past it: a lying header, as in a zip bomb.
    case partInflatesPastLimit(part: String, declaredBytes: Int, sizeBytesMax: Int)
    /// The entry cannot be extracted (bad deflate data, a size or CRC-32 that does not match, a missing local
    /// header); `reason` holds no content.
    case corruptPart(part: String, reason: String)
    /// The entry's data ends before its deflate stream does, or runs past the end of the file: a file cut short,
    /// or one made to hang a reader whose inflate loop waits for more input (ZIPFoundation 0.9.20 on Linux).
    case truncatedPart(part: String)
    /// The entry is encrypted with ZIP encryption (flag bit 0), which no workbook writer uses for its parts.
    case encryptedPart(part: String)
    /// The entry is compressed with a ZIP method other than stored (0) or deflate (8).
    case unsupportedCompression(part: String, method: Int)
    /// The archive uses ZIP64 markers, which a workbook within ``XLSXReadLimits`` never needs.
    case zip64NotSupported
    /// The archive's end record or central directory is inconsistent; `reason` holds no content.
    case corruptArchive(reason: String)
    /// A part that is not UTF-8 (the parser is only given UTF-8, which every real xlsx writer uses).
    case notUTF8(part: String)
    /// A part declaring a DOCTYPE or entities, which OOXML parts never do.
    case documentTypeNotAllowed(part: String)
    /// A part that is not well-formed XML; `line` is the parser's line of the first error.
    case malformedXML(part: String, line: Int, reason: String)
    case tooManySharedStrings(part: String, countMax: Int)
    /// A cell's text, or a shared string's, past ``XLSXReadLimits/cellTextLengthUTF16Max``; `location` is
    /// "cell C7" or "shared string 12".
    case textTooLong(part: String, location: String, lengthUTF16Max: Int)
    /// A `<row r="…">` that is not a whole number from 1.
    case invalidRowNumber(part: String, text: String)
    /// Rows must come in increasing order, as Excel writes them; a repeat or a step back is refused.
    case rowOutOfOrder(part: String, row: Int, previousRow: Int)
    /// `row` is the row number as written in the file (it may be too large for any integer type).
    case tooManyRows(part: String, row: String, rowCountMax: Int)
    /// A `<c r="…">` that is not column letters then the number of the row it sits in.
    case invalidCellReference(part: String, reference: String, row: Int)
    /// Cells must come in increasing column order within a row; a repeat or a step back is refused.
    case cellOutOfOrder(part: String, reference: String)
    case tooManyColumns(part: String, reference: String, columnCountMax: Int)
    case tooManyCells(part: String, reference: String, cellCountMax: Int)
    /// A `t="s"` cell whose index is not one of the shared strings (`index` as written in the file).
    case sharedStringIndexOutOfRange(part: String, reference: String, index: String, count: Int)

    /// A short stable name for the case, in kebab case, for programs, tests and translations.
    public var name: String {
        switch self {
        case .notAZip: "not-a-zip"
        case .missingWorkbook: "missing-workbook"
        case .missingPart: "missing-part"
        case .noWorksheet: "no-worksheet"
        case .missingRelationship: "missing-relationship"
        case .invalidRelationshipTarget: "invalid-relationship-target"
        case .partTooLarge: "part-too-large"
        case .partInflatesPastLimit: "part-inflates-past-limit"
        case .corruptPart: "corrupt-part"
        case .truncatedPart: "truncated-part"
        case .encryptedPart: "encrypted-part"
        case .unsupportedCompression: "unsupported-compression"
        case .zip64NotSupported: "zip64-not-supported"
        case .corruptArchive: "corrupt-archive"
        case .notUTF8: "not-utf8"
        case .documentTypeNotAllowed: "document-type-not-allowed"
        case .malformedXML: "malformed-xml"
        case .tooManySharedStrings: "too-many-shared-strings"
        case .textTooLong: "text-too-long"
        case .invalidRowNumber: "invalid-row-number"
        case .rowOutOfOrder: "row-out-of-order"
        case .tooManyRows: "too-many-rows"
        case .invalidCellReference: "invalid-cell-reference"
        case .cellOutOfOrder: "cell-out-of-order"
        case .tooManyColumns: "too-many-columns"
        case .tooManyCells: "too-many-cells"
        case .sharedStringIndexOutOfRange: "shared-string-index-out-of-range"
        }
    }

    public var description: String {
        switch self {
        case .notAZip:
            "the file is not an xlsx workbook: it is not a ZIP archive (an old .xls, a password-protected workbook or "
                + "a renamed CSV is not one)"
        case .missingWorkbook(let part):
            "the file is a ZIP archive but not an xlsx workbook: it has no \(part)"
        case .missingPart(let part):
            "the workbook refers to \(part), which is missing from the file"
        case .noWorksheet(let part):
            "\(part) lists no worksheet to read"
        case .missingRelationship(let part, let id):
            "the workbook's sheet list refers to relationship \"\(id)\", which \(part) does not have"
        case .invalidRelationshipTarget(let part, let target):
            "\(part) points to \"\(target)\", which is not a part inside the file"
        case .partTooLarge(let part, let size, let sizeMax):
            "\(part) is \(size) bytes uncompressed, over the limit of \(sizeMax) bytes"
        case .partInflatesPastLimit(let part, let declared, let sizeMax):
            "\(part) declares \(declared) bytes but inflates past the limit of \(sizeMax) bytes: the file is "
                + "damaged or made to exhaust memory"
        case .corruptPart(let part, let reason):
            "\(part) cannot be extracted, the file is damaged: \(reason)"
        case .truncatedPart(let part):
            "\(part) is cut short: its compressed data ends before the part does (the file is truncated or damaged)"
        case .encryptedPart(let part):
            "\(part) is encrypted inside the ZIP archive; save the workbook again without ZIP encryption"
        case .unsupportedCompression(let part, let method):
            "\(part) is compressed with ZIP method \(method), which the reader does not support (only stored and "
                + "deflate, what Excel, WPS and LibreOffice write)"
        case .zip64NotSupported:
            "the file uses ZIP64 extensions, which no workbook within the size limits needs; save it again from Excel, "
                + "WPS or LibreOffice"
        case .corruptArchive(let reason):
            "the file is a damaged ZIP archive: \(reason)"
        case .notUTF8(let part):
            "\(part) is not UTF-8 text, as the parts of workbooks saved by Excel, WPS or LibreOffice are"
        case .documentTypeNotAllowed(let part):
            "\(part) declares a DOCTYPE or entities, which workbook parts never do (refused: entity expansion is the "
                + "classic XML attack)"
        case .malformedXML(let part, let line, let reason):
            "\(part) is not well-formed XML at line \(line): \(reason)"
        case .tooManySharedStrings(let part, let countMax):
            "\(part) holds more than \(countMax) shared strings"
        case .textTooLong(let part, let location, let lengthMax):
            "\(location) in \(part) is longer than \(lengthMax) characters"
        case .invalidRowNumber(let part, let text):
            "\(part) has a row numbered \"\(text)\"; row numbers are whole numbers from 1"
        case .rowOutOfOrder(let part, let row, let previousRow):
            "row \(row) in \(part) comes after row \(previousRow); rows must be in increasing order"
        case .tooManyRows(let part, let row, let rowCountMax):
            "row \(row) in \(part) is past the limit of \(rowCountMax) rows"
        case .invalidCellReference(let part, let reference, let row):
            "the cell reference \"\(reference)\" in row \(row) of \(part) is not valid: it must be column letters "
                + "A to XFD followed by \(row)"
        case .cellOutOfOrder(let part, let reference):
            "cell \(reference) in \(part) comes after a cell at or right of its column; cells must be in "
                + "increasing column order"
        case .tooManyColumns(let part, let reference, let columnCountMax):
            "cell \(reference) in \(part) is past the limit of \(columnCountMax) columns"
        case .tooManyCells(let part, let reference, let cellCountMax):
            "\(part) holds more than \(cellCountMax) cells, counting the empty cells before each value in its row "
                + "(reached at cell \(reference))"
        case .sharedStringIndexOutOfRange(let part, let reference, let index, let count):
            "cell \(reference) in \(part) refers to shared string \(index), but the workbook has \(count) "
                + "(numbered from 0)"
        }
    }

    /// Text from the file's markup as it goes into an error: at most 40 characters.
    static func clipped(_ text: String) -> String {
        let head = text.prefix(41)
        return head.count <= 40 ? text : String(head.dropLast()) + "…"
    }
}
