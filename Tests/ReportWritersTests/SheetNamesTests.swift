import Testing
@testable import ReportWriters

/// Sheet names follow Excel's rules whatever the table titles are.
@Suite struct SheetNamesTests {
    @Test func forbiddenCharactersBecomeUnderscores() {
        #expect(SheetNames.unique(for: ["a[b]c:d*e?f/g\\h", "tab\there"]) == ["a_b_c_d_e_f_g_h", "tab_here"])
    }

    @Test func longTitlesAreCutToThirtyOneUTF16Units() {
        let chinese = String(repeating: "财", count: 40)
        #expect(SheetNames.unique(for: [chinese]) == [String(repeating: "财", count: 31)])
        // An emoji is two UTF-16 units and is never split in half.
        let emoji = String(repeating: "a", count: 30) + "👍"
        #expect(SheetNames.unique(for: [emoji]) == [String(repeating: "a", count: 30)])
    }

    /// 8: "Sheet names are cut mid-word (`Intercompany difference adjustm`)".
    @Test func longTitlesAreShortenedAtAWordAndStayUnique() {
        let names = SheetNames.unique(for: ["Intercompany difference adjustments", "Intercompany difference adjustments (2025)",
                                            "Summary of accounts by level, unit and month"])
        #expect(names == ["Intercompany difference", "Intercompany difference (2)", "Summary of accounts by level,"
            .replacingOccurrences(of: ",", with: "")], "\(names)")
        #expect(SheetNames.unique(for: [String(repeating: "x", count: 40)]) == [String(repeating: "x", count: 31)], "one long word is cut")
    }

    @Test func apostrophesAtTheEndsReservedAndEmptyNamesAreReplaced() {
        #expect(SheetNames.unique(for: ["'quoted'", "History", "", "'''"]) == ["quoted", "Sheet2", "Sheet3", "Sheet4"])
    }

    @Test func duplicatesIgnoringCaseGetNumbered() {
        let long = String(repeating: "月", count: 31)
        let names = SheetNames.unique(for: ["Summary", "summary", "SUMMARY", long, long])
        #expect(names == ["Summary", "summary (2)", "SUMMARY (3)", long, String(repeating: "月", count: 27) + " (2)"])
        #expect(names.allSatisfy { $0.utf16.count <= ReportLimits.excelSheetNameLengthUTF16Max })
    }

    @Test func fallbackNamesStayUnique() {
        #expect(SheetNames.unique(for: ["Sheet2", ""]) == ["Sheet2", "Sheet2 (2)"])
    }
}
