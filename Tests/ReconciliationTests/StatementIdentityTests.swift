import BankStatements
import Foundation
import HubCore
import LedgerCore
import SyncTesting
import Testing

/// Issue 6/6, "one statement identity for many statements": some banks write the same reference (`:20:` all zeros) on
/// every statement. Release 2 took that reference as the statement's identity, so two statements of one file ended in
/// `SQLite error 19: UNIQUE constraint failed` and the next day's file was "imported before". Goal: a statement is
/// known by its account, number (and page) and period; a true repeat — in the same file or across files — is refused
/// with a sentence, never a database error, and leaves the stored statements as they were.
@Suite struct StatementIdentityTests {
    static let account = BusinessProvince.hubExpense

    /// An MT940 statement without entries: number `sequence`, balance `balance` from `from` to `through` (YYMMDD).
    static func statement(_ sequence: Int, from: String, through: String, balance: String = "1000,00") -> String {
        [":20:0000000000000000", ":25:\(account)", ":28C:\(String(format: "%05d", sequence))/1",
         ":60F:C\(from)CNY\(balance)", ":62F:C\(through)CNY\(balance)", "-"].joined(separator: "\r\n")
    }

    static func file(_ name: String, _ statements: [String], in province: BusinessProvince) throws -> URL {
        let url = province.base.root.url.appendingPathComponent(name)
        try (statements.joined(separator: "\r\n") + "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func statementsSharingABankReferenceAreTellApartByNumberAndPeriod() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        let hub = province.hub
        let days = try Self.file("days-1-2.sta", [Self.statement(41, from: "261101", through: "261102"),
                                                  Self.statement(42, from: "261102", through: "261103")], in: province)
        try hub.importStatements(days)
        try hub.importStatements(try Self.file("day-3.sta", [Self.statement(43, from: "261103", through: "261104")], in: province))
        #expect(try hub.storage.statements(account: Self.account).compactMap(\.sequence) == [41, 42, 43])

        let again = #expect(throws: StatementImportError.self) { try hub.importStatements(days) }
        #expect(again?.description.contains("statement 41 of \(Self.account) for 2026-11-01…2026-11-02 was imported before") == true,
                "\(String(describing: again))")

        let twice = try Self.file("day-4-twice.sta", [Self.statement(44, from: "261104", through: "261105"),
                                                      Self.statement(44, from: "261104", through: "261105")], in: province)
        let repeated = #expect(throws: StatementImportError.self) { try hub.importStatements(twice) }
        #expect(repeated?.description.contains("statement 44 of \(Self.account) for 2026-11-04…2026-11-05 appears twice in the file (lines 1 and 7)") == true,
                "\(String(describing: repeated))")
        #expect(repeated?.description.contains("SQLite") == false)

        let conflicting = try Self.file("day-3-other.sta", [Self.statement(43, from: "261103", through: "261104", balance: "999,00")], in: province)
        let other = #expect(throws: StatementImportError.self) { try hub.importStatements(conflicting) }
        #expect(other?.description.contains("with other balances") == true, "\(String(describing: other))")
        #expect(try hub.storage.statements(account: Self.account).count == 3, "nothing of the refused files was stored")
    }

    /// 6/6, "camt.053 time stamps": a booking time in UTC belongs to the account's local day, in the time zone the
    /// registry keeps for the account; a zone given for the import wins; a name that is no zone is refused.
    @Test func aCamtImportTakesTheAccountsTimeZoneFromTheRegistry() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        let hub = province.hub, account = "DE89370400440532013000"
        let record = AccountRecord(id: account, org: TestProvince.province, kind: .bank, code: account, name: "Frankfurt EUR",
                                   currency: CurrencyCode("EUR")!, status: .active)
        let wrong = #expect(throws: RegistryError.self) { try hub.putAccount(record, attributes: ["time_zone": .text("Europe/Frankfurt")]) }
        #expect(wrong?.description.contains("is not an IANA time zone name") == true, "\(String(describing: wrong))")
        try hub.putAccount(record, attributes: ["purpose": .text("general"), "class": .text("general"), "time_zone": .text("Europe/Berlin")])
        let file = repositoryRoot().appendingPathComponent("Tests/BankStatementsTests/Fixtures/dialects/camt053/utc-booking-datetime.xml")
        let result = try #require(try hub.importStatementFile(file).first)
        #expect(result.summary.periodFrom == "2014-01-05" && result.summary.periodThrough == "2014-01-05", "Berlin's day, from the registry")
        #expect(try hub.storage.statements(account: account).first?.id == "\(account):5:2014-01-05..2014-01-05")

        let other = try BusinessProvince(counties: ["340121"])
        defer { other.remove() }
        try other.hub.putAccount(record, attributes: ["purpose": .text("general"), "class": .text("general"), "time_zone": .text("Europe/Berlin")])
        let utc = try #require(try other.hub.importStatementFile(file, timeZone: TimeZone(identifier: "UTC")).first)
        #expect(utc.summary.periodFrom == "2014-01-04", "a zone named for the import wins over the registry's")
    }

    /// 6/6 items 2 and 3 at the hub: a bank's own export (ICBC's GB18030 CSV) imports through its profile, the import
    /// says what it holds and how much of it matched, and `hub statement list` shows it.
    @Test func aBankExportImportsThroughItsProfileAndIsListed() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        let hub = province.hub, account = "1202021109001234567"
        try hub.putAccount(AccountRecord(id: account, org: TestProvince.province, kind: .bank, code: account, name: "工行基本户",
                                         currency: .cny, status: .active), attributes: ["purpose": .text("general"), "class": .text("basic")])
        let file = repositoryRoot().appendingPathComponent("Tests/BankStatementsTests/Fixtures/dialects/china/icbc.csv")
        let results = try hub.importStatementFile(file, profile: try #require(BankProfiles.profile(id: "icbc")))
        let result = try #require(results.first)
        #expect(results.count == 1 && result.summary.format == "bank export (icbc)")
        #expect(result.summary.openingBalance == "1000000.00" && result.summary.closingBalance == "1236742.83")
        #expect(result.matched + result.unmatched == 4 && result.unmatched == 4, "nothing in the hub's journal matches these entries")
        let listed = try hub.storage.statementListing(account: account)
        #expect(listed.count == 1 && listed.first?.entryCount == 4 && listed.first?.matchedCount == 0)
        #expect(try hub.storage.statementListing(account: nil).count == 1)
    }
}
