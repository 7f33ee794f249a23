import BatchWire
import Foundation
import LedgerCore
import Testing
@testable import WebConsole

/// The console's pieces that need no browser: the catalogs, yuan amounts with 借/贷, sessions and their tokens.
/// The pages themselves are tested in a real browser (`Tests/Browser/console_browser_test.py`).
@Suite struct WebConsoleTests {
    @Test func bothCatalogsHaveEveryKeyAndNoEmptyText() throws {
        let catalog = try ConsoleCatalog.load()
        let chinese = try #require(catalog.texts[.zhHans]), english = try #require(catalog.texts[.en])
        #expect(Set(chinese.keys) == Set(english.keys), "keys only in one: \(Set(chinese.keys).symmetricDifference(english.keys).sorted())")
        #expect(chinese.values.allSatisfy { !$0.isEmpty } && english.values.allSatisfy { !$0.isEmpty })
        #expect(catalog.text("nav.balances", .zhHans) == "余额" && catalog.text("nav.balances", .en) == "Balances")
        #expect(catalog.text("payments.released", .zhHans, ["id": "340122-P000001", "who": "钱军"]) == "付款 340122-P000001 已放行，由 钱军 签名。")
        #expect(ConsoleCatalog.Language("en-US") == .en && ConsoleCatalog.Language(nil) == .zhHans && ConsoleCatalog.Language("fr") == .zhHans)
    }

    @Test func templatesReadTheNestedCatalog() throws {
        let nested = try ConsoleCatalog.load().forTemplates(.zhHans)
        #expect((nested["login"] as? [String: String])?["submit"] == "登录")
    }

    @Test func amountsAreYuanWithGroupingAndDirection() {
        #expect(YuanFormat.yuan(123_456_789) == "¥1,234,567.89")
        #expect(YuanFormat.yuan(0) == "¥0.00" && YuanFormat.yuan(5) == "¥0.05" && YuanFormat.yuan(-100_050) == "-¥1,000.50")
        #expect(YuanFormat.yuan(Int64.max) == "¥92,233,720,368,547,758.07")
        #expect(YuanFormat.magnitude(Int64.min) == "¥92,233,720,368,547,758.07", "no trap on the one value without a magnitude")
        #expect(YuanFormat.direction(1) == .debit && YuanFormat.direction(-1) == .credit && YuanFormat.direction(0) == .flat)
    }

    @Test func aLoginAlwaysGetsANewSessionThatExpires() throws {
        let sessions = ConsoleSessions()
        let person = StaffMember(id: "340122-wangfang", org: OrgCode("340122")!, name: "王芳", roles: [.cashier])
        let first = try sessions.start(person, keyring: nil, now: 0)
        let second = try sessions.start(person, keyring: nil, now: 0)
        #expect(first.id != second.id && first.csrfToken != second.csrfToken && first.id.count == 64)
        #expect(sessions.find(first.id, now: ConsoleSessions.idleMilliseconds - 1) != nil)
        #expect(sessions.find(first.id, now: 2 * ConsoleSessions.idleMilliseconds) == nil, "idle too long")
        #expect(sessions.find(first.id, now: 0) == nil, "an expired session is forgotten")
        var now: Int64 = 0
        while now < ConsoleSessions.lifetimeMilliseconds {
            now += ConsoleSessions.idleMilliseconds / 2
            _ = sessions.find(second.id, now: now)
        }
        #expect(sessions.find(second.id, now: now + 1) == nil, "8 hours at most, however busy")
        sessions.end(second.id)
    }

    @Test func tokensCompareInConstantTime() {
        #expect(ConsoleApplication.constantTimeEqual("abc", "abc"))
        #expect(!ConsoleApplication.constantTimeEqual("abc", "abd") && !ConsoleApplication.constantTimeEqual("abc", "abcd"))
        #expect(!ConsoleApplication.constantTimeEqual("", "a"))
    }
}
