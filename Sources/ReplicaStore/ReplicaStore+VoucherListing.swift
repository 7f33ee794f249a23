import Foundation
import GRDB
import LedgerCore

/// One voucher as `fundsync vouchers` lists it: its lines, its people, whether they signed, and its status.
public struct VoucherListing: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var account: String
        public var accountName: String?
        public var side: String
        public var amountMinorUnits: Int64
    }

    public var id: String
    public var org: String
    public var date: String
    public var currency: String
    public var memo: String
    public var preparer: String
    public var reviewer: String?
    public var approver: String?
    public var source: String?
    public var reverses: String?
    /// `posted` or `rejected`.
    public var status: String
    public var rejectReason: String?
    /// The people who signed it (staff ids, in role order); empty for an unsigned voucher.
    public var signedBy: [String]
    /// True when the voucher is an automatic booking (§14.4), which nobody signs.
    public var automatic: Bool
    public var lines: [Line]
}

/// Filters of `fundsync vouchers`.
public struct VoucherFilter: Sendable {
    public var org: OrgCode?
    public var account: String?
    public var from: BusinessDate?
    public var through: BusinessDate?
    public var limit: Int

    public init(org: OrgCode? = nil, account: String? = nil, from: BusinessDate? = nil, through: BusinessDate? = nil, limit: Int = 1_000) {
        self.org = org
        self.account = account
        self.from = from
        self.through = through
        self.limit = limit
    }
}

extension ReplicaStore {
    /// The vouchers that match `filter`, by date and id, at most `filter.limit`.
    public func voucherListing(_ filter: VoucherFilter) throws -> [VoucherListing] {
        try writer.read { db in
            let vouchers = try Row.fetchAll(db, sql: """
                SELECT v.id, v.org, v.date, v.currency, v.memo, v.preparer, v.reviewer, v.approver, v.source, v.reverses, v.status,
                    v.reject_reason, v.signatures
                FROM voucher v
                WHERE (?1 IS NULL OR v.org = ?1) AND (?2 IS NULL OR v.date >= ?2) AND (?3 IS NULL OR v.date <= ?3)
                    AND (?4 IS NULL OR EXISTS (SELECT 1 FROM voucher_line l WHERE l.voucher_id = v.id AND l.account = ?4))
                ORDER BY v.date, v.id LIMIT ?5
                """, arguments: [filter.org?.rawValue, filter.from?.description, filter.through?.description, filter.account, filter.limit])
            let lineStatement = try db.cachedStatement(sql: """
                SELECT l.account, a.name, l.side, l.amount FROM voucher_line l LEFT JOIN account a ON a.id = l.account
                WHERE l.voucher_id = ? ORDER BY l.line_no
                """)
            return try vouchers.map { row in
                let id: String = row["id"]
                let lines = try Row.fetchAll(lineStatement, arguments: [id]).map {
                    VoucherListing.Line(account: $0["account"], accountName: $0["name"], side: $0["side"], amountMinorUnits: $0["amount"])
                }
                let signatures: String? = row["signatures"]
                let signedBy = try Self.signers(inJSON: signatures)
                let source: String? = row["source"]
                return VoucherListing(id: id, org: row["org"], date: row["date"], currency: row["currency"], memo: row["memo"],
                                      preparer: row["preparer"], reviewer: row["reviewer"], approver: row["approver"], source: source,
                                      reverses: row["reverses"], status: row["status"], rejectReason: row["reject_reason"], signedBy: signedBy,
                                      automatic: source.map { text in DocumentSigning.automaticSources.contains { text.hasPrefix($0) } } ?? false,
                                      lines: lines)
            }
        }
    }

    /// The staff ids of a stored `signatures` column (JSON text of §14.2), in role order.
    /// - Throws: when the column is not the JSON this replica wrote (a damaged replica: `verify` finds it too).
    public static func signerIDs(inJSON text: String?) throws -> [String] { try signers(inJSON: text) }

    static func signers(inJSON text: String?) throws -> [String] {
        guard let text else { return [] }
        guard let items = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw ReplicaStoreError(.invalidInput("a stored signatures column is not a list of signature records: \(text.prefix(80))"))
        }
        return items.compactMap { $0["staff"] as? String }
    }
}
