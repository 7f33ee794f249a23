import LedgerCore
import ReplicaStore

/// A node's own books inside one transaction: numbering, the ledger rules as of the business date, the period
/// lock, segregation of duties — the checks every document passes before it is written.
struct NodeBooks {
    let node: OrgCode
    let transaction: ReplicaTransaction

    static let systemPreparer = DocumentSigning.softwareActor

    /// Refuses a document dated in a closed period.
    func checkOpen(_ date: BusinessDate) throws {
        try transaction.periodLock().check(date)
    }

    /// `<org>-<prefix><nnnnnn>`: the next id of a document sequence.
    func nextID(_ prefix: String) throws -> String {
        "\(node.rawValue)-\(prefix)\(Node.pad(try transaction.nextSequence(prefix)))"
    }

    @discardableResult
    func post(_ lines: [VoucherLine], date: BusinessDate, memo: String, source: String?, signatures: DocumentSignatures,
              reverses: String? = nil, currency: CurrencyCode = .cny, for owner: OrgCode? = nil) throws -> Voucher {
        try checkOpen(date)
        try signatures.validate(requireReviewer: false)
        let voucher = Voucher(id: try nextID("V"), org: owner ?? node, date: date, currency: currency, memo: memo,
                              preparer: signatures.preparer, reverses: reverses, lines: lines, reviewer: signatures.reviewer,
                              approver: signatures.approver, source: source)
        try VoucherValidator.validate(voucher, origin: node, lookup: transaction.lookup(asOf: date))
        try transaction.appendLocal(table: .voucher, key: voucher.id, operation: .insert, businessDate: date.description,
                                    fields: voucher.fields)
        return voucher
    }

    /// Books the counterpart of a fact that has already happened elsewhere (the hub's allocation or interest slip, a
    /// payment the hub released): on its own date when that period is open here, otherwise as an adjustment on the first
    /// open day, since the money moved whatever this office's calendar says (issue 9: a fact is always recorded).
    /// - Throws: what the ledger rules refuse even then (a frozen account), for the caller to mark.
    @discardableResult
    func postFact(_ lines: [VoucherLine], date: BusinessDate, memo: String, source: String, signatures: DocumentSignatures) throws -> Voucher {
        let lock = try transaction.periodLock()
        guard let lockedThrough = lock.lockedThrough, date <= lockedThrough else {
            return try post(lines, date: date, memo: memo, source: source, signatures: signatures)
        }
        let firstOpen = BusinessDate.fromDaysSinceEpoch(lockedThrough.daysSinceEpoch + 1)
        return try post(lines, date: firstOpen, memo: "adjustment for \(date) (a closed period): \(memo)", source: source,
                        signatures: signatures)
    }

    /// Writes a document of this node after the common checks.
    @discardableResult
    func write(_ table: ReplicatedTable, id: String, date: BusinessDate, fields: [String: FieldValue],
               signatures: DocumentSignatures, requireReviewer: Bool) throws -> Change {
        try checkOpen(date)
        try signatures.validate(requireReviewer: requireReviewer)
        var all = fields
        for (name, value) in signatures.fields { all[name] = value }
        all["date"] = .text(date.description)
        return try transaction.appendLocal(table: table, key: id, operation: .insert, businessDate: date.description, fields: all)
    }

    /// A bank account of this node or of a budget unit whose books it keeps (3/6 item 9), active on `date`: the cashier
    /// journals and reports the unit's bank accounts too.
    func keptBankAccount(_ id: String, on date: BusinessDate) throws -> AccountRecord {
        guard let account = try transaction.account(id, asOf: date) else { throw LedgerRuleViolation(.unknownAccount(id)) }
        guard try account.org == node || transaction.lookup(asOf: date).keepsBooks(of: account.org, origin: node) else {
            throw LedgerRuleViolation(.accountOfOtherOrg(account: id, accountOrg: account.org.rawValue, voucherOrg: node.rawValue))
        }
        guard account.status == .active else { throw LedgerRuleViolation(.accountNotActive(account: id, status: account.status.rawValue)) }
        return account
    }

    /// An account of this node that is active on `date`.
    func activeAccount(_ id: String, on date: BusinessDate) throws -> AccountRecord {
        guard let account = try transaction.account(id, asOf: date) else { throw LedgerRuleViolation(.unknownAccount(id)) }
        guard account.org == node else {
            throw LedgerRuleViolation(.accountOfOtherOrg(account: id, accountOrg: account.org.rawValue, voucherOrg: node.rawValue))
        }
        guard account.status == .active else { throw LedgerRuleViolation(.accountNotActive(account: id, status: account.status.rawValue)) }
        return account
    }
}
