import Foundation
import LedgerCore
import ReportWriters
import Testing
@testable import BankStatements

/// Chinese banks' statement exports (``BankExportParser``) read from the hand-written files in
/// `Fixtures/dialects/china` (see the README there; every balance was worked out by hand) and from rows built
/// here, with every refusal's exact error.
@Suite struct BankExportParserTests {
    static func fixture(_ name: String, _ file: String = #filePath) throws -> Data {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dialects/china").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }

    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }

    /// Money out and money in of a statement's entries, as magnitudes in minor units.
    static func sums(_ statement: BankStatement) -> (debit: Int64, credit: Int64) {
        statement.entries.reduce(into: (Int64(0), Int64(0))) { sums, entry in
            if entry.mark == .debit { sums.0 -= entry.amount.value } else { sums.1 += entry.amount.value }
        }
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var profile: String
        var account: String
        var statementID: String
        var openingMinorUnits: Int64
        var closingMinorUnits: Int64
        var openingDate: String
        var closingDate: String
        var entryCount: Int
        var debitMinorUnits: Int64
        var creditMinorUnits: Int64
        var testDescription: String { file }
    }

    static let expected: [Expected] = [
        Expected(file: "icbc.csv", profile: "icbc", account: "1202021109001234567",
                 statementID: "20261101-20261130",
                 openingMinorUnits: 100_000_000, closingMinorUnits: 123_674_283, openingDate: "2026-11-01",
                 closingDate: "2026-11-30", entryCount: 4, debitMinorUnits: 1_334_567, creditMinorUnits: 25_008_850),
        Expected(file: "ccb.csv", profile: "ccb", account: "34050145860800001234", statementID: "20261101-20261130",
                 openingMinorUnits: 200_000_000, closingMinorUnits: 247_276_550, openingDate: "2026-11-01",
                 closingDate: "2026-11-30", entryCount: 4, debitMinorUnits: 3_723_450, creditMinorUnits: 51_000_000),
        Expected(file: "cmb.txt", profile: "cmb", account: "755912345610801", statementID: "20261101-20261130",
                 openingMinorUnits: 50_000_000, closingMinorUnits: 57_000_000, openingDate: "2026-11-01",
                 closingDate: "2026-11-30", entryCount: 3, debitMinorUnits: 5_000_000, creditMinorUnits: 12_000_000),
        Expected(file: "boc-descending.csv", profile: "boc", account: "178231234567",
                 statementID: "20261101-20261130",
                 openingMinorUnits: 10_000_000, closingMinorUnits: 9_780_000, openingDate: "2026-11-01",
                 closingDate: "2026-11-30", entryCount: 4, debitMinorUnits: 800_000, creditMinorUnits: 580_000),
        Expected(file: "abc.csv", profile: "abc", account: "12-345601040001234", statementID: "20261103-20261117",
                 openingMinorUnits: 5_000_000, closingMinorUnits: 5_100_000, openingDate: "2026-11-03",
                 closingDate: "2026-11-17", entryCount: 2, debitMinorUnits: 200_000, creditMinorUnits: 300_000),
        // Workbooks (make_xlsx_fixtures.py): shared strings, numeric amounts and Excel serial date-times (ICBC);
        // inline strings, text amounts, newest first (BOC).
        Expected(file: "icbc-export.xlsx", profile: "icbc", account: "1202021109007654321", statementID: "20261201-20261231",
                 openingMinorUnits: 345_678_910, closingMinorUnits: 400_984_476, openingDate: "2026-12-01",
                 closingDate: "2026-12-31", entryCount: 4, debitMinorUnits: 4_817_890, creditMinorUnits: 60_123_456),
        Expected(file: "boc-export.xlsx", profile: "boc", account: "177245678901", statementID: "20261201-20261231",
                 openingMinorUnits: 25_630_040, closingMinorUnits: 36_680_050, openingDate: "2026-12-01",
                 closingDate: "2026-12-31", entryCount: 4, debitMinorUnits: 999_990, creditMinorUnits: 12_050_000),
    ]

    // MARK: - The fixtures

    @Test(arguments: expected)
    func readsEachBanksExportExactly(_ expected: Expected) throws {
        let profile = try #require(BankProfiles.profile(id: expected.profile))
        let statement = try BankExportParser.parse(Self.fixture(expected.file), profile: profile)
        #expect(statement.account == expected.account)
        #expect(statement.currency == .cny)
        #expect(statement.statementID == expected.statementID && statement.sequenceNumber == nil)
        #expect(statement.openingBalance == AmountMinorUnits(expected.openingMinorUnits))
        #expect(statement.closingBalance == AmountMinorUnits(expected.closingMinorUnits))
        #expect(statement.openingDate == Self.date(expected.openingDate))
        #expect(statement.closingDate == Self.date(expected.closingDate))
        #expect(statement.entries.count == expected.entryCount)
        let sums = Self.sums(statement)
        #expect(sums.debit == expected.debitMinorUnits && sums.credit == expected.creditMinorUnits)
        #expect(statement.entries.map(\.bookingDate) == statement.entries.map(\.bookingDate).sorted())
        try statement.validateBalances()
    }

