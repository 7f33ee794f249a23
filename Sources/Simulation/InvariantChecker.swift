import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// The invariants of a healed run (issue 5/5 §2), each checked for every office:
/// 1. every voucher and every office's books balance, counters gap-free, change logs complete (`verify`);
/// 2. every change applied exactly once: the hub holds each county's changes once, counter for counter;
/// 3. no acknowledged change lost: every county's outbox is empty and the hub has its every change;
/// 4. every replica converges to the hub's view of its scope (its accounts with their status, its keys, its
///    own vouchers and which of them were rejected);
/// 5. every slip is exactly one of matched (cleared), in transit, or disputed — and none is disputed;
/// 6. reconciliation eliminates intercompany balances at every level, internal accounts agree, and money is
///    conserved across the network;
/// 7. honest offices raise no security alert and fork nothing, and after healing no link is failing or blocked (the
///    injected crashes only delay a stream: issue 9's liveness); in a Byzantine run only the dishonest office's link
///    carries alerts, and every forged origin raised one. Invariants 1–6 hold for every office, honest or not: nothing
///    the dishonest office sent lost or altered anyone's change;
/// 8. a county restored from its backup (`Simulator+Restore`) has finished its resync after healing: it posts again,
///    and invariants 1–7 hold for it like for any other (no counter or document id used twice, so no fork).
/// 9. every document is signed by the people it names; no honest signature is refused, every forged one is (4/6);
/// 10. a county on the release before (issue 10) was never sent what its release cannot represent, the hub takes
///    every county for the release it runs, and once all have upgraded nothing stays held (`checkReleases`).
struct InvariantChecker {
    let simulator: Simulator
    var checked = 0
    var violations: [String] = []

