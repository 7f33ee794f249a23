import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Each fund-management process of DOMAIN.md §3 end to end through real batch files, checking the exact journal
/// entries on both sides by account code and amount.
@Suite struct FundProcessTests {
    let day = BusinessProvince.startDate

    @Test func sweepUpIsBookedOnBothSidesAndClearedByTheBankReceipt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let income = BusinessProvince.income("340122")
        try county.post([VoucherDraft(date: "2026-11-02", memo: "premium income", preparer: "340122-cashier",
                                      lines: [.init(account: income, debit: "5200.00"), .init(account: "340122:6001", credit: "5200.00")])])
        // No amount: the sweep plan keeps a retained balance of ¥200.00 (floor sweep).
        let sweep = try county.sweep(account: income, date: day, amount: nil, advice: "ICBC-PAY-0001",
                                     signatures: BusinessProvince.clerks("340122"))
        #expect(sweep.amount == AmountMinorUnits(500_000))
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(sweep.slip)")
                == [["Dr 340122:3001.01 5000.00", "Cr \(income) 5000.00"]])
        try province.sync("340122")
        #expect(try BusinessProvince.lines(in: province.hub.store, source: "slip:\(sweep.slip)")
                == [["Dr 340000:1012.340122 5000.00", "Cr 340000:2242.02.340122 5000.00"]])
        #expect(try province.hub.store.documents(.slip).first { $0["id"] == sweep.slip }?["status"] == "in_transit")
        try province.hub.recordSweepReceipt(collectionAccount: BusinessProvince.hubCollection, date: day, amount: sweep.amount,
                                            advice: "ICBC-RCV-0001", slip: nil,
                                            signatures: DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager"))
        #expect(try BusinessProvince.lines(in: province.hub.store, source: "receipt:\(sweep.slip)")
                == [["Dr \(BusinessProvince.hubCollection) 5000.00", "Cr 340000:1012.340122 5000.00"]])
        #expect(try province.hub.store.documents(.slip).first { $0["id"] == sweep.slip }?["status"] == "cleared")
        let hubBalance = try province.hub.store.balances(org: TestProvince.province).first { $0.account == "340000:2242.02.340122" }
        let countyBalance = try county.store.balances(org: county.org).first { $0.account == "340122:3001.01" }
        #expect(hubBalance?.balanceMinorUnits == -countyBalance!.balanceMinorUnits, "2242.02 at the centre = − the branch's intercompany")
    }

    @Test func routineAllocationFromForecastsReachesTheBranchAndClearsOnReceipt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121")
        try county.submitForecast(period: "2026-11-H2", date: day, amounts: ["claims": AmountMinorUnits(8_000_000),
                                                                              "administrative": AmountMinorUnits(1_500_050)],
                                  signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        let orders = try province.hub.prepareRoutineAllocations(period: "2026-11-H2", date: BusinessDate("2026-11-16")!,
                                                                sourceAccount: BusinessProvince.hubExpense, preparer: "hub-fundmanager")
        #expect(orders.count == 1)
        #expect(throws: (any Error).self) { try province.hub.approveAllocation(orders[0], approver: "hub-cashier") }
        try province.hub.approveAllocation(orders[0], approver: "hub-manager")
        #expect(try province.hub.store.documents(.slip).filter { $0["kind"] == "allocation" }.isEmpty, "approval moves no money (3/6 item 4)")
        #expect(throws: TreasuryError.self, "the manager who approved does not also pay") {
            try province.hub.payAllocation(orders[0], cashier: "hub-manager", advice: "BOC-PAY-1")
        }
        let approved = try province.hub.payAllocation(orders[0], cashier: "hub-cashier", date: BusinessDate("2026-11-17")!, advice: "BOC-PAY-1")
        let journal = try province.hub.store.documents(.bankJournal).filter { $0["slip"] == approved.slip }
        #expect(journal.count == 1 && journal.first?["direction"] == "payment" && journal.first?["date"] == "2026-11-17"
                && journal.first?["advice"] == "BOC-PAY-1", "the hub's bank journal has the payment on its bank date: \(journal)")
        #expect(try province.hub.store.read { try $0.vouchers(source: "slip:\(approved.slip)") }.first?.date == BusinessDate("2026-11-17")!)
        #expect(try BusinessProvince.lines(in: province.hub.store, source: "slip:\(approved.slip)")
                == [["Dr 340000:2242.02.340121 95000.50", "Cr \(BusinessProvince.hubExpense) 95000.50"]])
        try province.base.deliverFromHub()
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(approved.slip)")
                == [["Dr 340121:1012 95000.50", "Cr 340121:3001.01 95000.50"]])
        try county.recordBankAdvice(account: BusinessProvince.expense("340121"), date: BusinessDate("2026-11-16")!, direction: .receipt,
                                    amount: AmountMinorUnits(9_500_050), advice: "BOC-RCV-77", counterparty: "340000", memo: nil,
                                    slip: approved.slip, signatures: BusinessProvince.clerks("340121"))
        #expect(try BusinessProvince.lines(in: county.store, source: "receipt:\(approved.slip)")
                == [["Dr \(BusinessProvince.expense("340121")) 95000.50", "Cr 340121:1012 95000.50"]])
        #expect(try county.store.documents(.slip).first { $0["id"] == approved.slip }?["status"] == "cleared")
        #expect(try province.hub.prepareRoutineAllocations(period: "2026-11-H2", date: BusinessDate("2026-11-16")!,
                                                           sourceAccount: BusinessProvince.hubExpense, preparer: "hub-fundmanager").isEmpty)
    }

    @Test func specialApplicationAboveTheCountyTierIsApprovedAtTheHubAndAllocated() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        // ¥2,000,000 is tier 4 (100–1000万): the fund-centre manager, not the county head, must approve it.
        #expect(throws: NodeError.self) {
            try county.submitApplication(category: "business", amount: AmountMinorUnits(200_000_000), reason: "large claim",
                                         date: day, signatures: BusinessProvince.clerks("340122", approver: "340122-head"))
        }
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(200_000_000),
                                                       reason: "large claim payout", date: day, signatures: BusinessProvince.clerks("340122"))
        #expect(application.state == "submitted")
        try province.sync("340122")
        #expect(throws: (any Error).self) {
            try province.hub.decideApplication(application.id, approve: true, approver: "hub-cashier", reason: nil)
        }
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: "claim verified")
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        let approved = try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-2")
        try province.base.deliverFromHub()
        #expect(try county.store.documents(.application).first?["state"] == "allocated")
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(approved.slip)")
                == [["Dr 340122:1012 2000000.00", "Cr 340122:3001.01 2000000.00"]])
    }

    @Test func localApprovalWithinTheTierStaysLocalAndTheHubAgrees() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121")
        let small = try county.submitApplication(category: "administrative", amount: AmountMinorUnits(8_000_000), reason: "office repairs",
                                                 date: day, signatures: BusinessProvince.clerks("340121", approver: "340121-head"))
        #expect(small.state == "approved")
        #expect(throws: (any Error).self) {  // the finance manager may approve ≤10万 only, and may not also review
            try county.submitApplication(category: "administrative", amount: AmountMinorUnits(1_000), reason: "x", date: day,
                                         signatures: BusinessProvince.clerks("340121", approver: "340121-manager"))
        }
        try province.sync("340121")
        #expect(try province.hub.store.documents(.application).first?["state"] == "approved")
        #expect(try province.hub.store.rejectedChanges().isEmpty)
    }

    @Test func withdrawalConcurrentWithTheHubsApprovalLosesAndIsKept() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(60_000_000), reason: "claims",
                                                       date: day, signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: nil)
        // The county, still offline, withdraws the application the hub has just approved.
        try county.withdraw(.application, application.id, actor: "340122-manager", reason: "no longer needed")
        try province.sync("340122")
        for store in [province.hub.store, county.store] {
            #expect(try store.documents(.application).first?["state"] == "approved", "the hub's transition wins")
            let conflicts = try store.conflicts()
            #expect(conflicts.count == 1 && conflicts[0].loserState == "withdrawn" && conflicts[0].keptState == "approved")
        }
    }

    @Test func accountRequestOpensTheAccountOnceTheHubApproves() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121")
        let request = try county.requestAccount(action: "open", account: "1307010109000123456", details: [
            "name": "ICBC Changfeng special account", "bank": "ICBC Changfeng", "purpose": "expense", "class": "special",
        ], date: day, signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        #expect(try county.store.read { try $0.account("1307010109000123456") } == nil, "pending until the hub decides")
        try province.hub.checkAccountRequest(request, by: "hub-fundmanager", note: nil)
        try province.hub.decideAccountRequest(request, approve: true, by: "hub-manager", reason: nil)
        try province.base.deliverFromHub()
        #expect(try county.store.read { try $0.account("1307010109000123456") }?.status == .active)
        #expect(try county.store.documents(.accountRequest).first?["state"] == "approved")
    }

    @Test func paymentsAreReleasedUnderThreeLevelAuthority() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let expense = BusinessProvince.expense("340122")
        let small = try county.enterPayment(account: expense, payee: "Hefei Office Supplies", payeeAccount: "6222000011112222",
                                            amount: AmountMinorUnits(3_000_000), date: day, purpose: "stationery",
                                            expenseAccount: "340122:6602", signatures: BusinessProvince.clerks("340122"))
        let large = try county.enterPayment(account: expense, payee: "Anhui Construction", payeeAccount: "6222000033334444",
                                            amount: AmountMinorUnits(25_000_000), date: day, purpose: "renovation",
                                            expenseAccount: "340122:6602", signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.releasePayment(small, by: "hub-cashier")
        #expect(throws: TreasuryError.self) { try province.hub.releasePayment(large, by: "hub-cashier") }
        try province.hub.releasePayment(large, by: "hub-supervisor")
        try province.bankPays(small)
        try province.bankPays(large)
        try province.base.deliverFromHub()
        #expect(try BusinessProvince.lines(in: county.store, source: "payment:\(small)") == [["Dr 340122:6602 30000.00", "Cr \(expense) 30000.00"]])
        #expect(try BusinessProvince.lines(in: county.store, source: "payment:\(large)") == [["Dr 340122:6602 250000.00", "Cr \(expense) 250000.00"]])
    }

    @Test func paymentFromAnAccountFrozenWhileTheCountyWasOfflineIsRejected() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let expense = BusinessProvince.expense("340122")
        try province.hub.setAccountStatus(expense, to: .frozen, effectiveFrom: BusinessDate("2026-11-03")!)
        let payment = try county.enterPayment(account: expense, payee: "Supplier", payeeAccount: "6222000055556666",
                                              amount: AmountMinorUnits(1_000_000), date: BusinessDate("2026-11-04")!, purpose: "goods",
                                              expenseAccount: "340122:6602", signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        let rejection = try province.hub.store.rejectedChanges()
        #expect(rejection.count == 1 && rejection[0].key == payment && rejection[0].reason.contains("frozen"))
        #expect(try county.store.documents(.payment).first?["state"] == "rejected")
        #expect(try county.store.read { try $0.account(expense, asOf: BusinessDate("2026-11-04")!) }?.status == .frozen)
        #expect(try county.store.read { try $0.account(expense, asOf: BusinessDate("2026-11-02")!) }?.status == .active)
        #expect(try county.verify().isEmpty && province.hub.verify().isEmpty, "both books balance")
    }

    @Test func closedPeriodRefusesLateEntriesWhichBecomeAdjustments() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121")
        let late = VoucherDraft(date: "2026-11-02", memo: "late income", preparer: "340121-cashier",
                                lines: [.init(account: "340121:1002", debit: "10.00"), .init(account: "340121:6001", credit: "10.00")])
        // Posted offline before the lock reached the county: the hub refuses it on arrival.
        try county.post([late])
        try province.hub.lockPeriod(through: BusinessDate("2026-11-02")!)
        try province.sync("340121")
        #expect(try county.store.rejectedVouchers().first?.reason.contains("closed") == true)
        #expect(throws: NodeError.self) { try county.post([late]) }
        let adjusted = try county.post([late], adjustClosedPeriod: true)
        #expect(adjusted.first?.date.description == "2026-11-03" && adjusted.first?.memo.hasPrefix("adjustment for 2026-11-02") == true)
    }

    @Test func hubPostingsRespectThePeriodLock() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121")
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(20_000_000), reason: "claims",
                                                       date: day, signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: nil)
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.lockPeriod(through: day)
        try province.hub.approveAllocation(order, approver: "hub-manager")
        #expect(throws: LedgerRuleViolation.self) { try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-3") }
    }

    @Test func anAllocationToABranchWhoseExpenseAccountIsFrozenIsRefused() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(20_000_000), reason: "claims",
                                                       date: day, signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: nil)
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.setAccountStatus(BusinessProvince.expense("340122"), to: .frozen, effectiveFrom: day)
        #expect(throws: TreasuryError.self) { try province.hub.approveAllocation(order, approver: "hub-manager") }
        try province.hub.setAccountStatus(BusinessProvince.expense("340122"), to: .active, effectiveFrom: day)
        try province.hub.approveAllocation(order, approver: "hub-manager")
        try province.hub.setAccountStatus(BusinessProvince.expense("340122"), to: .frozen, effectiveFrom: day)
        #expect(throws: TreasuryError.self, "checked again when it is paid") {
            try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-4")
        }
        try province.hub.setAccountStatus(BusinessProvince.expense("340122"), to: .active, effectiveFrom: day)
        try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-4")
    }

    @Test func sameSignatoryInTwoRolesIsRefused() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        #expect(throws: (any Error).self) {
            try province.node("340121").submitForecast(period: "2026-11-H2", date: BusinessDate("2026-11-02")!,
                                                      amounts: ["claims": AmountMinorUnits(1)],
                                                      signatures: DocumentSignatures(preparer: "a", reviewer: "a"))
        }
    }

    @Test func eachNodeReportsTheRegistryVersionItApplied() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        try province.hub.putParameter("receipt_chase_days", value: "3", effectiveFrom: day)
        var versions = try province.hub.store.registryVersions()
        #expect(versions.allSatisfy { $0.applied < $0.current }, "nothing acknowledged yet")
        try province.base.deliverFromHub()
        for code in ["340121", "340122"] { try expectReceived(province.hub.exchange.importFiles(province.base.export(from: code))) }
        versions = try province.hub.store.registryVersions()
        #expect(versions.count == 2 && versions.allSatisfy { $0.applied == $0.current })
    }
}

