import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 9: no registry state may stop an office's stream.
///
/// Method (the issue's own story): the hub freezes its funds-in-transit account for a county, `340000:1012.B`,
/// from the day of the county's morning sweep. The sweep is valid by the county's rules; only the hub's automatic
/// counterpart booking would post to the frozen account. Release 1 failed every later file of that county as a
/// whole. Now the counterpart is booked anyway (the bank movement happened), a finding tells the fund centre, and
/// the county's later documents keep arriving.
@Suite struct StreamLivenessTests {
    @Test func aCounterpartOnAFrozenHubAccountIsBookedWithAFindingAndTheStreamMovesOn() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let income = BusinessProvince.income("340122")
        try province.hub.setAccountStatus("340000:1012.340122", to: .frozen, effectiveFrom: BusinessProvince.startDate)
        try county.post([VoucherDraft(date: "2026-11-02", memo: "fees", preparer: "340122-cashier",
                                      lines: [.init(account: income, debit: "5200.00"), .init(account: "340122:6001", credit: "5200.00")])])
        let sweep = try county.sweep(account: income, date: BusinessProvince.startDate, amount: nil, advice: "ICBC-PAY-0001",
                                     signatures: BusinessProvince.clerks("340122"))
        let first = province.hub.exchange.importFiles(try province.base.export(from: "340122"))
        try county.post([VoucherDraft(date: "2026-11-02", memo: "more fees", preparer: "340122-cashier",
                                      lines: [.init(account: income, debit: "10.00"), .init(account: "340122:6001", credit: "10.00")])])
        let second = province.hub.exchange.importFiles(try province.base.export(from: "340122"))
        let hubVector = try province.hub.store.versionVector()[county.org], countyVector = try county.store.versionVector()[county.org]
        let booked = try BusinessProvince.lines(in: province.hub.store, source: "slip:\(sweep.slip)")
        let findings = try province.hub.streamFindings()
        for result in first + second {
            guard case .received(_, _, let outcome) = result else { Issue.record("not received: \(result)"); continue }
            #expect(outcome.rejected == 0, "the county's documents are valid by its own rules")
        }
        #expect(hubVector == countyVector, "every change of the county reached the hub")
        #expect(booked == [["Dr 340000:1012.340122 5000.00", "Cr 340000:2242.02.340122 5000.00"]], "booked anyway")
        #expect(findings.count == 1 && findings.first?.kind == "counterpart-on-inactive-account"
                && findings.first?.document == "slip:\(sweep.slip)" && findings.first?.org == "340122", "\(findings)")
        #expect(findings.first?.detail.contains("340000:1012.340122, which is frozen") == true, "\(findings)")
        #expect(try province.hub.verify().isEmpty)
    }
}

/// Issue 9 with DECISIONS ("controls versus facts"): a county, offline, records the bank's advice of money it received
/// and books it; meanwhile the hub closes that period. The advice is a fact: the hub records it with a finding instead
/// of rejecting it. The clerk's own voucher is still refused there (it becomes an adjustment in the open period).
@Suite struct FactsInAClosedPeriodTests {
    @Test func aBankAdviceDatedInAPeriodClosedMeanwhileIsRecordedWithAFinding() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let code = "340121", day = BusinessDate("2026-11-02")!
        let node = province.node(code)
        let journal = try node.recordBankAdvice(account: BusinessProvince.income(code), date: day, direction: .receipt,
                                                amount: AmountMinorUnits(120_000), advice: "IN-LATE", counterparty: "policyholders",
                                                memo: nil, slip: nil, signatures: BusinessProvince.clerks(code))
        try node.post([VoucherDraft(date: day.description, memo: "premium income", preparer: "\(code)-cashier",
                                    lines: [.init(account: BusinessProvince.income(code), debit: "1200.00"),
                                            .init(account: "\(code):6001", credit: "1200.00")])])
        try province.hub.lockPeriod(through: BusinessDate("2026-11-03")!)
        try expectReceived(province.hub.exchange.importFiles(try province.base.export(from: code)))
        let rejected = try province.hub.store.rejectedChanges().map(\.key)
        #expect(!rejected.contains(journal), "the bank advice is a fact: recorded, not rejected (\(rejected))")
        #expect(rejected.contains { $0.hasPrefix("\(code)-V") }, "the clerk's voucher dated in the closed period is refused")
        let findings = try province.hub.streamFindings().filter { $0.kind == "fact-in-closed-period" }
        #expect(findings.map(\.document) == ["bank_journal:\(journal)"], "\(findings)")
    }
}
