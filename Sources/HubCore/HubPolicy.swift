import LedgerCore
import ReplicaStore

/// The hub's authority over incoming changes (DESIGN.md §2): ownership, ledger rules against the hub's own
/// registry, and where each hub change goes.
struct HubPolicy: ReplicaPolicy {
    let hub: OrgCode

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        do {
            try check(change, from: peer, in: transaction)
            return .apply
        } catch {
            return .reject(reason: error.description)
        }
    }

    private func check(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws(LedgerRuleViolation) {
        guard change.id.origin == peer else {
            throw .malformed("change \(change.id) was sent by \(peer), which may not forward another office's changes")
        }
        guard let table = change.replicatedTable, !table.isHubOwned else {
            throw LedgerRuleViolation(.notOwner(table: change.table, origin: change.id.origin.rawValue))
        }
        guard change.operation == .insert else {
            throw .malformed("vouchers are immutable: \(change.operation.name) of voucher \(change.key) is not allowed")
        }
        let voucher = try transaction.voucher(of: change)
        guard change.key.hasPrefix("\(change.id.origin.rawValue)-") else {
            throw .malformed("voucher id \(change.key) does not start with its origin \(change.id.origin)")
        }
        // A duplicate voucher id is caught by the voucher table's primary key when it is applied, and rejected
        // with that reason; checking it here as well would cost a query per change on the hub's hot path.
        try VoucherValidator.validate(voucher, origin: change.id.origin, lookup: transaction)
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {
        guard case .reject(let reason) = verdict else { return }
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
                                    ], dependsOn: dependency)
    }

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] {
        let fields = FieldReader(change.fields, context: change.table)
        switch change.replicatedTable {
        case .rejection?:
            return [try fields.orgCode("origin")]
        case .orgUnit?:
            guard let code = OrgCode(change.key) else { return [] }
            return try scope(in: transaction).nodesForOrgUnit(code)
        case .account?, .nodeKey?, .voucher?:
            return try scope(in: transaction).nodesForOwnedRecord(try fields.orgCode("org"))
        case nil:
            return []
        }
    }

    func scope(in transaction: ReplicaTransaction) throws -> RegistryScope {
        let nodes = Set(try transaction.nodeKeys().map(\.org).filter { $0 != hub })
        return RegistryScope(hub: hub, units: try transaction.orgUnits(), nodes: nodes)
    }

    func receivesEveryChange(of origin: OrgCode) -> Bool { origin != hub }
}
