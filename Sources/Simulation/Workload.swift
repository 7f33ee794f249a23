import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting

/// One simulated business day, drawn from the seed: registry changes at the hub (freezes, rate changes, key
/// rotation), every county's documents (income advices and vouchers, sweeps, balance reports, payments,
/// applications, withdrawals), and the hub's treasury work (receipts, releases, decisions, allocations).
/// A document an office refuses for a business reason (a frozen account, an approver below the tier) is part of
/// the workload: it is traced, not an error.
struct Workload {
    let simulator: Simulator

    var random: SeededGenerator {
        get { simulator.random }
        nonmutating set { simulator.random = newValue }
    }

    func chance(_ percent: Int) -> Bool { simulator.random.chance(percent) }

    func amount(_ low: Int64, _ high: Int64) -> AmountMinorUnits {
        AmountMinorUnits(Int64.random(in: low...high, using: &simulator.random) * 100)
    }

    func attempt(_ what: String, _ body: () throws -> Void) throws {
        do {
            try body()
            simulator.counts.documents += 1
        } catch is LedgerRuleViolation {
            simulator.record("refused locally: \(what)")
        } catch let error as NodeError {
            simulator.record("refused locally: \(what): \(error.description)")
        } catch let error as TreasuryError {
            simulator.record("refused at the hub: \(what): \(error.description)")
        } catch let error as ReplicaStoreError {
            // A county restored from its backup posts nothing until its resync with the hub is over (§8.8).
            guard case .resyncPending = error.code else { throw error }
            simulator.record("refused locally: \(what): restored, waiting for the hub's resync answer")
        }
    }

    func runDay() throws {
        try registryEvents()
        for code in simulator.codes { try countyDay(code) }
        try hubDay()
    }

    func registryEvents() throws {
        let hub = simulator.hub, today = simulator.today
        let code = simulator.codes[Int.random(in: 0..<simulator.codes.count, using: &simulator.random)]
        if chance(15) {
            try hub.setAccountStatus(WorldBuilder.expense(code), to: .frozen, effectiveFrom: today)
            simulator.counts.freezes += 1
            simulator.record("hub froze \(WorldBuilder.expense(code)) from \(today)")
        } else if chance(15) {
            try hub.setAccountStatus(WorldBuilder.expense(code), to: .active, effectiveFrom: today)
        }
        if chance(10) {
            let rate = AnnualRate(partsPerMillion: Int64.random(in: 3_000...15_000, using: &simulator.random))
            try hub.putRate(RateEntry(kind: .currentDeposit, effectiveFrom: today, rate: rate, dayCount: .actual360))
            simulator.counts.rateChanges += 1
        }
        if chance(8) { try rotateKey(of: code) }
        try hubControlEvents(branch: code)
    }

    /// Issue 9's registry faults at the hub's own side: it freezes (and later unfreezes) its funds-in-transit account
    /// for a branch, and closes past periods. A county's facts that arrive afterwards — a sweep that has left its bank —
    /// must still be booked, with a stream finding, and its stream must keep moving (the liveness invariant).
    func hubControlEvents(branch: OrgCode) throws {
        let hub = simulator.hub, today = simulator.today
        let inTransit = LedgerAccounts.hubInTransit(hub: Simulator.province, branch: branch)
        if chance(6) {
            try hub.setAccountStatus(inTransit, to: .frozen, effectiveFrom: today)
            simulator.counts.hubAccountFreezes += 1
            simulator.record("hub froze its own \(inTransit) from \(today)")
        } else if chance(20) {
            try hub.setAccountStatus(inTransit, to: .active, effectiveFrom: today)
        }
        if chance(5) {
            let yesterday = BusinessDate.fromDaysSinceEpoch(today.daysSinceEpoch - 1)
            if try hub.store.read({ try $0.periodLock() }).lockedThrough.map({ $0 < yesterday }) ?? true {
                try hub.lockPeriod(through: yesterday)
                simulator.counts.periodLocks += 1
                simulator.record("hub closed the period through \(yesterday)")
            }
        }
    }

    /// The county switches to a new key; the hub enrols it and revokes the old one. Batches still in flight with
    /// the old key are refused at the hub; their changes are re-sent with the new key (they were never
    /// acknowledged).
    func rotateKey(of code: OrgCode) throws {
        let node = simulator.nodes[code]!
        let old = node.signingKey.publicKey.keyID
        let key = try SigningKey.ed25519(seed: simulator.random.bytes32())
        simulator.nodes[code] = try node.rotateSigningKey(to: key)
        try simulator.hub.addKey(org: code, publicKeyPEM: key.publicKey.pem)
        try simulator.hub.revokeKey(old)
        simulator.counts.keyRotations += 1
        simulator.record("\(code) rotated its key \(old) → \(key.publicKey.keyID)")
    }

