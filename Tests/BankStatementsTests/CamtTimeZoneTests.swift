import Foundation
import LedgerCore
import Testing
@testable import BankStatements

/// Goal: a camt.053 date given as a date-time (`BookgDt/DtTm`, `ValDt/DtTm`, `Bal/Dt/DtTm`) becomes the account's
/// local calendar day in the time zone the caller passes; a date-time without a zone designator is already local;
/// a plain `Dt` is taken as written; a malformed date-time is refused with its exact place and reason.
///
/// Method: the hand-written files in `Fixtures/dialects/camt053` (see the README there) are read in several zones
/// and every date, amount and balance is compared, and the statements must still balance. Malformed texts are
/// built inline. The conversion itself (`StatementDateTime`) is checked across daylight saving changes, extreme
/// offsets, dates before 1970 and the calendar arithmetic over whole centuries.
@Suite struct CamtTimeZoneTests {
    static func fixture(_ name: String, _ file: String = #filePath) throws -> Data {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dialects/camt053").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }

    static func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier), "time zone \(identifier) is not known on this system")
    }

    /// A date the test states; a typo here is a bug in the test, so it traps.
    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }

    // MARK: - The fixtures

    /// A Frankfurt bank writing UTC: what it booked at local midnight (`2014-01-04T23:00:00Z`) belongs to the
    /// 5th in Europe/Berlin and to the 4th in UTC. Amounts, balances and control totals do not depend on the zone.
    @Test func aUTCBookingTimeIsTheAccountsLocalDay() throws {
        let data = try Self.fixture("utc-booking-datetime.xml")
        let berlin = try #require(try Camt053Parser.parse(data, timeZone: Self.zone("Europe/Berlin")).first)
        #expect(berlin.account == "DE89370400440532013000" && berlin.statementID == "FS-UTC-20140105-1")
        #expect(berlin.currency == CurrencyCode("EUR") && berlin.sequenceNumber == 5)
        #expect(berlin.openingBalance == AmountMinorUnits(100_000))
        #expect(berlin.closingBalance == AmountMinorUnits(117_450))
        #expect(berlin.openingDate == Self.date("2014-01-05"))
        #expect(berlin.closingDate == Self.date("2014-01-05"))
        #expect(berlin.entries.map(\.amount) == [AmountMinorUnits(25_000), AmountMinorUnits(-7_550)])
        #expect(berlin.entries.map(\.mark) == [.credit, .debit])
        #expect(berlin.entries.map(\.reference) == ["FS-UTC-REF-1", "FS-UTC-REF-2"])
        #expect(berlin.entries.map(\.bookingDate) == [Self.date("2014-01-05"), Self.date("2014-01-05")])
        #expect(berlin.entries.map(\.valueDate) == [Self.date("2014-01-05"), Self.date("2014-01-06")])
        #expect(berlin.controlTotals == StatementControlTotals(
            entryCount: 2, entrySum: AmountMinorUnits(32_550), netAmount: AmountMinorUnits(17_450), creditCount: 1,
            creditSum: AmountMinorUnits(25_000), debitCount: 1, debitSum: AmountMinorUnits(7_550)))
        try berlin.validateBalances()

        let utc = try #require(try Camt053Parser.parse(data, timeZone: Self.zone("UTC")).first)
        #expect(utc.openingDate == Self.date("2014-01-04"))
        #expect(utc.closingDate == Self.date("2014-01-05"))
        #expect(utc.entries.map(\.bookingDate) == [Self.date("2014-01-04"), Self.date("2014-01-05")])
        #expect(utc.entries.map(\.valueDate) == [Self.date("2014-01-04"), Self.date("2014-01-06")])
        #expect(utc.entries.map(\.amount) == berlin.entries.map(\.amount))
        #expect(utc.openingBalance == berlin.openingBalance && utc.closingBalance == berlin.closingBalance)
        #expect(utc.controlTotals == berlin.controlTotals)
        try utc.validateBalances()

        // Only the dates differ between the two readings.
        var moved = utc
        moved.openingDate = berlin.openingDate
        for index in moved.entries.indices {
            moved.entries[index].bookingDate = berlin.entries[index].bookingDate
            moved.entries[index].valueDate = berlin.entries[index].valueDate
        }
        #expect(moved == berlin)
    }

    /// Without a zone the parser and the format-detecting reader use UTC, the default made explicit.
    /// The registry keeps each account's zone (`hub account add --time-zone`): the reader takes every statement's
    /// date-times in its own account's zone, and the fallback for an account without one.
    @Test func eachStatementIsReadInItsAccountsZone() throws {
        let data = try Self.fixture("utc-booking-datetime.xml")
        let berlin = try Self.zone("Europe/Berlin")
        let kept = try BankStatementReader.read(data, timeZoneOf: { $0 == "DE89370400440532013000" ? berlin : nil })
        #expect(kept.statements.first?.openingDate == Self.date("2014-01-05"))
        #expect(kept.statements.first?.entries.map(\.bookingDate) == [Self.date("2014-01-05"), Self.date("2014-01-05")])
        #expect(kept == (try BankStatementReader.read(data, timeZone: berlin)))
        let none = try BankStatementReader.read(data, timeZoneOf: { _ in nil })
        #expect(none.statements.first?.entries.map(\.bookingDate) == [Self.date("2014-01-04"), Self.date("2014-01-05")], "UTC without a zone")
        let shanghai = try BankStatementReader.read(data, timeZoneOf: { _ in nil }, fallback: Self.zone("Asia/Shanghai"))
        #expect(shanghai == (try BankStatementReader.read(data, timeZone: Self.zone("Asia/Shanghai"))))
    }

    @Test func theDefaultZoneIsUTCForTheParserAndTheReader() throws {
        let data = try Self.fixture("utc-booking-datetime.xml")
        #expect(Camt053Parser.defaultTimeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_388_876_400)) == 0)
        let utc = try Camt053Parser.parse(data, timeZone: Self.zone("UTC"))
        #expect(try Camt053Parser.parse(data) == utc)
        #expect(try BankStatementReader.read(data) == StatementFile(format: .camt053, statements: utc))
        let berlin = try Self.zone("Europe/Berlin")
        #expect(try BankStatementReader.read(data, timeZone: berlin)
            == StatementFile(format: .camt053, statements: try Camt053Parser.parse(data, timeZone: berlin)))
        #expect(try BankStatementReader.read(data, timeZone: berlin).statements.first?.entries.first?.bookingDate
            == Self.date("2014-01-05"))
    }

    /// Explicit offsets are instants: `2014-01-05T00:30:00+01:00` is the 5th in Berlin and Shanghai, the 4th in
    /// UTC and New York. Plain balance dates stay 2014-01-05 everywhere.
    @Test(arguments: [
        ("UTC", "2014-01-04", "2014-01-05", "2014-01-05"),
        ("Europe/Berlin", "2014-01-05", "2014-01-05", "2014-01-05"),
        ("Asia/Shanghai", "2014-01-05", "2014-01-05", "2014-01-05"),
        ("America/New_York", "2014-01-04", "2014-01-04", "2014-01-04"),
    ])
    func anOffsetDateTimeIsConvertedToTheAccountsZone(zone: String, first: String, secondBooking: String,
                                                      secondValue: String) throws {
        let data = try Self.fixture("offset-booking-datetime.xml")
        let statement = try #require(try Camt053Parser.parse(data, timeZone: Self.zone(zone)).first)
        #expect(statement.account == "FR1420041010050500013M02606" && statement.sequenceNumber == 17)
        #expect(statement.openingDate == Self.date("2014-01-05"), "\(zone)")
        #expect(statement.closingDate == Self.date("2014-01-05"), "\(zone)")
        #expect(statement.openingBalance == AmountMinorUnits(50_000))
        #expect(statement.closingBalance == AmountMinorUnits(28_000))
        #expect(statement.entries.map(\.amount) == [AmountMinorUnits(-12_000), AmountMinorUnits(-10_000)])
        #expect(statement.entries.map(\.bookingDate) == [Self.date(first), Self.date(secondBooking)], "\(zone)")
        #expect(statement.entries.map(\.valueDate) == [Self.date(first), Self.date(secondValue)], "\(zone)")
        #expect(statement.controlTotals == StatementControlTotals(
            entryCount: 2, entrySum: AmountMinorUnits(22_000), netAmount: AmountMinorUnits(-22_000), debitCount: 2,
            debitSum: AmountMinorUnits(22_000)))
        try StatementValidation.validate([statement])
        #expect(try BankStatementReader.read(data, timeZone: Self.zone(zone)).statements == [statement])
    }

    /// A date-time without a zone designator is the account's local time: its date is taken as written, so the
    /// zone passed changes nothing.
    @Test(arguments: ["UTC", "Europe/Berlin", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"])
    func aZoneLessDateTimeIsAlreadyLocal(zone: String) throws {
        let data = try Self.fixture("local-booking-datetime.xml")
        let statement = try #require(try Camt053Parser.parse(data, timeZone: Self.zone(zone)).first)
        #expect(statement.account == "37040044/0532013000" && statement.statementID == "FS-LOCAL-20140105-1")
        #expect(statement.openingDate == Self.date("2014-01-05"), "\(zone)")
        #expect(statement.closingDate == Self.date("2014-01-05"), "\(zone)")
        #expect(statement.openingBalance == AmountMinorUnits(1_000))
        #expect(statement.closingBalance == AmountMinorUnits(5_000))
        #expect(statement.entries.map(\.amount) == [AmountMinorUnits(4_200), AmountMinorUnits(-200)])
        #expect(statement.entries.map(\.bookingDate) == [Self.date("2014-01-05"), Self.date("2014-01-04")],
                "\(zone)")
        #expect(statement.entries.map(\.valueDate) == [Self.date("2014-01-05"), Self.date("2014-01-05")],
                "\(zone)")
        try statement.validateBalances()
    }

    // MARK: - Malformed date-times, inline

    static let statementPath = "Document/BkToCstmrStmt/Stmt[1]"
    static let bookingPath = statementPath + "/Ntry[1]/BookgDt/DtTm"

    /// One statement on line 5: opening 100.00, one entry of 1.00 CRDT, closing 101.00.
    static func document(booking: String, value: String = "<Dt>2014-01-05</Dt>",
                         opening: String = "<Dt>2014-01-05</Dt>") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
        <BkToCstmrStmt>
        <GrpHdr><MsgId>M1</MsgId><CreDtTm>2014-01-05T18:00:00+01:00</CreDtTm></GrpHdr>
        <Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\
        <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
        <Dt>\(opening)</Dt></Bal>\
        <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">101.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
        <Dt><Dt>2014-01-05</Dt></Dt></Bal>\
        <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
        <BookgDt>\(booking)</BookgDt><ValDt>\(value)</ValDt></Ntry></Stmt>
        </BkToCstmrStmt>
        </Document>
        """
    }

    static let malformedShape = StatementParseError.Code.malformedField(field: "DtTm",
                                                                        reason: StatementDateTime.dateTimeShape)
    static let timeOfDay = StatementParseError.Code.malformedField(
        field: "DtTm", reason: "the time of day must be from 00:00:00 to 23:59:59")
    static let offsetRange = StatementParseError.Code.malformedField(
        field: "DtTm", reason: "the UTC offset must be Z or from -14:00 to +14:00")

    static let malformedDateTimes: [(String, StatementParseError.Code)] = [
        ("", malformedShape),
        ("2014-01-04", malformedShape),
        ("2014-01-04t23:00:00Z", malformedShape),
        ("2014-01-04T23:00:00z", malformedShape),
        ("2014-01-04 23:00:00Z", malformedShape),
        ("2014-01-04T23:00Z", malformedShape),
        ("2014-01-04T23:00:00+0100", malformedShape),
        ("2014-01-04T23:00:00+01", malformedShape),
        ("2014-01-04T23:00:00+01:00Z", malformedShape),
        ("2014-01-04T23:00:00.Z", malformedShape),
        ("2014-01-04T23:00:00,5Z", malformedShape),
        ("2014-01-04T23:00:00.1234567890123Z", malformedShape),
        ("2014-01-04T23:00:00Z junk", malformedShape),
        ("+2014-01-04T23:00:00Z", malformedShape),
        ("-2014-01-04T23:00:00Z", malformedShape),
        ("14-01-04T23:00:00Z", malformedShape),
        ("\u{FF12}\u{FF10}\u{FF11}\u{FF14}-01-04T23:00:00Z", malformedShape),  // full-width digits
        ("2014-01-04T23:00:00\u{7F}Z", malformedShape),  // DEL: allowed by XML 1.0, not by a date-time
        ("2014-01-04T23:00\u{85}:00Z", malformedShape),
        ("2014-01-04T23:00:00\tZ", malformedShape),
        (String(repeating: "9", count: 10_000), malformedShape),
        ("2014-01-04T" + String(repeating: "0", count: 10_000), malformedShape),
        ("2014-01-04T24:00:00Z", timeOfDay),
        ("2014-01-04T23:60:00Z", timeOfDay),
        ("2014-01-04T23:59:60Z", timeOfDay),
        ("2014-01-04T23:00:00+14:01", offsetRange),
        ("2014-01-04T23:00:00-15:00", offsetRange),
        ("2014-01-04T23:00:00+01:60", offsetRange),
        ("2014-02-30T10:00:00Z", .invalidDate(field: "DtTm")),
        ("2014-13-01T10:00:00Z", .invalidDate(field: "DtTm")),
        ("2014-00-10T10:00:00Z", .invalidDate(field: "DtTm")),
        ("2100-02-29T10:00:00Z", .invalidDate(field: "DtTm")),
        ("0000-01-01T10:00:00Z", .invalidDate(field: "DtTm")),
        // Valid text whose UTC day is before year 1 or after 9999: no BusinessDate can hold it.
        ("0001-01-01T00:30:00+01:00", .invalidDate(field: "DtTm")),
        ("9999-12-31T23:30:00-01:00", .invalidDate(field: "DtTm")),
    ]

    @Test(arguments: malformedDateTimes)
    func refusesAMalformedBookingDateTimeWithTheExactReason(text: String, code: StatementParseError.Code) throws {
        let xml = Self.document(booking: "<DtTm>\(text)</DtTm>")
        let error = StatementParseError(code, format: .camt053, line: 5, elementPath: Self.bookingPath)
        let utc = try Self.zone("UTC")
        #expect(throws: error, "\(text.prefix(40))") { try Camt053Parser.parse(Data(xml.utf8), timeZone: utc) }
        #expect(throws: error, "\(text.prefix(40)) through format detection") {
            try BankStatementReader.read(Data(xml.utf8), timeZone: utc)
        }
        #expect(error.description.count < 300, "the bank's text is never echoed")
    }

    @Test func aMalformedValueOrBalanceDateTimeIsRefusedWhereItIs() throws {
        let berlin = try Self.zone("Europe/Berlin")
        let value = Self.document(booking: "<Dt>2014-01-05</Dt>", value: "<DtTm>2014-01-05T12:00</DtTm>")
        #expect(throws: StatementParseError(Self.malformedShape, format: .camt053, line: 5,
                                            elementPath: Self.statementPath + "/Ntry[1]/ValDt/DtTm")) {
            try Camt053Parser.parse(Data(value.utf8), timeZone: berlin)
        }
        let balance = Self.document(booking: "<Dt>2014-01-05</Dt>", opening: "<DtTm>2014-01-05T25:00:00Z</DtTm>")
        #expect(throws: StatementParseError(Self.timeOfDay, format: .camt053, line: 5,
                                            elementPath: Self.statementPath + "/Bal[1]/Dt/DtTm")) {
            try Camt053Parser.parse(Data(balance.utf8), timeZone: berlin)
        }
    }

    /// A plain `Dt` is an `xs:date`: `YYYY-MM-DD`, optionally with a zone designator that does not move the day. A
    /// time in it belongs in `DtTm` and is refused rather than cut off.
    @Test func aPlainDateIsTakenAsWrittenAndATimeInItIsRefused() throws {
        for (text, expected) in [("2014-01-05", "2014-01-05"), ("2014-01-05Z", "2014-01-05"),
                                 ("2014-01-05+01:00", "2014-01-05"), ("2014-01-05-14:00", "2014-01-05"),
                                 ("2016-02-29", "2016-02-29")] {
            for zone in ["UTC", "Asia/Shanghai", "America/New_York"] {
                let xml = Self.document(booking: "<Dt>\(text)</Dt>")
                let statement = try #require(try Camt053Parser.parse(Data(xml.utf8), timeZone: Self.zone(zone)).first)
                #expect(statement.entries.first?.bookingDate == Self.date(expected), "\(text) in \(zone)")
                try statement.validateBalances()
            }
        }
        let shape = StatementParseError.Code.malformedField(field: "Dt", reason: StatementDateTime.dateShape)
        let bookingDt = Self.statementPath + "/Ntry[1]/BookgDt/Dt"
        let offsetRange = StatementParseError.Code.malformedField(
            field: "Dt", reason: "the UTC offset must be Z or from -14:00 to +14:00")
        let refused: [(String, StatementParseError.Code)] = [
            ("2014-01-05T10:00:00", shape), ("2014-01-05T10:00:00Z", shape), ("2014-1-05", shape),
            ("+123-01-05", shape), ("2014-01-05+0100", shape), ("20140105", shape), ("", shape),
            ("2014-01-05+15:00", offsetRange), ("2015-02-29", .invalidDate(field: "Dt")),
            ("2014-04-31", .invalidDate(field: "Dt")),
        ]
        for (text, code) in refused {
            let xml = Self.document(booking: "<Dt>\(text)</Dt>")
            #expect(throws: StatementParseError(code, format: .camt053, line: 5, elementPath: bookingDt), "\(text)") {
                try Camt053Parser.parse(Data(xml.utf8))
            }
        }
    }

    // MARK: - The conversion

    static func localDate(_ text: String, in zone: String) throws -> BusinessDate? {
        guard case .success(let dateTime) = StatementDateTime.parse(text, field: "DtTm") else {
            Issue.record("\(text) was not read")
            return nil
        }
        return dateTime.localDate(in: try Self.zone(zone))
    }

    /// The zone's offset at the instant itself, daylight saving time included: Berlin is UTC+02:00 in July and
    /// returns to UTC+01:00 at 01:00 UTC on the last Sunday of October.
    @Test(arguments: [
        ("2014-07-04T22:00:00Z", "Europe/Berlin", "2014-07-05"),
        ("2014-07-04T21:59:59Z", "Europe/Berlin", "2014-07-04"),
        ("2014-10-25T22:00:00Z", "Europe/Berlin", "2014-10-26"),
        ("2014-10-25T21:59:59Z", "Europe/Berlin", "2014-10-25"),
        ("2014-01-04T22:59:59Z", "Europe/Berlin", "2014-01-04"),
        ("2014-01-04T23:00:00Z", "Europe/Berlin", "2014-01-05"),
        ("2014-01-05T22:59:59Z", "Asia/Shanghai", "2014-01-06"),
        ("2014-01-05T15:59:59.999999999999Z", "Asia/Shanghai", "2014-01-05"),
        ("2014-03-30T00:59:59Z", "America/New_York", "2014-03-29"),
        ("2014-01-05T00:30:00+01:00", "America/Los_Angeles", "2014-01-04"),
        ("2014-01-04T00:00:00+14:00", "UTC", "2014-01-03"),
        ("2014-01-04T23:59:59-14:00", "UTC", "2014-01-05"),
        ("2014-01-04T23:59:59-00:00", "UTC", "2014-01-04"),
        ("1969-12-31T23:30:00-01:00", "UTC", "1970-01-01"),
        ("1970-01-01T00:30:00+01:00", "UTC", "1969-12-31"),
        ("1900-01-01T00:30:00+01:00", "UTC", "1899-12-31"),
        ("2000-02-28T23:30:00-01:00", "UTC", "2000-02-29"),
        ("2100-02-28T23:30:00-01:00", "UTC", "2100-03-01"),
        ("2016-12-31T23:30:00-01:00", "UTC", "2017-01-01"),
        ("0001-01-01T00:30:00+00:00", "UTC", "0001-01-01"),
        ("9999-12-31T23:30:00+01:00", "UTC", "9999-12-31"),
        ("2014-01-04T23:00:00", "Asia/Shanghai", "2014-01-04"),
        ("2014-01-04T23:00:00.5", "Pacific/Kiritimati", "2014-01-04"),
    ])
    func convertsTheInstantToTheZonesCalendarDay(text: String, zone: String, expected: String) throws {
        #expect(try Self.localDate(text, in: zone) == Self.date(expected), "\(text) in \(zone)")
    }

    @Test func readsTheFieldsOfTheText() {
        let text = "2014-01-05T00:30:07.25-05:30"
        guard case .success(let dateTime) = StatementDateTime.parse(text, field: "DtTm") else {
            Issue.record("not read")
            return
        }
        #expect(dateTime == StatementDateTime(year: 2014, month: 1, day: 5, hour: 0, minute: 30, second: 7,
                                              offsetSeconds: -(5 * 3600 + 30 * 60)))
        guard case .success(let local) = StatementDateTime.parse("2014-01-05T00:30:07", field: "DtTm") else {
            Issue.record("not read")
            return
        }
        #expect(local.offsetSeconds == nil)
    }

    /// The integer calendar agrees with itself day by day across four centuries (leap years 1900, 2000, 2100 and
    /// 2400 included), and with the Unix epoch.
    @Test func theIntegerCalendarRoundTrips() {
        #expect(StatementDateTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(StatementDateTime.daysFromCivil(year: 2014, month: 1, day: 5) == 16_075)
        #expect(StatementDateTime.daysFromCivil(year: 1, month: 1, day: 1) == -719_162)
        #expect(StatementDateTime.daysFromCivil(year: 9999, month: 12, day: 31) == 2_932_896)
        #expect(BusinessDate.fromDaysSinceEpoch(checked: -719_163) == nil && BusinessDate.fromDaysSinceEpoch(checked: 2_932_897) == nil)
        #expect(BusinessDate.fromDaysSinceEpoch(checked: -719_162)?.description == "0001-01-01")
        var expected: (year: Int, month: Int, day: Int) = (1800, 1, 1)
        let first = StatementDateTime.daysFromCivil(year: 1800, month: 1, day: 1)
        let last = StatementDateTime.daysFromCivil(year: 2401, month: 1, day: 1)
        var mismatches = 0
        for days in first..<last {
            guard let civil = BusinessDate.fromDaysSinceEpoch(checked: days) else {
                mismatches += 1
                continue
            }
            let same = civil.year == expected.year && civil.month == expected.month && civil.day == expected.day
            if !same || StatementDateTime.daysFromCivil(year: civil.year, month: civil.month, day: civil.day) != days {
                mismatches += 1
            }
            let leap = (expected.year % 4 == 0 && expected.year % 100 != 0) || expected.year % 400 == 0
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][expected.month - 1]
            if expected.day < length {
                expected.day += 1
            } else if expected.month < 12 {
                expected = (expected.year, expected.month + 1, 1)
            } else {
                expected = (expected.year + 1, 1, 1)
            }
        }
        #expect(mismatches == 0)
        #expect(expected.year == 2401 && expected.month == 1 && expected.day == 1)
    }
}
