import Foundation
import SyncTesting
import Testing

/// 4/6 C: the listings a person reads — balances as of a date with 借/贷 and yuan, the ledger detail (`vouchers`)
/// with filters, Chinese first and English by `--lang`, and `--json` with typed numbers.
@Suite struct ListingEndToEndTests {
    @Test func balancesAsOfADateAndTheLedgerDetailInBothLanguages() throws {
        let cli = CLI(folder: try TemporaryDirectory("listings"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let file = try cli.writeVouchers("two.json", """
            {"vouchers": [
              {"date": "2026-11-02", "memo": "收入", "preparer": "A",
               "lines": [{"account": "340121:1002", "debit": "1234567.89"}, {"account": "340121:6001", "credit": "1234567.89"}]},
              {"date": "2026-11-05", "memo": "later", "preparer": "A",
               "lines": [{"account": "340121:1002", "debit": "100.00"}, {"account": "340121:6001", "credit": "100.00"}]}
            ]}
            """)
        try cli.run(["post", "--data", cli.path("340121"), file])
        let early = try cli.run(["balances", "--data", cli.path("340121"), "--as-of", "2026-11-03", "--lang", "zh"]).stdout
        #expect(early.contains("截至 2026-11-03") && early.contains("借") && early.contains("贷") && early.contains("¥1,234,567.89"), "\(early)")
        #expect(!early.contains("¥1,234,667.89"), "the voucher of 5 November is not in the balance of 3 November")
        let english = try cli.run(["balances", "--data", cli.path("340121"), "--lang", "en"]).stdout
        #expect(english.contains("Dr") && english.contains("Cr") && english.contains("¥1,234,667.89"), "\(english)")

        let detail = try cli.run(["vouchers", "--data", cli.path("340121"), "--account", "340121:1002", "--from", "2026-11-04", "--lang", "zh"]).stdout
        #expect(detail.contains("later") && !detail.contains("收入") && detail.contains("借") && detail.contains("¥100.00")
                && detail.contains("未签名（旧版本）") && detail.contains("1 张凭证"), "\(detail)")
        let listed = try cli.jsonArray(["vouchers", "--data", cli.path("340121"), "--json"])
        #expect(listed.count == 2)
        let lines = listed.first?["lines"] as? [[String: Any]] ?? []
        #expect((lines.first?["amountMinorUnits"] as? NSNumber)?.int64Value == 123_456_789 && lines.first?["side"] as? String == "debit",
                "amounts are typed numbers in minor units: \(lines)")
        #expect(listed.first?["signedBy"] as? [String] == [] && listed.first?["status"] as? String == "posted")
        try cli.run(["vouchers", "--data", cli.path("340121"), "--from", "2026-11-09", "--to", "2026-11-01"], status: 64)
    }
}
