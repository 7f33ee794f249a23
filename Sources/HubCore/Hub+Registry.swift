import BatchWire
import Foundation
import LedgerCore
import ReplicaStore

/// Why the hub refused a registry change (org units, accounts, keys, staff, rules, parameters, the period lock).
///
/// `code` says what kind of refusal it is, for programs (the CLI's exit and JSON output, the console); `description`
/// is the sentence for people, with the context (which account, document or person).
public struct RegistryError: CodedError {
    public enum Code: String, Sendable, CaseIterable {
        /// An org unit, account, key or staff member named is not in the registry.
        case notFound
        /// The key or account already belongs to someone else.
        case conflict
        /// The change is not allowed at all (the hub itself, its own key, moving a lock back).
        case notPermitted
        /// A value is malformed or out of its allowed set.
        case invalidValue
        /// A key file the operation needs is not on file.
        case keyFileMissing
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

extension Hub {
    /// Enrols a node: its org unit under `parent`, and its public key. The node's snapshot (every registry record
    /// in its scope) is queued for it, so its first import brings it up to date.
    /// - Parameter encryptionKeyPEM: the node's `encryption-public.key`, kept on disk at the hub for `export --encrypt`.
    public func enroll(org: OrgCode, parent: OrgCode, name: String, level: OrgUnit.Level, publicKeyPEM: String,
                       encryptionKeyPEM: String? = nil, release: Int = FundSyncRelease.number) throws {
        guard (FundSyncRelease.oldestReadable...FundSyncRelease.number).contains(release) else {
            throw RegistryError(.invalidValue, "release \(release): this hub writes for releases \(FundSyncRelease.oldestReadable) to \(FundSyncRelease.number)")
        }
        let key = try PublicKey(pem: publicKeyPEM)
        let encryptionKey = try encryptionKeyPEM.map { pem throws(CryptoError) in try EncryptionPublicKey(pem: pem) }
        try store.write(policy: policy) { transaction in
            guard try transaction.orgUnit(parent) != nil else { throw RegistryError(.notFound, "parent org \(parent) is not in the registry") }
            if let existing = try transaction.nodeKey(key.keyID) {
                throw RegistryError(.conflict, "key \(key.keyID) is already enrolled for \(existing.org)")
            }
            guard org != self.org else { throw RegistryError(.notPermitted, "\(org) is the hub itself") }
            // Recorded first, so that what the enrolment queues for the node is already written for its release (§11.3).
            try transaction.recordEnrolledRelease(org, release)
            let unit = OrgUnit(code: org, parent: parent, name: name, level: level)
            if try transaction.orgUnit(org) != unit {
                try transaction.appendLocal(table: .orgUnit, key: org.rawValue, operation: .insert, fields: unit.fields)
            }
            let record = NodeKeyRecord(keyID: key.keyID, org: org, algorithm: key.algorithm, publicKeyPEM: key.pem, status: .active)
            try transaction.appendLocal(table: .nodeKey, key: key.keyID, operation: .insert, fields: record.fields)
            try openBranchAccounts(for: org, name: name, in: transaction)
            // What the new node must hold of the registry (DESIGN.md §2): the org units on its lineage and below it,
            // the accounts and keys of its subtree, and the hub's keys. Found through the registry's indexes, so an
            // enrolment costs the node's scope, not the province's (5/6).
            let scope = try policy.scope(in: transaction)
            let subtree = [org] + scope.descendants(of: org).sorted()
            var rows: [(table: ReplicatedTable, key: String)] = (scope.lineage(of: org) + subtree.dropFirst()).map { (.orgUnit, $0.rawValue) }
            for unit in subtree {
                rows += try transaction.accounts(of: unit).map { (.account, $0.id) }
                rows += try transaction.nodeKeys(of: unit).map { (.nodeKey, $0.keyID) }
            }
            rows += try transaction.nodeKeys(of: self.org).map { (.nodeKey, $0.keyID) }
            try transaction.enqueueLatest(of: rows, for: org)
        }
        if let encryptionKey { try encryptionKeyFiles.writePeerKey(encryptionKey, to: encryptionKeyFiles.peerPublicKey(org)) }
    }

    /// The hub's sub-accounts with a branch: funds in transit (1012.B), the branch's internal current deposit
    /// (2242.02.B, which is also HQ's intercompany account with it) and internal loans (1013.B, 1533.B).
    func openBranchAccounts(for branch: OrgCode, name: String, in transaction: ReplicaTransaction) throws {
        let accounts = [
            (LedgerAccounts.hubInTransit(hub: self.org, branch: branch), "\(LedgerAccounts.fundsInTransit).\(branch)", "Funds in transit – \(name)"),
            (LedgerAccounts.hubIntercompany(hub: self.org, branch: branch), "\(LedgerAccounts.internalCurrentDeposit).\(branch)",
             "Internal current deposit / intercompany – \(name)"),
            (LedgerAccounts.hubLoan(hub: self.org, branch: branch, longTerm: false), "\(LedgerAccounts.shortLoan).\(branch)", "Internal short-term loan – \(name)"),
            (LedgerAccounts.hubLoan(hub: self.org, branch: branch, longTerm: true), "\(LedgerAccounts.longLoan).\(branch)", "Internal long-term loan – \(name)"),
        ]
        for (id, code, title) in accounts where try transaction.account(id) == nil {
            let record = AccountRecord(id: id, org: self.org, kind: .internal, code: code, name: title, currency: .cny, status: .active)
            try transaction.appendLocal(table: .account, key: id, operation: .insert, fields: record.fields)
        }
    }