    @Test(arguments: expected)
    func theGenericProfileReadsTheSameStatementByHeaderNamesAlone(_ expected: Expected) throws {
        let data = try Self.fixture(expected.file)
        var bank = try BankExportParser.parse(data, profile: try #require(BankProfiles.profile(id: expected.profile)))
        var generic = try BankExportParser.parse(data, profile: BankProfiles.generic)
        // Each names the (unverified) profile it was read through; everything else is the same.
        #expect(bank.warnings.count == 1 && generic.warnings.count == 1 && bank.warnings != generic.warnings)
        bank.warnings = []
        generic.warnings = []
        #expect(generic == bank)  // the statement id too: a re-import under another profile is still a duplicate
    }

    @Test func icbcIsGB18030WithExcelTextMarkersAFooterTotalsRowAndACount() throws {
        let data = try Self.fixture("icbc.csv")
        #expect(String(data: data, encoding: .utf8) == nil)
        #expect(try GB18030Text.decode(data).encoding == .gb18030)
        let statement = try BankExportParser.parse(data, profile: BankProfiles.icbc)
        #expect(statement.entries.first == BankStatementEntry(
            bookingDate: Self.date("2026-11-02"), valueDate: nil, amount: AmountMinorUnits(25_000_000), reference: "",
            counterparty: "合肥市财政局", narrative: "拨款；预算指标下达", mark: .credit,
            additionalInformation: "对方账号：1202020209000011111；对方开户行：102361000021", line: 5))
        #expect(statement.entries[1].customerReference == "00012345" && statement.entries[1].amount.value == -1_234_567)
        #expect(statement.entries[2].narrative == "代发；差旅费报销, 张三")  // a quoted comma, a tab-padded date
        #expect(statement.controlTotals == StatementControlTotals(
            entryCount: 4, creditSum: AmountMinorUnits(25_008_850), debitSum: AmountMinorUnits(1_334_567)))
        #expect(statement.additionalInformation == "户名：合肥市某区财政局" && statement.line == 4)
    }

    @Test func ccbHasAByteOrderMarkFullWidthHeadersABookingDateColumnAndAZeroInTheUnusedColumn() throws {
        let data = try Self.fixture("ccb.csv")
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let statement = try BankExportParser.parse(data, profile: BankProfiles.ccb, account: "3405 0145 8608 0000 1234",
                                                   currency: .cny)
        #expect(statement.account == "3405 0145 8608 0000 1234")  // the caller's spelling, checked against the file's
        #expect(statement.entries[1] == BankStatementEntry(
            bookingDate: Self.date("2026-11-04"), valueDate: nil, amount: AmountMinorUnits(-3_600_000),
            reference: "3405014586080000123-0002", counterparty: "某县第一中学", narrative: "转账；11月经费", mark: .debit,
            customerReference: "10230045",
            additionalInformation: "对方账号：34050145860800005678；对方开户行：建行某县支行；交易时间：20261104 11:22:33",
            line: 6))
        // 0.00 in the debit column, 10,000.00 in the credit column.
        #expect(statement.entries[3].amount.value == 1_000_000 && statement.entries[3].mark == .credit)
    }

    @Test func cmbIsTabSeparatedWithValueDatesAndTransactionTypes() throws {
        let statement = try BankExportParser.parse(Self.fixture("cmb.txt"), profile: BankProfiles.cmb)
        let last = try #require(statement.entries.last)
        #expect(last.bookingDate == Self.date("2026-11-15") && last.valueDate == Self.date("2026-11-16"))
        #expect(last.bankTransactionCode == "转账" && last.reference == "K2026111500003")
        #expect(last.additionalInformation == "对方账号：755987654321001；交易时间：140000")  // 收/付方帐号 with 帐
        #expect(statement.entries[1].counterparty == "某县某单位职工" && statement.entries[1].amount.value == -4_560_000)
    }

    @Test func newestFirstRowsAreTurnedAroundBecauseTheRunningBalanceProvesIt() throws {
        let statement = try BankExportParser.parse(Self.fixture("boc-descending.csv"), profile: BankProfiles.boc)
        #expect(statement.entries.map(\.line) == [8, 7, 6, 5])
        #expect(statement.entries.map(\.amount.value) == [500_000, -500_000, 80_000, -300_000])
        // The counterparty of a credit is its payer, of a debit its payee.
        #expect(statement.entries.map(\.counterparty) == ["某省财政厅", "某县供电公司", "某县自然资源局", "某县环卫所"])
    }

    @Test func aBrokenRunningBalanceIsRefusedAtItsRowWithBothFigures() throws {
        let data = try Self.fixture("bocom-broken-balance.csv")
        let error = StatementParseError(.runningBalanceMismatch(expectedMinorUnits: 11_800_000,
                                                                statedMinorUnits: 11_810_000, currency: "CNY",
                                                                minorUnitDigits: 2), line: 8)
        #expect(throws: error) { try BankExportParser.parse(data, profile: BankProfiles.bocom) }
        #expect(error.description == "statement file line 8: the running balance breaks here: the previous balance "
                + "and this row's amount give 118000.00 CNY but the row states 118100.00 CNY")
    }

    @Test func abcStatesItsTotalsInLabelledFooterRows() throws {
        let statement = try BankExportParser.parse(Self.fixture("abc.csv"), profile: BankProfiles.abc)
        #expect(statement.controlTotals == StatementControlTotals(
            creditCount: 1, creditSum: AmountMinorUnits(300_000), debitCount: 1, debitSum: AmountMinorUnits(200_000)))
        #expect(statement.entries.map(\.narrative) == ["退回；转账", "工程款；转账"])
    }

    // MARK: - Rows (the core shared with xlsx)

    static let header = ["交易日期", "借方发生额", "贷方发生额", "余额", "摘要"]
    static let title = [["账号：6217000010001234567", "币种：人民币"]]

    /// A title row (line 1), the header (line 2), then `body` from line 3.
    static func rows(_ body: [String]..., title: [[String]] = Self.title,
                     header: [String] = Self.header) -> [[String]] {
        title + [header] + body
    }

    static func parse(_ rows: [[String]], account: String? = nil,
                      currency: CurrencyCode? = nil) throws(StatementParseError) -> BankStatement {
        try BankExportParser.parse(rows: rows, profile: BankProfiles.generic, account: account, currency: currency)
    }

    @Test func workbookRowsWithSerialDatesAndNumericCells() throws {
        let rows = [["账户交易明细"], ["账号", "6217000010001234567"], ["币种", "人民币"], [],
                    ["交易日期", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名"],
                    ["46328", "拨款", "", "10000", "60000", "省财政厅"],
                    ["46330.5", "付款", "1234.5", "", "58765.5", "某公司"],
                    ["合计", "", "1234.5", "10000"]]
        let statement = try BankExportParser.parse(rows: rows, profile: BankProfiles.generic, excelSerialDates: true)
        #expect(statement.entries.map(\.bookingDate) == [Self.date("2026-11-02"), Self.date("2026-11-04")])
        #expect(statement.openingBalance.value == 5_000_000 && statement.closingBalance.value == 5_876_550)
        #expect(statement.controlTotals == StatementControlTotals(creditSum: AmountMinorUnits(1_000_000),
                                                                  debitSum: AmountMinorUnits(123_450)))
        try statement.validateBalances()
        // The same rows as text: a bare number is no date there.
        #expect(throws: StatementParseError(.invalidDate(field: "交易日期"), line: 6)) {
            try BankExportParser.parse(rows: rows, profile: BankProfiles.generic)
        }
    }

    @Test func aWorkbookIsReadThroughXLSXReader() throws {
        let money = { (minorUnits: Int64) in ReportTable.Cell.money(minorUnits: minorUnits, scale: 2) }
        let table = ReportTable(
            title: "账户交易明细",
            parameters: [.init(name: "账号", value: "6217000010001234567"), .init(name: "币种", value: "人民币"),
                         .init(name: "起止日期", value: "2026-11-01 至 2026-11-30")],
            columns: [.init(name: "交易日期", kind: .date), .init(name: "摘要", kind: .text),
                      .init(name: "借方发生额", kind: .money), .init(name: "贷方发生额", kind: .money),
                      .init(name: "余额", kind: .money), .init(name: "对方户名", kind: .text)],
            rows: [[.date("2026-11-02"), .text("拨款"), .empty, money(1_000_000), money(6_000_000), .text("省财政厅")],
                   [.date("2026-11-04"), .text("付款"), money(123_450), .empty, money(5_876_550), .text("某公司")]],
            totals: [.text("合计"), .empty, money(123_450), money(1_000_000), .empty, .empty])
        let data = try XLSXWriter.data(for: table)
        let statement = try BankExportParser.parse(data, profile: BankProfiles.generic)
        #expect(statement.account == "6217000010001234567" && statement.currency == .cny)
        #expect(statement.openingDate == Self.date("2026-11-01") && statement.closingDate == Self.date("2026-11-30"))
        #expect(statement.openingBalance.value == 5_000_000 && statement.closingBalance.value == 5_876_550)
        #expect(statement.entries.map(\.line) == [7, 8] && statement.entries.map(\.counterparty) == ["省财政厅", "某公司"])
        #expect(statement.controlTotals?.debitSum == AmountMinorUnits(123_450))
        try statement.validateBalances()
    }

    @Test func anUnreadableWorkbookIsRefusedWithXLSXReadersReason() {
        var data = Data([0x50, 0x4B, 0x03, 0x04])
        data.append(Data(repeating: 0, count: 60))
        let error = #expect(throws: StatementParseError.self) {
            try BankExportParser.parse(data, profile: BankProfiles.generic)
        }
        guard case .unreadableWorkbook(let reason)? = error?.code else {
            Issue.record("expected an unreadable workbook, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty && error?.reason == "the xlsx workbook cannot be read: \(reason)")
    }

    @Test func titleFooterBlankContinuationAndRepeatedHeaderRowsAreNotEntries() throws {
        let rows = Self.rows(["2026-11-02", "", "100.00", "1,100.00", "拨款"],
                             ["", "", "", "", "（摘要续行）"],
                             Self.header,
                             ["2026-11-03", "-50.00", "", "1,150.00", "冲正"],
                             ["合计：2笔"],
                             ["打印时间：2026-12-01 08:00:00"],
                             title: [["某县财政局账户明细"], ["账号：", "6217000010001234567"], ["户名", "某县财政局"]])
        let statement = try Self.parse(rows)
        #expect(statement.entries.count == 2 && statement.openingBalance.value == 100_000)
        // A negative debit is a reversal: money comes back in.
        #expect(statement.entries[1] == BankStatementEntry(
            bookingDate: Self.date("2026-11-03"), valueDate: nil, amount: AmountMinorUnits(5_000), reference: "",
            counterparty: "", narrative: "冲正", mark: .credit, isReversal: true, line: 8))
        #expect(statement.additionalInformation == "户名：某县财政局" && statement.line == 4)
    }

    @Test func aBalanceRowInsideTheTableIsTheStatedOpeningBalanceNotAnEntry() throws {
        let entry = ["2026-11-02", "", "100.00", "1,100.00", "拨款"]
        let statement = try Self.parse(Self.rows(["2026-11-01", "", "", "1,000.00", "期初余额"], entry))
        #expect(statement.entries.count == 1 && statement.openingBalance.value == 100_000)
        #expect(throws: StatementParseError(.statedBalanceMismatch(balance: "opening balance (期初余额)",
                                                                   statedMinorUnits: 90_000, rowsMinorUnits: 100_000,
                                                                   currency: "CNY", minorUnitDigits: 2), line: 3)) {
            try Self.parse(Self.rows(["2026-11-01", "0.00", "0.00", "900.00", "上日余额"], entry))
        }
    }

    @Test func theAccountComesFromTheCallerWhenTheFileNamesNone() throws {
        let rows = Self.rows(["2026-11-02", "", "100.00", "1,100.00", ""], title: [])
        #expect(throws: StatementParseError(.accountUnknown)) { try Self.parse(rows) }
        #expect(StatementParseError(.accountUnknown).description == "statement file: the file does not say which "
                + "account it is for (no 账号 in its title rows or columns); pass the account number when reading it")
        #expect(try Self.parse(rows, account: "6217000010001234567").account == "6217000010001234567")
        // A masked number or a name under an account label says nothing about the account either.
        #expect(throws: StatementParseError(.accountUnknown)) {
            try Self.parse(Self.rows(["2026-11-02", "", "100.00", "1,100.00", ""],
                                     title: [["账号：6217****4567"], ["账户：某县财政局零余额账户"]]))
        }
    }

    static let refusals: [(String, [[String]], String?, CurrencyCode?, StatementParseError)] = [
        ("another account than the caller's", rows(["2026-11-02", "", "100.00", "1,100.00", ""]),
         "6217000010009999999", nil,
         StatementParseError(.malformedField(field: "账号",
                                             reason: "the file is for another account than the one passed"), line: 1)),
        ("another currency than the caller's",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""], title: [["账号：6217000010001234567", "币种：美元"]]),
         nil, .cny,
         StatementParseError(.currencyMismatch(field: "币种", expected: "CNY", found: "USD"), line: 1)),
        ("an unknown currency", rows(["2026-11-02", "", "100.00", "1,100.00", ""],
                                     title: [["账号：6217000010001234567", "币种：贝壳"]]), nil, nil,
         StatementParseError(.invalidCurrency(field: "币种"), line: 1)),
        ("a wrongly grouped amount", rows(["2026-11-02", "", "1,23.45", "1,100.00", ""]), nil, nil,
         StatementParseError(.invalidAmount(field: "贷方发生额"), line: 3)),
        ("a group of four digits", rows(["2026-11-02", "", "1234,567.00", "1,100.00", ""]), nil, nil,
         StatementParseError(.invalidAmount(field: "贷方发生额"), line: 3)),
        ("three decimals", rows(["2026-11-02", "", "1,234.567", "1,100.00", ""]), nil, nil,
         StatementParseError(.tooManyDecimals(field: "贷方发生额", currency: "CNY", minorUnitDigitsMax: 2), line: 3)),
        ("a rounded float from a spreadsheet", rows(["2026-11-02", "", "100.00", "1100.0000000000002", ""]), nil, nil,
         StatementParseError(.tooManyDecimals(field: "余额", currency: "CNY", minorUnitDigitsMax: 2), line: 3)),
        ("amounts in both columns", rows(["2026-11-02", "5.00", "100.00", "1,095.00", ""]), nil, nil,
         StatementParseError(.malformedField(field: "借方发生额/贷方发生额", reason: "the row has an amount in both columns"),
                             line: 3)),
        ("an amount in neither column", rows(["2026-11-02", "", "", "1,000.00", ""]), nil, nil,
         StatementParseError(.malformedField(field: "借方发生额/贷方发生额",
                                             reason: "the row has an amount in neither column"), line: 3)),
        ("no balance in a row", rows(["2026-11-02", "", "100.00", "", ""]), nil, nil,
         StatementParseError(.missingField("余额"), line: 3)),
        ("a day that does not exist", rows(["2026-02-30", "", "100.00", "1,100.00", ""]), nil, nil,
         StatementParseError(.invalidDate(field: "交易日期"), line: 3)),
        ("text in the date column", rows(["见附件", "", "100.00", "1,100.00", ""]), nil, nil,
         StatementParseError(.invalidDate(field: "交易日期"), line: 3)),
        ("a balance without a date", rows(["", "", "100.00", "1,100.00", ""]), nil, nil,
         StatementParseError(.missingField("交易日期"), line: 3)),
        ("a balance that holds both ways on one day",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""], ["2026-11-02", "100.00", "", "1,000.00", ""]), nil, nil,
         StatementParseError(.rowOrderUndetermined(reason: "the running balance holds read top to bottom and bottom "
                                                   + "to top alike, and every row has the same date"), line: 3)),
        ("a balance that holds top to bottom under dates newest first",
         rows(["2026-11-05", "", "100.00", "1,100.00", ""], ["2026-11-02", "", "50.00", "1,150.00", ""]), nil, nil,
         StatementParseError(.rowOrderUndetermined(reason: "the running balance holds read top to bottom but the "
                                                   + "dates run newest first"), line: 3)),
        ("a date that goes back in the proved order",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""], ["2026-11-05", "", "100.00", "1,200.00", ""],
              ["2026-11-03", "", "100.00", "1,300.00", ""]), nil, nil,
         StatementParseError(.malformedField(field: "交易日期", reason: "this row's date is before the previous entry's "
                                             + "although the running balance fixes their order; the rows were sorted "
                                             + "or edited"), line: 5)),
        ("a row outside the stated period",
         rows(["2026-12-01", "", "100.00", "1,100.00", ""],
              title: [["账号：6217000010001234567"], ["起止日期：2026-11-01 至 2026-11-30"]]), nil, nil,
         StatementParseError(.malformedField(field: "交易日期", reason: "the row's date is outside the period the file "
                                             + "states"), line: 4)),
        ("a closing balance stated otherwise than the rows give",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""], ["期末余额：999.00"]), nil, nil,
         StatementParseError(.statedBalanceMismatch(balance: "closing balance (期末余额)", statedMinorUnits: 99_900,
                                                    rowsMinorUnits: 110_000, currency: "CNY", minorUnitDigits: 2),
                             line: 4)),
        ("an account number a spreadsheet rounded",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""], title: [["账号", "6.21700001E+18"]]), nil, nil,
         StatementParseError(.malformedField(field: "账号", reason: "a spreadsheet stored the account number as a number "
                                             + "and rounded it; format the column as text and export again"), line: 1)),
        ("two accounts in one file",
         rows(["2026-11-02", "", "100.00", "1,100.00", ""],
              title: [["账号：6217000010001234567"], ["账号：6217000010009999999"]]),
         nil, nil,
         StatementParseError(.malformedField(field: "账号", reason: "it names another account than 账号 on line 1; one "
                                             + "export must be one account"), line: 2)),
        ("two balance columns", rows(["2026-11-02", "", "100.00", "1,100.00", "1,100.00"],
                                     header: ["交易日期", "借方发生额", "贷方发生额", "余额", "余额"]), nil, nil,
         StatementParseError(.duplicateField("the column 余额"), line: 2)),
        ("no column header", rows(["2026-11-02", "100.00"], header: ["日期说明", "备注"]), nil, nil,
         StatementParseError(.missingField("column header row (a row naming the date column and the amount columns, "
                                           + "such as 交易日期 and 借方发生额/贷方发生额, 收入/支出 or 交易金额, within the "
                                           + "first 100 rows)"))),
        ("no rows at all", rows(), nil, nil, StatementParseError(.noStatements, line: 2)),
    ]

    @Test(arguments: refusals)
    func refusesWithTheExactReason(name: String, rows: [[String]], account: String?, currency: CurrencyCode?,
                                   error: StatementParseError) {
        #expect(throws: error, "\(name)") { try Self.parse(rows, account: account, currency: currency) }
    }

    @Test func aDirectionColumnReadsTheProfilesWordsOnly() throws {
        let header = ["交易日期", "借贷标志", "发生额", "余额"]
        let statement = try Self.parse(Self.rows(["2026-11-02", "贷", "100.00", "1,100.00"],
                                                 ["2026-11-03", "D", "30.00", "1,070.00"], header: header))
        #expect(statement.entries.map(\.amount.value) == [10_000, -3_000])
        let words = BankProfile.Defaults.directionWords
        #expect(throws: StatementParseError(.malformedField(
            field: "借贷标志", reason: "it is neither a debit word (\(words.debit.joined(separator: ", "))) nor a credit "
                + "word (\(words.credit.joined(separator: ", "))) of the bank profile"), line: 3)) {
            try Self.parse(Self.rows(["2026-11-02", "转入", "100.00", "1,100.00"], header: header))
        }
    }

    @Test func withoutARunningBalanceTheStatedBalancesAreUsedAndValidationChecksThem() throws {
        let header = ["交易日期", "交易金额", "摘要"]
        let title = [["账号：6217000010001234567"], ["期初余额：1,000.00", "期末余额：1,070.00"]]
        let statement = try Self.parse(Self.rows(["2026-11-03", "-30.00", ""], ["2026-11-02", "100.00", ""],
                                                 title: title, header: header))
        #expect(statement.entries.map(\.line) == [5, 4])  // dates only falling: newest first
        #expect(statement.openingBalance.value == 100_000 && statement.closingBalance.value == 107_000)
        try statement.validateBalances()
        let wrong = [["账号：6217000010001234567"], ["期初余额：1,000.00", "期末余额：1,000.00"]]
        let unbalanced = try Self.parse(Self.rows(["2026-11-02", "100.00", ""], title: wrong, header: header))
        #expect(throws: StatementValidationError.self) { try unbalanced.validateBalances() }
    }

    // MARK: - Encodings

    @Test func bytesThatAreNeitherUTF8NorGB18030AreRefusedWithTheirOffset() throws {
        let invalid = Data("abc\n".utf8) + Data([0xD5, 0xCB, 0xFF, 0x01])
        let error = StatementParseError(.undecodableText(encoding: "GB18030", byteOffset: 6, incomplete: false),
                                        line: 2)
        #expect(throws: error) { try GB18030Text.decode(invalid) }
        #expect(throws: error) { try BankExportParser.parse(invalid, profile: BankProfiles.icbc) }
        let cutOff = Data([0xD3, 0xE0, 0xB6, 0xEE, 0x81])  // 余额, then half a character
        #expect(throws: StatementParseError(.undecodableText(encoding: "GB18030", byteOffset: 4, incomplete: true),
                                            line: 1)) { try GB18030Text.decode(cutOff) }
        #expect(try GB18030Text.decode(Data([0xD3, 0xE0, 0xB6, 0xEE]))
                == DecodedBankText(text: "余额", encoding: .gb18030))
    }

    @Test func aProfileThatAllowsOnlyUTF8RefusesGB18030() throws {
        var profile = BankProfiles.generic
        profile.encodings = [.utf8]
        #expect(throws: StatementParseError(.invalidEncoding, line: 1)) {
            try BankExportParser.parse(Self.fixture("icbc.csv"), profile: profile)
        }
        // A byte-order mark promises UTF-8, so GB18030 after it is not tried.
        #expect(throws: StatementParseError(.invalidEncoding, line: 1)) {
            try GB18030Text.decode(Data([0xEF, 0xBB, 0xBF, 0xD3, 0xE0]))
        }
    }

    @Test func aTextLongerThanTheConversionBufferIsConvertedInSteps() throws {
        let count = 3 * GB18030Text.chunkBytes / 4
        let bytes = [UInt8]((0..<count).flatMap { _ in [0xD3, 0xE0, 0xB6, 0xEE] as [UInt8] })  // 余额, 4 bytes
        let decoded = try GB18030Text.decodeGB18030(bytes)
        #expect(decoded.utf8.count == 6 * count && decoded.utf8.count > 4 * GB18030Text.chunkBytes)  // many E2BIGs
        #expect(decoded == String(repeating: "余额", count: count))
    }

    // MARK: - Profiles

    @Test func theBuiltInProfilesDecodeAndValidate() throws {
        #expect(BankProfiles.all.map(\.id) == ["icbc", "ccb", "abc", "boc", "bocom", "cmb", "generic"])
        #expect(BankProfiles.profile(id: "cmb")?.name == "招商银行" && BankProfiles.profile(id: "hsbc") == nil)
        for profile in BankProfiles.all {
            try profile.validate()
            #expect(profile.defaultCurrency == "CNY" && profile.dateFormats == BankProfile.Defaults.dateFormats)
            let json = try JSONEncoder().encode(profile)
            #expect(try BankProfile.load(json) == profile, "\(profile.id) survives a JSON round trip")
        }
        #expect(BankProfiles.cmb.separators == ["\t", ","])
    }

    @Test func theGenericProfileHoldsEveryBanksSynonyms() {
        let generic = Dictionary(uniqueKeysWithValues: BankProfiles.generic.columns.all.map {
            ($0.name, Set($0.synonyms.map(BankProfile.normalizedName)))
        })
        for profile in BankProfiles.all where profile.id != "generic" {
            for (field, synonyms) in profile.columns.all {
                let missing = synonyms.filter { !(generic[field] ?? []).contains(BankProfile.normalizedName($0)) }
                #expect(missing.isEmpty, "generic lacks \(profile.id)'s \(field) \(missing)")
            }
        }
    }

    @Test func aCountysOwnProfileLoadsFromJSONWithTheDefaults() throws {
        let json = """
            {"id": "feidong-rcb", "name": "肥东农商银行", "encodings": ["gbk"],
             "columns": {"date": ["记账日"], "debit": ["付出"], "credit": ["存入"], "balance": ["结余"], "memo": ["摘要"]}}
            """
        let profile = try BankProfile.load(Data(json.utf8))
        #expect(profile.encodings == [.gb18030] && profile.separators == [",", "\t"])
        #expect(profile.titleLabels == BankProfile.TitleLabels() && profile.defaultCurrency == "CNY")
        let rows = [["账号：3401234567890"], ["记账日", "付出", "存入", "结余", "摘要"],
                    ["2026年11月2日", "", "8.00", "108.00", "结息"]]
        let statement = try BankExportParser.parse(rows: rows, profile: profile)
        #expect(statement.statementID == "20261102-20261102" && statement.openingBalance.value == 10_000)
        #expect(statement.entries.first?.narrative == "结息")
    }

    static let badProfiles: [(String, String)] = [
        (#"{"id": "x", "name": "某行"}"#, "bank profile: columns is missing"),
        (#"{"id": "x", "name": "某行", "columns": {"debit": ["支出"], "credit": ["收入"], "balance": ["余额"]}}"#,
         "bank profile x: columns.date is empty: the date column must be named"),
        (#"{"id": "x", "name": "某行", "columns": {"date": ["日期"], "debit": ["支出"], "balance": ["余额"]}}"#,
         "bank profile x: name either columns.debit and columns.credit, or columns.amount"),
        (#"{"id": "x", "name": "某行", "dateFormats": ["yyyy-MM"], "columns": {"date": ["日期"], "amount": ["金额"], "#
            + #""balance": ["余额"]}}"#,
         "bank profile x: the date pattern yyyy-MM must hold yyyy, MM or M, and dd or d once each"),
        (#"{"id": "x", "name": "某行", "defaultCurrency": "rmb", "columns": {"date": ["日期"], "amount": ["金额"], "#
            + #""balance": ["余额"]}}"#,
         "bank profile x: defaultCurrency rmb is not a three-letter ISO 4217 code"),
        (#"{"id": "x", "name": "某行", "columns": {"date": ["日期"], "amount": ["金额"], "direction": ["借贷"], "#
            + #""balance": ["余额"]}, "directionWords": {"debit": ["借"], "credit": ["借"]}}"#,
         "bank profile x: a direction word is both debit and credit"),
        (#"{"id": "工行", "name": "某行", "columns": {"date": ["日期"], "amount": ["金额"], "balance": ["余额"]}}"#,
         "bank profile 工行: the id must be 1 to 40 ASCII letters, digits, '-' or '_'"),
    ]

    @Test(arguments: badProfiles)
    func refusesABadProfileWithAReason(json: String, description: String) {
        let error = #expect(throws: BankProfileError.self) { try BankProfile.load(Data(json.utf8)) }
        #expect(error?.description == description)
    }

    @Test func aProfileWithoutADefaultCurrencyNeedsOneFromTheFileOrTheCaller() throws {
        var profile = BankProfiles.generic
        profile.defaultCurrency = nil
        let rows = Self.rows(["2026-11-02", "", "100.00", "1,100.00", ""], title: [["账号：6217000010001234567"]])
        #expect(throws: StatementParseError(.missingField("currency (币种): the file names none and the profile has "
                                                          + "no default, so pass it"))) {
            try BankExportParser.parse(rows: rows, profile: profile)
        }
        let dollars = try BankExportParser.parse(rows: rows, profile: profile, currency: CurrencyCode("USD"))
        #expect(dollars.currency.code == "USD" && dollars.closingBalance.value == 110_000)
    }

    // MARK: - Pieces

    @Test(arguments: [("1,234.56", 123_456), ("-1,234.56", -123_456), ("+5", 500), ("¥1,000.00", 100_000),
                      ("1234.5", 123_450), ("1,234.500", 123_450), ("0.00", 0),
                      ("999,999,999,999.99", 99_999_999_999_999)])
    func readsAmountTextExactly(text: String, minorUnits: Int64) {
        guard case .success(let value)? = BankExportAmount.signed(text, currency: .cny, field: "f") else {
            Issue.record("\(text) was not read")
            return
        }
        #expect(value == minorUnits)
    }

    @Test(arguments: ["1,23.45", "1234,567.00", ",123", "1,,234", "1.5E+3", "12 345.00", "1，234.00", "--5"])
    func refusesAmountTextThatIsNotADecimal(text: String) {
        guard case .failure(let code)? = BankExportAmount.signed(text, currency: .cny, field: "f") else {
            Issue.record("\(text) was read")
            return
        }
        #expect(code == .invalidAmount(field: "f"))
    }

    @Test func emptyAndDashCellsHoldNoAmount() {
        for text in ["", "-", "--", "—", "/"] {
            #expect(BankExportAmount.signed(text, currency: .cny, field: "f") == nil, "\(text)")
        }
    }

    @Test func excelSerialDays() {
        #expect(BankExportReader.excelSerialDate("61") == Self.date("1900-03-01"))
        #expect(BankExportReader.excelSerialDate("46328") == Self.date("2026-11-02"))
        #expect(BankExportReader.excelSerialDate("45382.75") == Self.date("2024-03-31"))
        #expect(BankExportReader.excelSerialDate("47177") == Self.date("2029-02-28"))
        #expect(BankExportReader.excelSerialDate("60") == nil && BankExportReader.excelSerialDate("20261102") == nil)
        #expect(BankExportReader.excelSerialDate("4632a") == nil && BankExportReader.excelSerialDate("46328.") == nil)
    }

    @Test func datePatternsAndDateTimeCells() {
        let reader = BankExportReader(profile: BankProfiles.generic, excelSerialDates: false)
        for text in ["2026-11-02", "20261102", "2026/11/02", "2026年11月02日", "2026.11.02", "2026/11/2", "2026年11月2日",
                     "2026-11-02 09:15:01", "2026-11-02T09:15:01", "20261102 091501"] {
            #expect(reader.singleDate(text) == Self.date("2026-11-02"), "\(text)")
        }
        #expect(reader.dateRange("20261101-20261130") == [Self.date("2026-11-01"), Self.date("2026-11-30")])
        #expect(reader.dateRange("2026-11-01 ~ 2026-11-30") == [Self.date("2026-11-01"), Self.date("2026-11-30")])
        #expect(reader.dateRange("2026-12-01") == [Self.date("2026-12-01")])
        if case .invalidCalendarDate = reader.date("2026-11-31") {} else { Issue.record("2026-11-31 was not refused") }
        if case .notADate = reader.date("合计") {} else { Issue.record("合计 was read as a date") }
    }

    @Test func labelsAndValuesInOneCell() {
        let pairs = TitleFactFinder.pairs(in: "账号：1202 0211 0900 1234 567 户名：某县财政局 打印时间：2026-12-01 08:00:00")
        #expect(pairs.map(\.label) == ["账号", "户名", "打印时间"])
        #expect(pairs.map(\.value) == ["1202 0211 0900 1234 567", "某县财政局", "2026-12-01 08:00:00"])
        #expect(BankExportReader.accountNumber("1202 0211 0900 1234 567") == "1202021109001234567")
        #expect(BankExportReader.accountNumber("34050145860800001234（人民币）") == "34050145860800001234")
        #expect(BankExportReader.accountNumber("6217****4567") == nil && BankExportReader.accountNumber("某县财政局") == nil)
    }

    @Test func headerNamesAreComparedWithoutWidthSpacesOrNotes() {
        #expect(BankProfile.normalizedName(" 借方发生额（支取）：") == "借方发生额(支取)")
        #expect(BankProfile.nameWithoutNote("借方发生额(支取)") == "借方发生额")
        #expect(BankProfile.normalizedName("收/付方帐号") == "收/付方账号" && BankProfile.normalizedName("Balance ") == "balance")
        #expect(BankExportCell.clean("=\"6222021202000098765\"\t") == "6222021202000098765")
        #expect(BankExportCell.clean("'6222021202000098765") == "6222021202000098765")
        #expect(BankExportCell.clean("'注") == "'注")
    }

    @Test func aCSVLineSplitsOnItsSeparatorWithQuotes() {
        guard case .success(let cells) = BankExportText.fields(#"a, "1,234.56" ,="12",b"c"#, separator: ",") else {
            Issue.record("not split")
            return
        }
        #expect(cells == ["a", "1,234.56", "=\"12\"", "b\"c"])
        guard case .failure(let code) = BankExportText.fields(#"a,"b"#, separator: ",") else {
            Issue.record("an unclosed quote was accepted")
            return
        }
        #expect(code == .malformedField(field: "a quoted field", reason: "its closing quote is missing"))
    }
}
