import Foundation
import SyncTesting
import Testing

/// The freeze race with real binaries: the hub freezes a county's expense account while the county is offline;
/// the county enters a payment from it (its replica still shows the account active); on arrival the hub rejects
/// the payment with the reason, the rejection reaches the county, and both books stay balanced.
@Suite(.serialized) struct FreezeRaceEndToEndTests {
    @Test func paymentFromAnAccountFrozenAtTheHubIsRejectedAndTheCountySeesWhy() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-e2e-freeze"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340122"])
        let hub = cli.path("hub"), county = cli.path("340122")
        let expense = "662800012345678901"
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340122", "--kind", "bank", "--code", expense,
                     "--name", "BOC Feidong expense account", "--purpose", "expense", "--class", "general"])
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340122", "--kind", "subject", "--code", "6602",
                     "--name", "Administrative expenses"])
        try cli.run(["export", "--data", hub, "--to", cli.path("down1")])
        try cli.run(["import", "--data", county, cli.path("down1")])
        // Money in the account (a payment is entered only within the available balance, 3/6).
        let funds = try cli.writeVouchers("funds.json", """
            [{"date": "2026-11-02", "memo": "income", "preparer": "Wang Fang", "reviewer": "Li Na",
              "lines": [{"account": "\(expense)", "debit": "10000.00"}, {"account": "340122:6001", "credit": "10000.00"}]}]
            """)
        try cli.run(["post", "--data", county, funds])

        // The county goes offline. The hub freezes the expense account from 3 November.
        try cli.run(["hub", "staff", "--data", hub, "--id", "hub-manager", "--org", "340000", "--name", "Zhou Min",
                     "--roles", "fund_centre_manager"])
        try cli.run(["hub", "account", "freeze", "--data", hub, "--account", expense, "--from", "2026-11-03", "--on", "2026-11-02",
                     "--reason", "court order", "--by", "hub-manager"])
        let entered = try cli.run(["pay", "--data", county, "--from", expense, "--payee", "Hefei Office Supplies",
                                   "--payee-account", "6222000011112222", "--amount", "8800.00", "--date", "2026-11-04",
                                   "--purpose", "stationery", "--expense", "340122:6602", "--preparer", "Wang Fang",
                                   "--reviewer", "Li Na"]).stdout
        #expect(entered.contains("payment 340122-P000001 entered"))

        try cli.run(["export", "--data", county, "--to", cli.path("up")])
        let imported = try cli.run(["import", "--data", hub, cli.path("up")]).stdout
        #expect(imported.contains(" 1 rejected"), "\(imported)")
        let atHub = try cli.run(["rejections", "--data", hub]).stdout
        #expect(atHub.contains("340122-P000001") && atHub.contains("\(expense) is frozen"), "\(atHub)")

        try cli.run(["export", "--data", hub, "--to", cli.path("down2")])
        try cli.run(["import", "--data", county, cli.path("down2")])
        let atCounty = try cli.run(["documents", "--data", county, "--kind", "payment"]).stdout
        #expect(atCounty.contains("id=340122-P000001") && atCounty.contains("state=rejected"), "\(atCounty)")
        let reasons = try cli.run(["rejections", "--data", county]).stdout
        #expect(reasons.contains("frozen") && reasons.contains("[account-not-active]"), "the clerk sees why: \(reasons)")
        // The rule's code travels with the notice, and scripts read it from --json (issue 1/6: errors keep their meaning).
        let notices = try cli.json(["rejections", "--data", county, "--json"])["byHub"] as? [[String: Any]] ?? []
        #expect(notices.count == 1 && notices.first?["code"] as? String == "account-not-active"
                && notices.first?["key"] as? String == "340122-P000001" && notices.first?["origin"] as? String == "340122", "\(notices)")
        let here = try cli.json(["rejections", "--data", hub, "--json"])["here"] as? [[String: Any]] ?? []
        #expect(here.first?["code"] as? String == "account-not-active", "\(here)")
        for data in [hub, county] {
            try cli.run(["verify", "--data", data])
            let report = try cli.json(["balances", "--data", data, "--json"])
            #expect(report["debitMinorUnits"] as? Int == report["creditMinorUnits"] as? Int)
        }
    }
}
