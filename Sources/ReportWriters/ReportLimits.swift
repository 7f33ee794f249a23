/// Every limit of the report writers and the CSV reader, named in one place (TigerBeetle's "put a limit on
/// everything"). The relationships between them are tested in `ReportLimitsTests`.
///
/// The `excel…` values are Excel's own specification limits: a workbook past them is refused or silently cut by
/// Excel, so the writer refuses it first with a typed error that says which limit and by how much.
public enum ReportLimits {
    /// Rows in one worksheet (Excel 2007 and later).
    public static let excelRowCountMax = 1_048_576
    /// Columns in one worksheet (XFD).
    public static let excelColumnCountMax = 16_384
    /// UTF-16 code units in one cell; Excel truncates longer text.
    public static let excelCellTextLengthUTF16Max = 32_767
    /// UTF-16 code units in a sheet name.
    public static let excelSheetNameLengthUTF16Max = 31
    /// Significant digits Excel keeps in a number (it stores IEEE doubles and shows 15 digits). A money cell with more
    /// digits than this would be displayed and summed inexactly, so the xlsx writer refuses it.
    public static let excelNumberDigitCountMax = 15
    /// Column width in Excel's character units (Excel's own maximum is 255).
    public static let excelColumnWidthCharactersMax = 255
    /// Widest column the xlsx writer sets, so one long memo does not push the rest of the sheet off screen.
    public static let xlsxColumnWidthCharactersMax = 60
    /// Narrowest column the xlsx writer sets, so a column of short codes still shows its header.
    public static let xlsxColumnWidthCharactersMin = 8
    /// Rows above the header in a sheet besides the parameters: the title row and one blank row.
    public static let xlsxRowsAboveHeaderFixed = 2
    /// Tables in one report (one sheet each).
    public static let reportTableCountMax = 255
    /// Parameters shown under a title.
    public static let tableParameterCountMax = 32
    /// Decimals of a money cell. ISO 4217 currencies use 0–4; 6 leaves room and keeps amounts within
    /// ``excelNumberDigitCountMax`` for realistic balances.
    public static let moneyScaleMax = 6
    /// Bytes of CSV input the reader accepts; checked before parsing.
    public static let csvInputBytesMax = 256 * 1024 * 1024
    /// Records (lines) in one CSV input: the most a sheet could hold.
    public static let csvRecordCountMax = excelRowCountMax
    /// Fields in one CSV record: the most columns a sheet could hold.
    public static let csvFieldCountMax = excelColumnCountMax
}