    /// Adds an org unit that has no node of its own (yet), such as a city whose office is not online.
    public func addOrgUnit(_ unit: OrgUnit) throws {
        try store.write(policy: policy) { transaction in
            guard let parent = unit.parent, try transaction.orgUnit(parent) != nil else {
                throw RegistryError(.notFound, "parent org \(unit.parent?.rawValue ?? "(none)") is not in the registry")
            }
            // A budget unit's books are kept by the node directly above it (3/6 item 9): that parent must have a node.
            if unit.level == .budgetUnit, !(try transaction.nodeKeys(of: parent).contains { $0.status == .active }) {
                throw RegistryError(.invalidValue, "a budget unit sits directly under a unit with a node (its county); \(parent) has none")
            }
            try transaction.appendLocal(table: .orgUnit, key: unit.code.rawValue,
                                        operation: try transaction.orgUnit(unit.code) == nil ? .insert : .update, fields: unit.fields)
        }
    }

    /// Opens an account (or replaces its definition); it is pushed to the nodes in its scope.
    /// - Parameter attributes: registry attributes of bank accounts (`purpose`: income/expense/collection/general,
    ///   `class`: basic/general/special/temporary, `bank`, `retained_balance` and `max_deposit` in fen,
    ///   `settlement_number` for internal accounts).
    /// - Parameter scheme: how a bank account's number is written (`BankAccountNumber`): detected when `nil` (digits
    ///   only: a domestic number; two letters first: an IBAN, its check digits verified); `.other` must be declared.
    ///   The number must be given in its normal form (an IBAN upper case, without spaces).
    public func putAccount(_ account: AccountRecord, attributes: [String: FieldValue] = [:], scheme: BankAccountNumber.Scheme? = nil) throws {
        if account.kind == .bank {
            // Chinese numbers are variable-length numeric (BOC 18 digits, ICBC 19; DOMAIN.md §2.2); others are IBANs or
            // a bank's own format (6/6).
            let number: BankAccountNumber
            do {
                number = try BankAccountNumber(account.code, scheme: scheme)
            } catch {
                throw RegistryError(.invalidValue, error.description)
            }
            guard number.value == account.code else {
                throw RegistryError(.invalidValue, "bank account number '\(account.code)' is written '\(number.value)' in its normal form: give it so")
            }
        }
        if let zone = attributes["time_zone"] {
            // The zone a bank states its times in: camt.053 date-times of this account become its days (6/6).
            guard account.kind == .bank, case .text(let name) = zone, TimeZone(identifier: name) != nil else {
                throw RegistryError(.invalidValue, "time zone '\(zone.textValue ?? "")' is not an IANA time zone name (Asia/Shanghai, "
                                    + "Europe/Berlin) of a bank account")
            }
        }
        try store.write(policy: policy) { transaction in
            guard try transaction.orgUnit(account.org) != nil else { throw RegistryError(.notFound, "org \(account.org) is not in the registry") }
            let existing = try transaction.account(account.id)
            if let existing, existing.org != account.org {
                throw RegistryError(.conflict, "account \(account.id) already belongs to \(existing.org)")
            }
            var fields = account.fields
            fields.merge(attributes) { current, _ in current }
            if let existing {
                // A redefinition keeps the last annual inspection, and, when the status stays, the status history (from
                // when, why, by whom). `hub account add` always keeps the status: freezing, unfreezing and closing go
                // through their own verbs, with their authority and reason (3/6 item 6).
                let stored = try transaction.document(.account, account.id) ?? [:]
                // The bank's time zone stays too unless a new one is given.
                let kept = existing.status == account.status ? ["inspected_on", "time_zone", "status_from", "status_reason", "status_by"]
                    : ["inspected_on", "time_zone"]
                for name in kept where fields[name] == nil {
                    if let value = stored[name], value != .null { fields[name] = value }
                }
            }
            try transaction.appendLocal(table: .account, key: account.id, operation: existing == nil ? .insert : .update,
                                        fields: fields)
        }
    }

    /// Freezes, unfreezes (`active`) or closes an account at the hub, effective at once.
    public func setAccountStatus(_ id: String, to status: AccountStatus) throws {
        try setAccountStatus(id, to: status, effectiveFrom: nil)
    }

    /// Enrols another key for an enrolled node (key rotation): batches signed with either are accepted until the
    /// old one is revoked.
    public func addKey(org node: OrgCode, publicKeyPEM: String) throws {
        let key = try PublicKey(pem: publicKeyPEM)
        try store.write(policy: policy) { transaction in
            guard !(try transaction.nodeKeys(of: node).isEmpty) else { throw RegistryError(.notFound, "\(node) is not enrolled") }
            guard try transaction.nodeKey(key.keyID) == nil else { throw RegistryError(.conflict, "key \(key.keyID) is already enrolled") }
            let record = NodeKeyRecord(keyID: key.keyID, org: node, algorithm: key.algorithm, publicKeyPEM: key.pem, status: .active)
            try transaction.appendLocal(table: .nodeKey, key: key.keyID, operation: .insert, fields: record.fields)
        }
    }

    /// Revokes an enrolled key: later batches signed with it are refused.
    public func revokeKey(_ keyID: String) throws {
        try store.write(policy: policy) { transaction in
            guard var record = try transaction.nodeKey(keyID) else { throw RegistryError(.notFound, "key \(keyID) is not enrolled") }
            guard record.org != self.org else { throw RegistryError(.notPermitted, "the hub's own key cannot be revoked here") }
            guard record.status != .revoked else { return }
            record.status = .revoked
            try transaction.appendLocal(table: .nodeKey, key: keyID, operation: .update, fields: record.fields)
        }
    }
}
