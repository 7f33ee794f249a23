import Testing
@testable import ReportWriters

/// The limits agree with each other and with the formats they protect.
@Suite struct ReportLimitsTests {
    @Test func xlsxWidthsFitExcel() {
        #expect(ReportLimits.xlsxColumnWidthCharactersMin < ReportLimits.xlsxColumnWidthCharactersMax)
        #expect(ReportLimits.xlsxColumnWidthCharactersMax <= ReportLimits.excelColumnWidthCharactersMax)
    }

    @Test func csvReaderAcceptsAnythingASheetCanHold() {
        #expect(ReportLimits.csvRecordCountMax >= ReportLimits.excelRowCountMax)
        #expect(ReportLimits.csvFieldCountMax >= ReportLimits.excelColumnCountMax)
    }

    @Test func moneyScaleLeavesRoomForWholeDigits() {
        // Money formatting supports 0...18 decimals; Excel keeps 15 significant digits.
        #expect(ReportLimits.moneyScaleMax <= 18)
        #expect(ReportLimits.moneyScaleMax < ReportLimits.excelNumberDigitCountMax)
    }

    @Test func sheetLayoutFitsTheParametersAndAHeader() {
        let rowsAboveBody = ReportLimits.tableParameterCountMax + ReportLimits.xlsxRowsAboveHeaderFixed + 1
        #expect(rowsAboveBody < ReportLimits.excelRowCountMax)
    }

    @Test func styleIndexesAreTheirPositions() {
        #expect(XLSXCellStyle.all.enumerated().allSatisfy { $0.offset == $0.element.index })
        #expect(Set(XLSXCellStyle.all).count == XLSXCellStyle.all.count)
    }

    @Test func columnLettersAreBijectiveBase26() {
        #expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(XLSXCellReference.column)
                == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"])
    }
}
