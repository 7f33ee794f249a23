/// The bounds ``XLSXReader`` puts on a workbook, so a hostile or careless file ends in a typed ``XLSXReadError``
/// instead of exhausting the hub's memory.
///
/// An xlsx is a ZIP of XML parts, and both layers can be made to blow up: a few kilobytes of deflate inflate to
/// gigabytes, and one `<c r="XFD1048576">` asks for a sheet of seventeen billion cells. The defaults accept
/// anything Excel itself can save; tests pass small values to stay tiny.
public struct XLSXReadLimits: Hashable, Sendable {
    /// Uncompressed bytes of any one part (the sheet, the shared strings, the workbook, a relationships part). The
    /// size a ZIP entry declares is checked before extracting it, and the bytes are counted while inflating,
    /// because the declaration is written by whoever made the file and can lie.
    public var partBytesMax: Int
    /// The highest row number read. It also bounds the memory of rows the file leaves out before a row with values,
    /// which come back as `[]` (one array slot each).
    public var rowCountMax: Int
    /// Columns of the sheet; column letters stop at `XFD` (16,384) in any case.
    public var columnCountMax: Int
    /// UTF-16 units of one cell's text, the unit Excel counts its own cell limit in.
    public var cellTextLengthUTF16Max: Int
    /// Items in the shared-string table.
    public var sharedStringCountMax: Int
    /// Cells kept in memory for the sheet, counting the empty cells placed before a value in its row: what bounds
    /// memory when values sit far right (`<c r="XFD7">` costs 16,384 cells).
    public var cellCountMax: Int

    /// 64 MiB of XML: several hundred thousand rows of a bank export; a bigger part is not a statement or a registry.
    public static let partBytesMaxDefault = 64 * 1024 * 1024
    /// Two million: about what a full 64 MiB part holds at 32 bytes an item.
    public static let sharedStringCountMaxDefault = 2_000_000
    /// Five million cells (250,000 rows of 20 columns): 80 MB of `String` slots, plus the text longer than 15 bytes.
    public static let cellCountMaxDefault = 5_000_000

    public init(partBytesMax: Int = XLSXReadLimits.partBytesMaxDefault,
                rowCountMax: Int = ReportLimits.excelRowCountMax,
                columnCountMax: Int = ReportLimits.excelColumnCountMax,
                cellTextLengthUTF16Max: Int = ReportLimits.excelCellTextLengthUTF16Max,
                sharedStringCountMax: Int = XLSXReadLimits.sharedStringCountMaxDefault,
                cellCountMax: Int = XLSXReadLimits.cellCountMaxDefault) {
        self.partBytesMax = partBytesMax
        self.rowCountMax = rowCountMax
        self.columnCountMax = columnCountMax
        self.cellTextLengthUTF16Max = cellTextLengthUTF16Max
        self.sharedStringCountMax = sharedStringCountMax
        self.cellCountMax = cellCountMax
    }
}
