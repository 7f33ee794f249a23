import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Regression tests of issue 2/6, finding 3: amounts that overflow, and commas that change an amount.
///
/// Release 1 booked `92233720368547758.07` twice at node and hub, after which `balances` failed with SQLite integer
/// overflow for every org; and it booked `1,5` as 15.00 and `1,,2,3` as 123.00. An amount in a voucher file or on
/// the command line is a plain decimal with at most two decimals and no grouping (DECISIONS, "Amounts"), no line
/// and no voucher may exceed the cap of ¥10,000,000,000,000.00, and overflow is reported as overflow.
@Suite struct HostileAmountTests {
    @Test(arguments: ["1,5", "1,,2,3", "1,234.00", ",5"])
    func aCommaInAVoucherAmountIsRefused(_ text: String) {
        withKnownIssue("finding 3: commas are dropped, so 1,5 is booked as 15.00") {
            #expect(AmountMinorUnits.parse(text, scale: 2) == nil, "\(text)")
        }
    }

    @Test func anAmountOverTheCapIsRefusedAtTheNodeAndTheBooksStayReadable() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let county = province.node("340121")
        withKnownIssue("finding 3: amounts up to Int64.max fen are booked") {
            for _ in 0..<2 {
                #expect(throws: (any Error).self) {
                    try county.post([TestProvince.draft("340121:1002", "340121:6001", "92233720368547758.07")])
                }
            }
            #expect(throws: (any Error).self) {
                try county.post([TestProvince.draft("340121:1002", "340121:6001", "10000000000000.01")])
            }
            #expect(throws: Never.self) { try county.store.balances(org: county.org) }
        }
    }
}
