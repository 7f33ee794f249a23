import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// Posts vouchers, all or nothing: each is numbered `<org>-V<nnnnnn>`, checked against the ledger rules and
    /// the registry this node has, and written with its change-log entry in one transaction.
    /// - Throws: `NodeError` naming the first voucher (1-based) that breaks a rule, and why; nothing is written.
    @discardableResult
    public func post(_ drafts: [VoucherDraft]) throws -> [Voucher] {
        let policy = try policy()
        return try store.write(policy: policy) { transaction in
            var number = Int(try String.fetchOne(transaction.db, sql: "SELECT value FROM meta WHERE key = 'next_voucher_number'") ?? "1") ?? 1
            var posted: [Voucher] = []
            for (index, draft) in drafts.enumerated() {
                let id = "\(org.rawValue)-V\(Self.pad(number))"
                do {
                    let voucher = try draft.voucher(id: id, org: org, lookup: transaction)
                    try VoucherValidator.validate(voucher, origin: org, lookup: transaction)
                    try transaction.appendLocal(table: .voucher, key: id, operation: .insert,
                                                businessDate: voucher.date.description, fields: voucher.fields)
                    posted.append(voucher)
                } catch let violation as LedgerRuleViolation {
                    throw NodeError("voucher \(index + 1) (\(draft.memo ?? draft.date)) was not posted: \(violation.description)")
                }
                number += 1
            }
            try transaction.db.execute(sql: """
                INSERT INTO meta (key, value) VALUES ('next_voucher_number', ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [String(number)])
            return posted
        }
    }

    static func pad(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
