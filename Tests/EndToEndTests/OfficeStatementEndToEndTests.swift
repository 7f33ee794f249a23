import Foundation
import SyncTesting
import Testing

/// 6/6 item 4 through the command line: a county imports its bank's own export (CCB's CSV through the `ccb` profile),
/// sees what matched its bank journal and what did not, and the statement reaches the fund centre with the next sync,
/// where `hub statement list` says which county imported it.
@Suite struct OfficeStatementEndToEndTests {
    static let account = "34050145860800001234"

    @Test func aCountyImportsItsBanksExportAndTheHubSeesIt() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-office-statement"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let hub = cli.path("hub"), county = cli.path("340121")
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340121", "--kind", "bank", "--code", Self.account,
                     "--name", "建行国库集中支付专户", "--purpose", "expense", "--class", "general"])
        try cli.run(["export", "--data", hub, "--to", cli.path("down1")])
        try cli.run(["import", "--data", county, cli.path("down1")])
        // The cashier journalled the first two movements; the bank's charge and the refund are not in the journal yet.
        try cli.run(["bank-advice", "--data", county, "--account", Self.account, "--date", "2026-11-02", "--receipt", "--amount", "500000.00",
                     "--advice", "3405014586080000123-0001", "--preparer", "340121-cashier", "--reviewer", "340121-manager"])
        try cli.run(["bank-advice", "--data", county, "--account", Self.account, "--date", "2026-11-04", "--payment", "--amount", "36000.00",
                     "--advice", "ZP10230045", "--preparer", "340121-cashier", "--reviewer", "340121-manager"])
        let file = repositoryRoot().appendingPathComponent("Tests/BankStatementsTests/Fixtures/dialects/china/ccb.csv").path

        let imported = try cli.run(["statement", "import", file, "--data", county, "--profile", "ccb", "--preparer", "340121-cashier"]).stdout
        #expect(imported.contains("imported bank export (ccb) statement of \(Self.account) (CNY), 2026-11-01 … 2026-11-30"), "\(imported)")
        #expect(imported.contains("2 matched to the bank journal, 2 not yet"), "\(imported)")
        #expect(imported.contains("unverified against a real export"), "the profile's warning is shown: \(imported)")

        let again = try cli.run(["statement", "import", file, "--data", county, "--profile", "ccb", "--preparer", "340121-cashier"], status: 1).stderr
        #expect(again.contains("was imported before (from ccb.csv)"), "\(again)")

        let listed = try cli.jsonArray(["statement", "list", "--data", county, "--json"])
        #expect(listed.count == 1)
        let unmatched = try #require(listed.first?["unmatchedEntries"] as? [[String: Any]])
        #expect(unmatched.compactMap { $0["amount"] as? Int } == [-123_450, 1_000_000], "\(unmatched)")
        let text = try cli.run(["statement", "list", "--data", county, "--unmatched"]).stdout
        #expect(text.contains("2026-11-04 借 bank debit -1234.50") && text.contains("2026-11-20 贷 bank credit 10000.00"), "\(text)")

        try cli.run(["export", "--data", county, "--to", cli.path("up1")])
        try cli.run(["import", "--data", hub, cli.path("up1")])
        let atHub = try cli.jsonArray(["hub", "statement", "list", "--data", hub, "--json"])
        #expect(atHub.count == 1 && atHub.first?["importedBy"] as? String == "340121", "\(atHub)")
        #expect(atHub.first?["entries"] as? Int == 4 && atHub.first?["matched"] as? Int == 2, "\(atHub)")
        #expect(try cli.run(["verify", "--data", hub]).stdout.isEmpty == false)
        try cli.run(["verify", "--data", county])
    }
}