    init(simulator: Simulator) { self.simulator = simulator }

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        checked += 1
        if !condition { violations.append(message()) }
    }

    /// 10 (issue 10). A county on the release before was never sent what that release cannot represent (it would have
    /// refused it and lost it for good); once every county has upgraded, nothing stays held at the hub.
    mutating func checkReleases() throws {
        let hub = simulator.hub
        for code in simulator.codes {
            let refused = try simulator.nodes[code]!.store.rejectedChanges().filter { $0.reason.contains(" cannot represent ") }
            expect(refused.isEmpty, "\(code) was sent what its release cannot represent: \(refused.map { "\($0.table) \($0.key)" })")
            let known = try hub.storage.officeReleases().first { $0.org == code }?.release ?? 1
            let runs = simulator.release(of: code)
            expect(known == runs, "the hub takes \(code) for release \(known), it runs \(runs)")
        }
        let held = try hub.storage.heldChanges(for: nil)
        expect(held.isEmpty, "the hub still holds \(held.count) change(s) for offices that have upgraded: \(held.prefix(5).map { "\($0.peer) \($0.table) \($0.key)" })")
    }

    mutating func check() throws -> [String] {
        let hub = simulator.hub
        let problems = try hub.verify()
        expect(problems.isEmpty, "hub verify: \(problems.joined(separator: "; "))")
        let hubVector = try hub.store.versionVector()
        for code in simulator.codes {
            let node = simulator.nodes[code]!
            let nodeProblems = try node.verify()
            expect(nodeProblems.isEmpty, "\(code) verify: \(nodeProblems.joined(separator: "; "))")
            let own = try node.store.versionVector()[code]
            expect(hubVector[code] == own, "\(code) wrote \(own) changes but the hub has \(hubVector[code])")
            expect(try hub.storage.changeCount(origin: code) == own, "the hub logged \(code)'s changes other than exactly once")
            expect(try node.store.status().outbox == 0, "\(code) still has unacknowledged changes after healing")
            expect(try node.store.resyncState() == nil, "\(code) was restored and is still waiting for its resync after healing")
            try checkScope(code, node: node)
        }
        expect(try hub.store.status().pending == 0 && hub.store.status().outbox == 0, "the hub still has pending or unsent changes")
        let health = try hub.linkHealth()
        let honestAlerts = health.openAlerts.filter { $0.link != simulator.dishonest?.rawValue }
        expect(honestAlerts.isEmpty, "honest offices raised security alerts: \(honestAlerts.map { "\($0.link) \($0.code)" })")
        let forgedAlerts = health.openAlerts.filter { $0.code == "origin-not-authorised" }.count
        let forgedDelivered = simulator.forgedOriginsDelivered
        expect(forgedAlerts == forgedDelivered, "\(forgedDelivered) forged batch(es) reached the hub but \(forgedAlerts) alert(s) were raised")
        expect(health.failingLinks.isEmpty, "links still failing after healing: \(health.failingLinks.map(\.peer))")
        // 9 (4/6). Every document is signed by the people it names: an honest office's signature is never refused, and
        // every forged one is.
        let rules = Set(SignatureRule.allCases.map(\.rawValue))
        let rejected = try hub.store.rejectedChanges()
        let refusedHonest = rejected.filter { rules.contains($0.code ?? "") && $0.origin != simulator.dishonest?.rawValue }
        expect(refusedHonest.isEmpty, "honest signatures refused: \(refusedHonest.map { "\($0.key) \($0.code ?? "") \($0.reason)" })")
        // A forgery may be refused for another rule first (its date in a period closed since, a frozen account); it is
        // never applied, and when it reaches the signature checks it is refused as signer-unknown.
        let refused = Dictionary(rejected.map { ($0.key, $0.code ?? "") }, uniquingKeysWith: { first, _ in first })
        for id in simulator.forgedSignatureVouchers {
            let code = refused[id]
            expect(code != nil, "the forged signature on \(id) was not refused")
            expect(code == nil || code == SignatureRule.signerUnknown.rawValue || !rules.contains(code ?? ""),
                   "the forged signature on \(id) was refused as \(code ?? ""), not signer-unknown")
        }
        try checkReleases()
        try checkSlipsAndReconciliation()
        return violations
    }

    mutating func checkScope(_ code: OrgCode, node: Node) throws {
        let hub = simulator.hub
        let hubAccounts = try hub.store.balances(org: code).map { "\($0.account)=\($0.status)" }
        let nodeAccounts = try node.store.balances(org: code).map { "\($0.account)=\($0.status)" }
        expect(hubAccounts == nodeAccounts, "\(code)'s accounts differ from the hub's: \(Set(hubAccounts).symmetricDifference(nodeAccounts))")
        let hubBooks = try hub.store.balances(org: code).map { "\($0.account)=\($0.balanceMinorUnits)" }
        let nodeBooks = try node.store.balances(org: code).map { "\($0.account)=\($0.balanceMinorUnits)" }
        expect(hubBooks == nodeBooks, "\(code)'s balances differ from the hub's: \(Set(hubBooks).symmetricDifference(nodeBooks))")
        let hubKeys = try hub.store.read { try $0.nodeKeys() }.filter { $0.org == code }.map { "\($0.keyID)=\($0.status)" }
        let nodeKeys = try node.store.read { try $0.nodeKeys() }.filter { $0.org == code }.map { "\($0.keyID)=\($0.status)" }
        expect(hubKeys == nodeKeys, "\(code)'s keys differ from the hub's")
        let rejectedAtHub = Set(try hub.store.rejectedChanges().filter { $0.origin == code.rawValue }.map(\.key))
        let rejectedAtNode = Set(try node.store.rejectionNotices().map(\.key))
        expect(rejectedAtHub == rejectedAtNode, "\(code) does not know every rejection: \(rejectedAtHub.symmetricDifference(rejectedAtNode))")
    }

    mutating func checkSlipsAndReconciliation() throws {
        let hub = simulator.hub, last = simulator.today
        let slips = try hub.storage.slipSides(through: last.description)
        for slip in slips {
            let matched = slip.clearedOn != nil
            let disputed = slip.issuerBooked != slip.amount || slip.receiverBooked != slip.amount
            let inTransit = !matched && !disputed
            expect([matched && !disputed, inTransit, disputed].filter { $0 }.count == 1, "slip \(slip.id) is in more than one state")
            expect(!disputed, "slip \(slip.id) is disputed: issuer booked \(slip.issuerBooked?.description ?? "nothing"), receiver \(slip.receiverBooked?.description ?? "nothing")")
        }
        let report = try Reconciler(hub: hub).run(from: Simulator.start, through: last, incremental: false)
        let structural: Set<String> = ["trial_balance", "slip_pairing", "slip_amount_mismatch", "internal_accounts", "elimination",
                                       "conservation", "completeness"]
        for finding in report.findings where structural.contains(finding.check) {
            expect(false, "reconciliation: [\(finding.check)] \(finding.message)")
        }
        checked += structural.count
    }
}
