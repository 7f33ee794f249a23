import Foundation
import LedgerCore
import Testing

@testable import BankStatements

/// A built-in profile is written from a bank's published layout, never checked against a real export (DECISIONS:
/// "say so in the profile file"); a statement read through one says so, and one read through a county's own
/// profile that it has checked does not.
@Suite struct BankProfileVerificationTests {
    @Test(arguments: BankProfiles.all.map(\.id))
    func everyBuiltInProfileSaysItIsUnverified(_ id: String) throws {
        let profile = try #require(BankProfiles.profile(id: id))
        #expect(profile.isUnverified)
        #expect(profile.verification?.hasPrefix("unverified against a real export") == true)
    }

    @Test func aStatementReadThroughAnUnverifiedProfileCarriesTheWarning() throws {
        let statement = try BankExportParser.parse(BankExportParserTests.fixture("ccb.csv"), profile: BankProfiles.ccb)
        #expect(statement.warnings.count == 1)
        let warning = try #require(statement.warnings.first)
        #expect(warning.code == .profileUnverified(profile: "ccb (中国建设银行)", note: try #require(BankProfiles.ccb.verification)))
        #expect(warning.description.contains("unverified against a real export"))
        #expect(warning.description.contains("compare the account, the period and the balances"))
        // The summary `statement check` prints carries it too.
        let summary = StatementSummary(statement, format: "ccb")
        #expect(summary.warnings.contains { $0.contains("ccb (中国建设银行)") })
        #expect(summary.balanced)
    }

    @Test func aCheckedProfileFileCarriesNoWarning() throws {
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(BankProfiles.ccb)) as! [String: Any]
        json["verification"] = "checked against 建设银行's export of 2026-11 by the Lishui county fund centre"
        let profile = try BankProfile.load(JSONSerialization.data(withJSONObject: json))
        #expect(!profile.isUnverified)
        let statement = try BankExportParser.parse(BankExportParserTests.fixture("ccb.csv"), profile: profile)
        #expect(statement.warnings.isEmpty)

        json.removeValue(forKey: "verification")
        let silent = try BankProfile.load(JSONSerialization.data(withJSONObject: json))
        #expect(silent.verification == nil && !silent.isUnverified)
    }

    @Test func verificationSurvivesAnEncodeAndLoad() throws {
        let again = try BankProfile.load(JSONEncoder().encode(BankProfiles.icbc))
        #expect(again == BankProfiles.icbc)
    }
}
