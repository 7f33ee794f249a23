import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

extension Hub {
    /// Registers a person and the posts they hold at `org` (replaces an earlier entry with the same id).
    public func putStaff(_ member: StaffMember) throws {
        try write { transaction, _ in
            guard try transaction.orgUnit(member.org) != nil else { throw RegistryError(.notFound, "org \(member.org) is not in the registry") }
            guard !member.roles.isEmpty else { throw RegistryError(.invalidValue, "staff \(member.id) needs at least one role") }
            try transaction.appendLocal(table: .staff, key: member.id, operation: .insert, fields: Self.staffFields(member))
        }
    }

    /// Sets one cell of the approval authority table, effective from `effectiveFrom`.
    public func putApprovalRule(_ rule: ApprovalRule, effectiveFrom: BusinessDate) throws {
        try write { transaction, _ in
            try transaction.appendLocal(table: .approvalRule, key: "\(rule.id):\(effectiveFrom)", operation: .insert, fields: [
                "category": .text(rule.category), "tier": .integer(Int64(rule.tier.rawValue)), "basis": .text(rule.basis.rawValue),
                "approver_role": .text(rule.approverRole.rawValue), "effective_from": .text(effectiveFrom.description),
            ])
        }
    }

    /// Sets the sweep plan of an income account: floor (keep `retained`) or full, to `collectionAccount`.
    public func putSweepPlan(account: String, collectionAccount: String, mode: String, retained: AmountMinorUnits,
                             frequency: String, effectiveFrom: BusinessDate) throws {
        guard ["floor", "full"].contains(mode) else { throw RegistryError(.invalidValue, "sweep mode must be floor or full") }
        guard ["daily", "weekly", "monthly"].contains(frequency) else { throw RegistryError(.invalidValue, "frequency must be daily, weekly or monthly") }
        try write { transaction, _ in
            guard let income = try transaction.account(account), income.kind == .bank else { throw RegistryError(.notFound, "\(account) is not a bank account") }
            guard let collection = try transaction.account(collectionAccount), collection.org == org else {
                throw RegistryError(.notFound, "\(collectionAccount) is not a collection account of the hub")
            }
            try transaction.appendLocal(table: .sweepPlan, key: account, operation: .insert, fields: [
                "org": .text(income.org.rawValue), "account": .text(account), "collection_account": .text(collection.id),
                "mode": .text(mode), "retained_balance": .integer(retained.value), "frequency": .text(frequency),
                "effective_from": .text(effectiveFrom.description),
            ])
        }
    }

    /// Adds a dated rate to the rate table.
    public func putRate(_ entry: RateEntry) throws {
        guard (0...AnnualRate.largest.partsPerMillion).contains(entry.rate.partsPerMillion) else {
            throw RegistryError(.invalidValue, "a rate of \(entry.rate) is outside 0…\(AnnualRate.largest)")
        }
        try write { transaction, _ in
            try transaction.appendLocal(table: .rate, key: entry.id, operation: .insert, fields: [
                "kind": .text(entry.kind.rawValue), "effective_from": .text(entry.effectiveFrom.description),
                "rate_ppm": .integer(entry.rate.partsPerMillion), "day_count": .integer(Int64(entry.dayCount.rawValue)),
            ])
        }
    }

