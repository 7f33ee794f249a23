import Foundation
import SyncTesting
import Testing

/// Issue 3/6, item 3: a hub verb that posts the hub's own vouchers with preparer and reviewer — `fundsync post` at the
/// hub, with the voucher file format of the nodes. Without a reviewer, or with the preparer reviewing, nothing is posted.
@Suite struct HubOwnVoucherEndToEndTests {
    @Test func theHubPostsItsOwnVoucherWithAPreparerAndADifferentReviewer() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-hub-post"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let hub = cli.path("hub")
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340000", "--kind", "bank", "--code", "1302010129000051236",
                     "--name", "ICBC collection account 1", "--purpose", "collection", "--class", "general"])
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340000", "--kind", "subject", "--code", "4001", "--name", "Fund balance"])
        let lines = #""lines": [{"account": "1302010129000051236", "debit": "8130700.11"}, {"account": "340000:4001", "credit": "8130700.11"}]"#
        let unreviewed = try cli.writeVouchers("unreviewed.json", #"[{"date": "2026-11-01", "memo": "opening", "preparer": "Ma Li", "#
                                               + lines + "}]")
        let refused = try cli.run(["post", "--data", hub, unreviewed], status: 1).stderr
        #expect(refused.contains("review"), "\(refused)")
        let selfReviewed = try cli.writeVouchers("self.json", #"[{"date": "2026-11-01", "memo": "opening", "preparer": "Ma Li", "reviewer": "Ma Li", "#
                                                 + lines + "}]")
        try cli.run(["post", "--data", hub, selfReviewed], status: 1)
        let good = try cli.writeVouchers("good.json", #"[{"date": "2026-11-01", "memo": "opening", "preparer": "Ma Li", "reviewer": "Tang Wen", "#
                                         + lines + "}]")
        let posted = try cli.run(["post", "--data", hub, good]).stdout
        #expect(posted.contains("posted 340000-V") && posted.contains("8130700.11"), "\(posted)")
        let balance = try cli.balances("hub", org: "340000").first { $0["account"] as? String == "1302010129000051236" }
        #expect(balance?["balanceMinorUnits"] as? Int == 813_070_011, "\(String(describing: balance))")
    }
}