    func countyDay(_ code: OrgCode) throws {
        let node = simulator.nodes[code]!, today = simulator.today, income = WorldBuilder.income(code)
        let clerks = DocumentSignatures(preparer: "\(code)-cashier", reviewer: "\(code)-manager")
        let received = amount(1_000, 20_000)
        try attempt("income at \(code)") {
            try node.recordBankAdvice(account: income, date: today, direction: .receipt, amount: received, advice: "IN-\(code)-\(today)",
                                      counterparty: nil, memo: nil, slip: nil, signatures: clerks)
            try node.post([VoucherDraft(date: today.description, memo: "income", preparer: clerks.preparer,
                                        lines: [.init(account: income, debit: received.description), .init(account: "\(code):6001", credit: received.description)])])
        }
        if chance(70) {
            try attempt("sweep at \(code)") { _ = try node.sweep(account: income, date: today, amount: nil, advice: "SW-\(code)-\(today)", signatures: clerks) }
        }
        if chance(30) {
            try attempt("payment at \(code)") {
                _ = try node.enterPayment(account: WorldBuilder.expense(code), payee: "supplier", payeeAccount: "6222000011112222",
                                          amount: amount(100, 80_000), date: today, purpose: "goods", expenseAccount: "\(code):6602", signatures: clerks)
            }
        }
        if chance(15) {
            let local = chance(50)
            try attempt("application at \(code)") {
                _ = try node.submitApplication(category: "business", amount: amount(1_000, 2_000_000), reason: "claims", date: today,
                                               signatures: DocumentSignatures(preparer: clerks.preparer, reviewer: clerks.reviewer,
                                                                              approver: local ? "\(code)-head" : nil))
            }
        }
        if chance(5), let submitted = try node.store.documents(.application).first(where: { $0["state"] == "submitted" })?["id"] {
            try attempt("withdrawal at \(code)") { try node.withdraw(.application, submitted, actor: "\(code)-manager", reason: "not needed") }
        }
        // The simulated bank is honest: its day-end figure is what its cashier's journal shows.
        try attempt("balance report at \(code)") {
            let figures = try node.store.read { reader in
                try reader.accounts(of: node.org).filter { $0.kind == .bank && $0.status != .closed }.reduce(into: [String: AmountMinorUnits]()) {
                    $0[$1.id] = try reader.bankJournalBalance($1.id, through: today)
                }
            }
            if !figures.isEmpty { _ = try node.reportBalances(date: today, reported: figures, signatures: clerks) }
        }
    }

    func hubDay() throws {
        let hub = simulator.hub, today = simulator.today
        let signers = DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager")
        for slip in try hub.storage.slipSides(through: today.description) where slip.kind == "sweep_up" && slip.clearedOn == nil && slip.receiverBooked != nil {
            if chance(70) {
                try attempt("receipt of \(slip.id)") {
                    try hub.recordSweepReceipt(collectionAccount: WorldBuilder.collection, date: today, amount: slip.amount, advice: "RCV-\(slip.id)",
                                               slip: slip.id, signatures: signers)
                }
            }
        }
        // The bank pays what the hub released on an earlier day (the cashier records its receipt): the branch books it on
        // that day (7/7), so a payment stays promised, not booked, while it is with the bank.
        for payment in try hub.store.documents(.payment) where payment["state"] == "released" && chance(70) {
            try attempt("bank booking of \(payment["id"] ?? "")") {
                try hub.recordBankBooking(of: payment["id"]!, bookedOn: today, by: "hub-cashier", receipt: "HD-\(payment["id"]!)")
            }
        }
        for payment in try hub.store.documents(.payment) where payment["state"] == "entered" {
            let releaser = (Int64(payment["amount"] ?? "0") ?? 0) > 5_000_000 ? "hub-supervisor" : "hub-cashier"
            try attempt("release of \(payment["id"] ?? "")") { try hub.releasePayment(payment["id"]!, by: releaser) }
        }
        for application in try hub.store.documents(.application) where application["state"] == "submitted" && chance(60) {
            try attempt("decision on \(application["id"] ?? "")") {
                try hub.decideApplication(application["id"]!, approve: chance(75), approver: "hub-manager", reason: nil)
            }
        }
        // Deposits and loans between the centre and its branches (3/6 item 3): both sides book them from the slips, so the
        // intercompany mirror must hold through them after healing.
        if chance(12), let branch = simulator.codes.randomElement(using: &simulator.random) {
            try attempt("fixed deposit of \(branch)") {
                _ = try hub.placeFixedDeposit(branch: branch, amount: amount(1_000, 20_000), term: ContractTerm(months: [3, 6, 12][Int.random(in: 0...2, using: &simulator.random)])!,
                                              date: today, signatures: DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor"))
            }
        }
        if chance(10), let branch = simulator.codes.randomElement(using: &simulator.random) {
            try attempt("loan to \(branch)") {
                _ = try hub.drawLoan(branch: branch, amount: amount(1_000, 50_000), term: ContractTerm(months: 6)!, date: today,
                                     signatures: DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor", approver: "hub-manager"))
            }
        }
        for loan in try hub.store.read({ try $0.contracts(branch: nil, activeOnly: true) }) where !loan.kind.isDeposit && loan.start < today && chance(30) {
            try attempt("repayment of \(loan.id)") {
                _ = try hub.repayLoan(loan.id, date: today, signatures: DocumentSignatures(preparer: "hub-fundmanager", reviewer: "hub-supervisor"))
            }
        }
        for application in try hub.store.documents(.application) where application["state"] == "approved" && chance(50) {
            try attempt("allocation for \(application["id"] ?? "")") {
                let order = try hub.prepareSpecialAllocation(application: application["id"]!, date: today, sourceAccount: WorldBuilder.hubBank,
                                                             preparer: "hub-fundmanager")
                try hub.approveAllocation(order, approver: "hub-manager")
                try hub.payAllocation(order, cashier: "hub-cashier", advice: "PAY-\(order)")
            }
        }
    }
}
