import Foundation
import SyncTesting
import Testing

/// Issue 3/6, item 3: the seed's worked example (DOMAIN.md §3.7) through the real binary. ¥100,000,000 of one branch
/// at the centre: ¥50,000,000 stays current at 0.72 %; ¥25,000,000 goes into 3-month deposits at 1.71 %, ¥15,000,000
/// into 6-month deposits at 1.89 % and ¥10,000,000 into a 1-year deposit at 1.98 %, all on 1 January 2026, renewed
/// at maturity through the year at the same rates, principal only (DECISIONS.md). Every rate is registered actual/365.
///
/// The principal earns ¥1,269,000.00 over the year: current 360,000.00 + fixed 909,000.00 (427,500 + 283,500 +
/// 198,000). The fixed interest is paid into the current deposit at each maturity (1 Apr, 1 Jul, 1 Oct), where it
/// earns the current rate for the rest of the year: ¥1,664.48 more, shown separately. Nothing compounds into a
/// fixed deposit.
@Suite(.serialized) struct WorkedInterestExampleEndToEndTests {
    @Test func oneHundredMillionSplitAcrossCurrentAndFixedEarnsOneMillionTwoHundredSixtyNineThousand() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-worked-example"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340122"])
        let hub = cli.path("hub"), county = cli.path("340122")
        for (id, roles) in [("hub-fundmanager", "fund_manager"), ("hub-supervisor", "fund_centre_supervisor"), ("hub-accountant", "general_ledger_accountant")] {
            try cli.run(["hub", "staff", "--data", hub, "--id", id, "--org", "340000", "--name", id, "--roles", roles])
        }
        for (kind, rate) in [("current_deposit", "0.72%"), ("fixed_3m", "1.71%"), ("fixed_6m", "1.89%"), ("fixed_1y", "1.98%")] {
            try cli.run(["hub", "rate", "--data", hub, "--kind", kind, "--rate", rate, "--day-count", "365", "--from", "2025-01-01"])
        }
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340000", "--kind", "subject", "--code", "4001", "--name", "Fund balance"])
        for (code, name) in [("4001", "Fund balance"), ("6011", "Interest income")] {
            try cli.run(["hub", "account", "add", "--data", hub, "--org", "340122", "--kind", "subject", "--code", code, "--name", name])
        }
        // Opening balances carried over from the old system, on both sides: the branch's ¥100m current deposit.
        let opening = try cli.writeVouchers("hub-opening.json", #"[{"date": "2025-12-31", "memo": "opening", "preparer": "hub-accountant", "#
            + #""reviewer": "hub-supervisor", "lines": [{"account": "340000:4001", "debit": "100000000.00"}, "#
            + #"{"account": "340000:2242.02.340122", "credit": "100000000.00"}]}]"#)
        try cli.run(["post", "--data", hub, opening])
        try cli.run(["export", "--data", hub, "--to", cli.path("down1")])
        try cli.run(["import", "--data", county, cli.path("down1")])
        let branchOpening = try cli.writeVouchers("branch-opening.json", #"[{"date": "2025-12-31", "memo": "opening", "preparer": "Wang Fang", "#
            + #""lines": [{"account": "340122:3001.01", "debit": "100000000.00"}, {"account": "340122:4001", "credit": "100000000.00"}]}]"#)
        try cli.run(["post", "--data", county, branchOpening])

        let signers = ["--preparer", "hub-fundmanager", "--reviewer", "hub-supervisor"]
        func place(_ amount: String, _ term: String) throws -> String {
            let out = try cli.run(["hub", "deposit", "place", "--data", hub, "--branch", "340122", "--amount", amount, "--term", term,
                                   "--date", "2026-01-01"] + signers).stdout
            #expect(out.contains("actual/365"), "the convention is shown: \(out)")
            return try #require(out.split(separator: " ").first { $0.hasPrefix("340000-C") }.map(String.init)?.trimmingCharacters(in: .punctuationCharacters))
        }
        var threeMonth = try place("25000000.00", "3m")
        var sixMonth = try place("15000000.00", "6m")
        let oneYear = try place("10000000.00", "1y")
        var fixedInterest = 0
        func mature(_ contract: String, on date: String, renew: Bool) throws -> String? {
            let settled = try cli.json(["hub", "deposit", "mature", contract, "--data", hub, "--date", date, "--json"] + (renew ? ["--renew"] : [])
                                       + signers)
            fixedInterest += settled["interestMinorUnits"] as? Int ?? 0
            #expect(settled["dayCount"] as? String == "actual/365")
            return settled["renewedAs"] as? String
        }
        threeMonth = try #require(try mature(threeMonth, on: "2026-04-01", renew: true))
        threeMonth = try #require(try mature(threeMonth, on: "2026-07-01", renew: true))
        sixMonth = try #require(try mature(sixMonth, on: "2026-07-01", renew: true))
        threeMonth = try #require(try mature(threeMonth, on: "2026-10-01", renew: true))
        for contract in [threeMonth, sixMonth, oneYear] { #expect(try mature(contract, on: "2027-01-01", renew: false) == nil) }
        #expect(fixedInterest == 90_900_000, "fixed deposits: 427,500 + 283,500 + 198,000 = ¥909,000.00")

        let settled = try cli.run(["hub", "interest", "--data", hub, "--from", "2026-01-01", "--through", "2026-12-31",
                                   "--posting-date", "2026-12-31", "--json"] + signers).stdout
        let current = try #require(try JSONSerialization.jsonObject(with: Data(settled.utf8)) as? [[String: Any]]).first { $0["kind"] as? String == "deposit" }
        let currentInterest = try #require(current?["interestMinorUnits"] as? Int)
        // Interest on the interest paid into the current deposit: 105,410.96 × 275 days + (106,582.19 + 140,584.93) × 184
        // + 107,753.43 × 92, at 0.72 % on 365 days = ¥1,664.48.
        let onPaidOutInterest = 166_448
        #expect(current?["dayCount"] as? String == "actual/365")
        #expect(currentInterest == 36_000_000 + onPaidOutInterest)
        #expect(currentInterest - onPaidOutInterest + fixedInterest == 126_900_000, "the worked example: ¥1,269,000.00")
        #expect(currentInterest - onPaidOutInterest + fixedInterest - 72_000_000 == 54_900_000, "¥549,000.00 more than all current")

        // Every deposit is back: nothing left in 2242.03, and the branch's books agree after the slips arrive.
        try cli.run(["export", "--data", hub, "--to", cli.path("down2")])
        try cli.run(["import", "--data", county, cli.path("down2")])
        let hubFixed = try cli.balances("hub", org: "340000").first { $0["account"] as? String == "340000:2242.03.340122" }
        #expect(hubFixed == nil || hubFixed?["balanceMinorUnits"] as? Int == 0)
        let hubCurrent = try cli.balances("hub", org: "340000").first { $0["account"] as? String == "340000:2242.02.340122" }
        let branchIntercompany = try cli.balances("340122", org: "340122").first { $0["account"] as? String == "340122:3001.01" }
        #expect(hubCurrent?["balanceMinorUnits"] as? Int == -(10_000_000_000 + 90_900_000 + 36_166_448))
        #expect(branchIntercompany?["balanceMinorUnits"] as? Int == 10_000_000_000 + 90_900_000 + 36_166_448)
        let contracts = try cli.run(["hub", "contracts", "--data", hub, "--date", "2027-01-01"]).stdout
        #expect(contracts.contains("普通定期存款") && contracts.components(separatedBy: "renewed").count - 1 == 4, "\(contracts)")
    }
}