    /// Sets a parameter (a GAP of the source documents made configurable), effective from a date.
    public func putParameter(_ name: String, value: String, effectiveFrom: BusinessDate) throws {
        guard Self.parameterNames.contains(where: { name == $0 || ($0 != "unsigned_documents" && name.hasPrefix($0 + ".")) }) else {
            throw RegistryError(.invalidValue, "unknown parameter '\(name)'; known: \(Self.parameterNames.joined(separator: ", "))")
        }
        // Values are checked here, where a person types them, not where an office reads them.
        let base = name.split(separator: ".").first.map(String.init) ?? name
        if ["forecast_days", "allocation_days"].contains(base) {
            // Days of the month (the set days of the half-month cycle), e.g. "5,20".
            let days = value.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !days.isEmpty, days.allSatisfy({ $0.map { (1...31).contains($0) } ?? false }) else {
                throw RegistryError(.invalidValue, "\(name) lists days of the month (1…31, comma-separated), not '\(value)'")
            }
        } else if base == "unsigned_documents" {
            guard ["accepted", "refused"].contains(value) else {
                throw RegistryError(.invalidValue, "unsigned_documents is accepted or refused, not '\(value)'")
            }
        } else if base.hasSuffix("_days") {
            guard let days = Int(value), (0...3_650).contains(days) else { throw RegistryError(.invalidValue, "\(name) is a number of days (0…3650), not '\(value)'") }
        } else if base.hasSuffix("_limit") {
            let limit: AmountMinorUnits
            do { limit = try AmountMinorUnits.parsing(value, scale: 2) } catch {
                throw RegistryError(.invalidValue, "\(name) is an amount in yuan (e.g. 100000.00), not '\(value)'")
            }
            guard limit.value >= 0 else { throw RegistryError(.invalidValue, "\(name) is never negative") }
        }
        try write { transaction, _ in
            try transaction.appendLocal(table: .parameter, key: "\(name):\(effectiveFrom)", operation: .insert, fields: [
                "name": .text(name), "value": .text(value), "effective_from": .text(effectiveFrom.description),
            ])
        }
    }

    /// The parameters the hub understands (DOMAIN.md §7.5); `cashier_release_limit.<org>` sets a company's own limit.
    public static let parameterNames = [
        "receipt_chase_days", "forecast_days", "allocation_days", "registration_deadline_days",
        "cashier_release_limit", "in_transit_aging_days", "overdraft_term_days",
        // 4/6: `refused` ends the compatibility window for unsigned documents (PROTOCOL.md §14.6); `accepted` reopens it.
        "unsigned_documents",
    ]

    /// Closes the books through `date`: documents dated on or before it are refused everywhere from now on.
    public func lockPeriod(through date: BusinessDate) throws {
        try write { transaction, _ in try writeLock(through: date, overrideReason: nil, overrideBy: nil, in: transaction) }
    }

    func writeLock(through date: BusinessDate, overrideReason: String?, overrideBy: String?, in transaction: ReplicaTransaction) throws {
        if let current = try transaction.periodLock().lockedThrough, date < current {
            throw RegistryError(.notPermitted, "the period is already closed through \(current); a lock never moves back")
        }
        try transaction.appendLocal(table: .periodLock, key: "global", operation: .insert, fields: [
            "locked_through": .text(date.description), "override_reason": overrideReason.map(FieldValue.text) ?? .null,
            "override_by": overrideBy.map(FieldValue.text) ?? .null,
        ])
    }

    /// Changes an account's status from `effectiveFrom` on (freeze, unfreeze, close), pushed to its scope.
    public func setAccountStatus(_ id: String, to status: AccountStatus, effectiveFrom: BusinessDate?) throws {
        try write { transaction, _ in
            guard var account = try transaction.account(id) else { throw RegistryError(.notFound, "account \(id) is not in the registry") }
            account.status = status
            var fields = account.fields
            let attributes = try transaction.accountAttributes(id)
            fields.merge(try storedAttributes(id, in: transaction)) { current, _ in current }
            fields["status_from"] = effectiveFrom.map { .text($0.description) } ?? attributes.statusFrom.map(FieldValue.text) ?? .null
            try transaction.appendLocal(table: .account, key: id, operation: .update, fields: fields)
        }
    }

    func storedAttributes(_ id: String, in transaction: ReplicaTransaction) throws -> [String: FieldValue] {
        guard let row = try transaction.document(.account, id) else { return [:] }
        var fields: [String: FieldValue] = [:]
        for name in ["purpose", "class", "bank", "retained_balance", "max_deposit", "settlement_number",
                     "inspected_on"] {
            if let value = row[name], value != .null { fields[name] = value }
        }
        return fields
    }
}

extension Hub {
    /// A staff record's replicated fields (PROTOCOL.md, table `staff`): one place for `hub staff` and the registry import.
    static func staffFields(_ member: StaffMember) -> [String: FieldValue] {
        ["org": .text(member.org.rawValue), "name": .text(member.name),
         "roles": .text(member.roles.map(\.rawValue).sorted().joined(separator: ","))]
    }
}
