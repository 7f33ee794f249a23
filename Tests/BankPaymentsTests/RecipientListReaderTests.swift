import BankPayments
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// 7/7 item 5: the list of a batch payment (代发) is read from CSV (UTF-8 or GB18030, made with the `iconv` command) or
/// xlsx (made with openpyxl, `Fixtures/make_payroll_fixtures.py`), and refused whole, with every problem and its line,
/// when it cannot be paid as it is.
@Suite struct RecipientListReaderTests {
    static func fixture(_ name: String, _ file: String = #filePath) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
    }

    static let payroll = """
        序号,姓名,身份证号,银行卡号,实发金额,备注
        1,王芳,340122198001011001,6222 0213 0200 1234 567,"6,850.00",11月工资
        2,刘洋,340122198001011002,6217000012345678901,7325.50,11月工资
        3,陈静,340122198001011003,6228480000000000002,"12,000.00",11月工资及补发
        ,合计,,,"26,175.50",
        """

    static let expected = [
        PaymentRecipient(name: "王芳", account: "6222021302001234567", amount: AmountMinorUnits(685_000), memo: "11月工资"),
        PaymentRecipient(name: "刘洋", account: "6217000012345678901", amount: AmountMinorUnits(732_550), memo: "11月工资"),
        PaymentRecipient(name: "陈静", account: "6228480000000000002", amount: AmountMinorUnits(1_200_000), memo: "11月工资及补发"),
    ]

    @Test func aUTF8ListIsReadExactlyWithItsControlTotal() throws {
        #expect(try RecipientListReader.read(Data(Self.payroll.utf8)) == Self.expected)
        // Excel's UTF-8 CSV starts with a byte order mark.
        #expect(try RecipientListReader.read(Data([0xEF, 0xBB, 0xBF]) + Data(Self.payroll.utf8)) == Self.expected)
    }

    @Test func aGB18030ListIsReadAsTheSameList() throws {
        let folder = try TemporaryDirectory("fundsync-payroll")
        defer { folder.remove() }
        try Self.payroll.write(toFile: folder.path("utf8.csv"), atomically: true, encoding: .utf8)
        let converted = try runProcess("/usr/bin/iconv", ["-f", "UTF-8", "-t", "GB18030", folder.path("utf8.csv"), "-o", folder.path("gb.csv")])
        #expect(converted.status == 0, "\(converted.stderr)")
        let bytes = try Data(contentsOf: folder.url.appendingPathComponent("gb.csv"))
        #expect(String(data: bytes, encoding: .utf8) == nil, "really GB18030, not UTF-8")
        #expect(try RecipientListReader.read(bytes) == Self.expected)
    }

    @Test func anXlsxListIsReadAndAnAccountExcelKeptAsANumberIsRefused() throws {
        #expect(try RecipientListReader.read(try Self.fixture("payroll.xlsx")) == Self.expected)
        let lost = #expect(throws: RecipientListError.self) { try RecipientListReader.read(try Self.fixture("payroll-lost.xlsx")) }
        #expect(lost?.problems.map(\.line) == [2, 3, 4], "\(String(describing: lost))")
        #expect(lost?.description.contains("format the column as text") == true)
    }

    @Test func everyProblemIsReportedWithItsLine() {
        let list = """
            姓名,账号,金额
            王芳,6222021302001234567,"12,34.50"
            ,6217000012345678901,100.00
            刘洋,6222021302001234567,200.00
            陈静,62284800,-5.00
            赵磊,1.2345E+18,10.00
            """
        let refused = #expect(throws: RecipientListError.self) { try RecipientListReader.read(Data(list.utf8)) }
        // Lines 2 and 6 are refused as cells; the list is then never checked as a whole.
        #expect(refused?.problems.map(\.line) == [2, 6], "\(String(describing: refused))")
        let cells = """
            姓名,账号,金额
            王芳,6222021302001234567,100.00
            ,6217000012345678901,100.00
            刘洋,6222021302001234567,200.00
            陈静,62284800,-5.00
            赵磊,6222 0213,0.00
            """
        let whole = #expect(throws: RecipientListError.self) { try RecipientListReader.read(Data(cells.utf8)) }
        let text = whole?.description ?? ""
        for expected in ["recipient 2: the name is empty", "recipient 3 (刘洋): account 6222021302001234567 is already recipient 1",
                         "recipient 4 (陈静): the amount must be above zero", "recipient 5 (赵磊): the amount must be above zero"] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
    }

    @Test func aWrongControlTotalOrAMissingColumnRefusesTheList() {
        let wrong = """
            姓名,账号,金额
            王芳,6222021302001234567,100.00
            合计,,100.01
            """
        let total = #expect(throws: RecipientListError.self) { try RecipientListReader.read(Data(wrong.utf8)) }
        #expect(total?.problems.map(\.line) == [3] && total?.description.contains("add up to 100.00") == true, "\(String(describing: total))")
        let header = #expect(throws: RecipientListError.self) { try RecipientListReader.read(Data("姓名,开户行,金额\n王芳,工行,1.00\n".utf8)) }
        #expect(header?.description.contains("账号 (account)") == true)
        #expect(throws: RecipientListError.self) { try RecipientListReader.read(Data()) }
        #expect(throws: RecipientListError.self, "not text") { try RecipientListReader.read(Data([0xFF, 0xFE, 0x00, 0x81, 0x30])) }
    }
}
