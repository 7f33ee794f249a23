import LedgerCore
import ReplicaStore

/// The hub's authority over incoming changes (DESIGN.md §2): ownership, ledger and business rules against the
/// hub's own registry as of each document's business date, counterpart booking, and where each hub change goes.
struct HubPolicy: ReplicaPolicy {
    let hub: OrgCode

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        // Only a rule violation is a verdict. Anything else (the registry could not be read) is rethrown, so the
        // batch is not applied and stays for a retry; no rejection is written or sent for it.
        do {
            try HubValidation(hub: hub, transaction: transaction).check(change, from: peer)
            return .apply
        } catch let violation as LedgerRuleViolation {
            return .reject(code: violation.name, reason: violation.description)
        }
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {
        guard case .reject(let code, let reason) = verdict else {
            if let table = change.replicatedTable, change.id.origin != hub {
                try transaction.addOfficeVolume(change.id.origin, try HubValidation.volume(of: change, table: table, in: transaction))
            }
            try HubCounterparts(hub: hub, transaction: transaction).book(after: change)
            // An office's bank statement joins the hub's own, where its entries are matched to the bank journal (6/6 item 4).
            if change.replicatedTable == .statement, change.id.origin != hub {
                try transaction.adoptOfficeStatement(change, windowDays: Hub.statementMatchWindowDays)
            }
            // An office announced a newer release: what was held for it goes out now, in the order it was written.
            if change.replicatedTable == .officeRelease, change.id.origin != hub {
                try transaction.releaseHeldChanges(for: change.id.origin)
            }
            return
        }
        // The rejection notice travels back to the origin, which marks its record rejected.
        var dependency = VersionVector()
        dependency.advance(change.id.origin, to: change.id.counter)
        try transaction.appendLocal(table: .rejection, key: change.id.description, operation: .insert,
                                    businessDate: change.businessDate, fields: [
                                        "origin": .text(change.id.origin.rawValue),
                                        "counter": .integer(change.id.counter),
                                        "table": .text(change.table),
                                        "key": .text(change.key),
                                        "reason": .text(reason),
                                        "code": .text(code),
                                    ], dependsOn: dependency)
    }

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] {
        let fields = FieldReader(change.fields, context: change.table)
        if change.replicatedTable == .orgUnit || change.replicatedTable == .nodeKey { fold(change, into: transaction) }
        let scope = try scope(in: transaction)
        switch change.replicatedTable {
        case .rejection?:
            return [try fields.orgCode("origin")]
        case .orgUnit?:
            guard let code = OrgCode(change.key) else { return [] }
            return scope.nodesForOrgUnit(code)
        case .account?:
            let owner = try fields.orgCode("org")
            // The hub's own accounts stay at the hub, except its sub-accounts with a branch (1012.B, 2242.02.B,
            // loans), which that branch receives so it can see the HQ side of its intercompany balances offline.
            guard owner == hub else { return scope.nodesForOwnedRecord(owner) }
            return Self.branch(ofHubAccount: change.key, hub: hub).map { scope.nodes.contains($0) ? [$0] : [] } ?? []
        case .nodeKey?, .staff?, .staffKey?, .sweepPlan?:
            return scope.nodesForOwnedRecord(try fields.orgCode("org"))
        case .approvalRule?, .rate?, .parameter?, .periodLock?, .calendarDay?:
            return scope.nodes.sorted()
        case .slip?:
            return [try fields.orgCode("receiver")]
        case .allocation?:
            return [try fields.orgCode("branch")]
        case .contract?:
            let branch = try fields.orgCode("branch")
            return scope.nodes.contains(branch) ? [branch] : []
        case .differenceNotice?:
            return [try fields.orgCode("org")]
        case .resync?:
            return [try fields.orgCode("node")]
        case .voucher?:
            return Self.branches(in: change, hub: hub).filter(scope.nodes.contains)
        case .transition?:
            let kind = try fields.text("doc_table")
            guard let table = ReplicatedTable(rawValue: kind), let document = try transaction.document(table, try fields.text("doc_id")),
                  let org = document["org"]?.textValue.flatMap(OrgCode.init) else { return [] }
            return [org]
        default:
            return []
        }
    }

    /// The branches a hub voucher concerns: the `B` of its `hub:code.B` sub-accounts.
    static func branches(in change: Change, hub: OrgCode) -> [OrgCode] {
        let lines = change.fields["lines"]?.listValue ?? []
        let codes = lines.compactMap { $0.recordValue?["account"]?.textValue }.compactMap { branch(ofHubAccount: $0, hub: hub) }
        return Array(Set(codes)).sorted()
    }

    /// `B` for a hub sub-account `hub:code.B` (funds in transit, internal deposit, loans), else `nil`.
    static func branch(ofHubAccount id: String, hub: OrgCode) -> OrgCode? {
        let prefix = "\(hub.rawValue):"
        guard id.hasPrefix(prefix) else { return nil }
        let subject = id.dropFirst(prefix.count)
        for code in [LedgerAccounts.internalCurrentDeposit, LedgerAccounts.fundsInTransit, LedgerAccounts.shortLoan, LedgerAccounts.longLoan,
                     LedgerAccounts.internalFixedDeposit, LedgerAccounts.internalSpecialFixedDeposit]
        where subject.hasPrefix(code + ".") {
            return OrgCode(String(subject.dropFirst(code.count + 1)))
        }
        return nil
    }

    /// The org tree and the enrolled nodes, as of this transaction. Built from the registry once and then carried
    /// from write to write (`ReplicaTransaction.registryView`), kept up to date by ``fold(_:into:)``: so a batch, an
    /// enrolment or a registry change costs the same with 100 or 3,000 nodes (5/6).
    func scope(in transaction: ReplicaTransaction) throws -> RegistryScope {
        if let scope = transaction.registryView as? RegistryScope, transaction.registryViewIncorporated == transaction.structureChanges {
            return scope
        }
        let nodes = Set(try transaction.nodeKeys().map(\.org).filter { $0 != hub })
        let scope = RegistryScope(hub: hub, units: try transaction.orgUnits(), nodes: nodes)
        transaction.registryView = scope
        transaction.registryViewIncorporated = transaction.structureChanges
        return scope
    }

    /// Folds a structure change this hub just applied (`appendLocal` asks for its recipients right after) into the
    /// carried view. If the view missed another structure change, it is left stale and ``scope(in:)`` builds it again.
    func fold(_ change: Change, into transaction: ReplicaTransaction) {
        guard var scope = transaction.registryView as? RegistryScope,
              transaction.registryViewIncorporated == transaction.structureChanges - 1 else { return }
        // Taken out first, so the tree's dictionaries are not shared while they change: folding one unit into a
        // province of 26,000 then costs one unit, not a copy of the tree.
        transaction.registryView = nil
        guard scope.incorporate(change) else { return }
        transaction.registryView = scope
        transaction.registryViewIncorporated = transaction.structureChanges
    }

    func receivesEveryChange(of origin: OrgCode) -> Bool { origin != hub }
}
