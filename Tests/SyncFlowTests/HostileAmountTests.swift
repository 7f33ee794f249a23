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
    func aCommaInAVoucherAmountIsRefused(_ text: String) throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let county = province.node("340121")
        #expect(throws: AmountParseError(.grouping, text: text)) { try AmountMinorUnits.parsing(text, scale: 2) }
        let error = #expect(throws: (any Error).self) {
            try county.post([TestProvince.draft("340121:1002", "340121:6001", text)])
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("has a comma"), "\(String(describing: error))")
        #expect(try county.store.balances(org: county.org).allSatisfy { $0.balanceMinorUnits == 0 }, "nothing was booked")
    }

    @Test func anAmountOverTheCapIsRefusedAtTheNodeAndTheBooksStayReadable() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let county = province.node("340121")
        for _ in 0..<2 {
            let error = #expect(throws: (any Error).self) {
                try county.post([TestProvince.draft("340121:1002", "340121:6001", "92233720368547758.07")])
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("over the cap of 10000000000000.00"), "\(String(describing: error))")
        }
        let overflow = #expect(throws: (any Error).self) {
            try county.post([TestProvince.draft("340121:1002", "340121:6001", "92233720368547758.08")])
        }
        #expect("\(overflow.map { "\($0)" } ?? "")".contains("too large"), "overflow is said as overflow: \(String(describing: overflow))")
        #expect(throws: (any Error).self) {
            try county.post([TestProvince.draft("340121:1002", "340121:6001", "10000000000000.01")])
        }
        // Exactly the cap is accepted on a line; two such lines on one side exceed it for the voucher.
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "10000000000000.00")])
        let twoLines = VoucherDraft(date: "2026-11-02", memo: "two at the cap", preparer: "Clerk", lines: [
            .init(account: "340121:1002", debit: "10000000000000.00"), .init(account: "340121:1002", debit: "10000000000000.00"),
            .init(account: "340121:6001", credit: "10000000000000.00"), .init(account: "340121:6001", credit: "10000000000000.00"),
        ])
        let total = #expect(throws: (any Error).self) { try county.post([twoLines]) }
        #expect("\(total.map { "\($0)" } ?? "")".contains("the total of 20000000000000.00"), "\(String(describing: total))")
        let balances = try county.store.balances(org: county.org)
        #expect(balances.first { $0.account == "340121:1002" }?.balanceMinorUnits == Limits.amountMinorUnitsMax)
    }

    /// The hub checks the cap again: a voucher over it, written by a node that skipped its own checks, is rejected
    /// with the rule's reason, and the books at the hub stay readable.
    @Test func theHubRejectsAVoucherOverTheCapFromANodeThatSkippedItsChecks() throws {
        let voucher = Voucher(id: "340121-V000009", org: OrgCode("340121")!, date: BusinessDate("2026-11-02")!, currency: .cny,
                              memo: "forged", preparer: "Clerk", reverses: nil, lines: [
                                  VoucherLine(account: "340121:1002", side: .debit, amount: AmountMinorUnits(Int64.max)),
                                  VoucherLine(account: "340121:6001", side: .credit, amount: AmountMinorUnits(Int64.max)),
                              ], reviewer: nil, approver: nil)
        let lookup = EveryAccountActive(org: voucher.org)
        #expect(throws: LedgerRuleViolation(.amountOverCap(line: 1, amountMinorUnits: Int64.max, amountMinorUnitsMax: Limits.amountMinorUnitsMax))) {
            try VoucherValidator.validate(voucher, origin: voucher.org, lookup: lookup)
        }
    }
}

/// A ledger in which every account exists, belongs to `org` and is active.
private struct EveryAccountActive: LedgerLookup {
    let org: OrgCode
    func account(_ id: String) -> AccountRecord? {
        AccountRecord(id: id, org: org, kind: .subject, code: id, name: id, currency: .cny, status: .active)
    }
    func postedVoucher(_ id: String) -> Voucher? { nil }
    func isReversed(_ id: String) -> Bool { false }
}

/// Issue 2/6, finding 3, its cumulative part: with every amount within the cap, about 9,224 vouchers at the cap on one
/// account still overflowed SQLite's 64-bit `SUM`, and `balances` and `hub reconcile` failed for every org. No office
/// may book more than `Limits.officeVolumeMinorUnitsMax` in all; past it the hub rejects its documents, so every sum
/// stays readable.
@Suite struct OfficeVolumeCapTests {
    @Test func anOfficePastItsLifetimeVolumeIsRejectedAndEveryBalanceStaysReadable() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        let county = province.node("340121")
        let atCap = Limits.officeVolumeMinorUnitsMax / Limits.amountMinorUnitsMax  // 10 vouchers at the per-voucher cap
        for _ in 0..<atCap { try county.post([TestProvince.draft("340121:1002", "340121:6001", "10000000000000.00")]) }
        try county.post([TestProvince.draft("340121:1002", "340121:6001", "0.01")])
        let outcomes = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340121")))
        #expect(outcomes.reduce(0) { $0 + $1.rejected } == 1, "the one-fen voucher past the volume cap: \(outcomes)")
        let rejections = try province.hub.store.rejectedChanges().compactMap(\.code)
        #expect(rejections == ["office-volume-over-cap"], "\(rejections)")
        let hubBalances = try province.hub.store.balances()
        #expect(hubBalances.first { $0.account == "340121:1002" }?.balanceMinorUnits == Limits.officeVolumeMinorUnitsMax)
        // Another office is not touched by the first one's cap.
        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "10000000000000.00")])
        let other = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        #expect(other.allSatisfy { $0.rejected == 0 })
    }
}
