import Testing
@testable import ReportWriters

/// Date cells are strict `YYYY-MM-DD` days, and their Excel serials match what Excel shows.
@Suite struct CalendarDayTests {
    @Test(arguments: [("1900-03-01", 61), ("1970-01-01", 25_569), ("2000-02-29", 36_585), ("2024-03-31", 45_382),
                      ("2024-02-29", 45_351), ("9999-12-31", 2_958_465)])
    func excelSerials(text: String, serial: Int) throws {
        #expect(try #require(CalendarDay(text)).excelSerial == serial)
    }

    @Test func daysBeforeMarch1900HaveNoSerial() throws {
        // Excel's 1900 system counts a 1900-02-29 that never was, so earlier serials would name the wrong day.
        #expect(try #require(CalendarDay("1900-02-28")).excelSerial == nil)
        #expect(try #require(CalendarDay("1899-12-31")).excelSerial == nil)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
                      "2024-3-31", "24-03-31", "2024/03/31", "２０２４-03-31", "2024-03-31T00:00", ""])
    func rejectsWhatIsNotARealDay(text: String) {
        #expect(CalendarDay(text) == nil)
    }
}