/// Interest settlement at the hub from its own books, sent down and booked by the branch.
@Suite struct InterestSettlementTests {
    @Test func depositInterestAcrossARateChangeIsPostedOnBothSidesOnce() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        try province.hub.putRate(RateEntry(kind: .currentDeposit, effectiveFrom: BusinessDate("2026-11-07")!,
                                           rate: AnnualRate(percent: "1.44")!, dayCount: .actual360))
        let income = BusinessProvince.income("340122")
        try county.post([VoucherDraft(date: "2026-11-02", memo: "income", preparer: "340122-cashier",
                                      lines: [.init(account: income, debit: "5200.00"), .init(account: "340122:6001", credit: "5200.00")])])
        _ = try county.sweep(account: income, date: BusinessDate("2026-11-02")!, amount: nil, advice: "A1",
                             signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        // 2242.02.340122 holds a ¥5,000 credit from 2 Nov. 2–6 Nov at 0.72 %: 2,500,000 fen-days → 50 fen;
        // 7–11 Nov at 1.44 %: 2,500,000 fen-days → 100 fen. Deposit interest ¥1.50, paid by the fund centre.
        let signatures = DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager")
        let settled = try province.hub.settleInterest(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-11")!,
                                                      postingDate: BusinessDate("2026-11-12")!, signatures: signatures)
        #expect(settled.count == 1)
        #expect(settled.first?.productFenDays == 5_000_000 && settled.first?.interestMinorUnits == 150 && settled.first?.payable == true)
        let source = "interest:340000:2242.02.340122:deposit:2026-11-02:2026-11-11"
        #expect(try BusinessProvince.lines(in: province.hub.store, source: source) == [["Dr 340000:6411 1.50", "Cr 340000:2242.02.340122 1.50"]])
        try province.base.deliverFromHub()
        let slip = try #require(settled.first?.slip)
        #expect(try BusinessProvince.lines(in: county.store, source: "slip:\(slip)") == [["Dr 340122:3001.01 1.50", "Cr 340122:6011 1.50"]])
        #expect(settled.first?.dayCount == "actual/360" && settled.first?.alreadyPosted == false, "the convention is shown (3/6 item 3)")
        // The rate of 7–11 Nov is changed afterwards: a re-run shows what was posted, not a recomputation (3/6 item 3).
        try province.hub.putRate(RateEntry(kind: .currentDeposit, effectiveFrom: BusinessDate("2026-11-07")!,
                                           rate: AnnualRate(percent: "2.16")!, dayCount: .actual365))
        let again = try province.hub.settleInterest(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-11")!,
                                                    postingDate: BusinessDate("2026-11-12")!, signatures: signatures)
        #expect(again.count == 1 && again.allSatisfy { $0.alreadyPosted && $0.slip == nil }, "a settled period is never posted twice")
        #expect(again.first?.interestMinorUnits == 150 && again.first?.voucher == settled.first?.voucher, "as posted: ¥1.50, not a new figure")
        #expect(again.first?.dayCount == "actual/360, actual/365", "both conventions the rates now name are shown")
        #expect(throws: TreasuryError.self, "an overlapping period would pay part of it twice") {
            try province.hub.settleInterest(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-12")!,
                                            postingDate: BusinessDate("2026-11-13")!, signatures: signatures)
        }
        let hubDeposit = try province.hub.store.balances(org: TestProvince.province).first { $0.account == "340000:2242.02.340122" }
        let countyIntercompany = try county.store.balances(org: county.org).first { $0.account == "340122:3001.01" }
        #expect(hubDeposit?.balanceMinorUnits == -(countyIntercompany?.balanceMinorUnits ?? 0))
    }
}

/// Issue 3/6, item 2: allocations the hub itself approved are funding, not an overdraft. Release 1 charged Changfeng
/// ¥768.06 "overdraft" interest on an approved ¥2,000,000 allocation while it held ¥3.85m in its banks.
@Suite struct ApprovedAllocationInterestTests {
    @Test func anApprovedAllocationIsNotChargedAsOverdraft() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340121"), day = BusinessDate("2026-11-02")!
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(200_000_000), reason: "relief",
                                                       date: day, signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: "verified")
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-5")
        let signatures = DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager")
        let settled = try province.hub.settleInterest(from: day, through: BusinessDate("2026-11-11")!, postingDate: BusinessDate("2026-11-12")!,
                                                      signatures: signatures)
        #expect(!settled.contains { $0.branch == "340121" && $0.kind == "overdraft" }, "\(settled)")
    }
}
