import GRDB
import LedgerCore

/// The `contract` table: fixed deposits and internal loans (3/6 item 3). The hub writes them; a branch reads its own.
extension ReplicaTransaction {
    /// One contract, or `nil`. A row that does not read back is an error naming it, never skipped.
    public func contract(_ id: String) throws -> InternalContract? {
        guard let fields = try document(.contract, id) else { return nil }
        return try InternalContract(id: id, fields: fields)
    }

    /// Contracts, oldest first: of one branch when `branch` is set, only `active` ones when `activeOnly`.
    public func contracts(branch: OrgCode? = nil, activeOnly: Bool = false) throws -> [InternalContract] {
        var sql = "SELECT id FROM contract WHERE 1"
        var arguments: [any DatabaseValueConvertible] = []
        if let branch { sql += " AND branch = ?"; arguments.append(branch.rawValue) }
        if activeOnly { sql += " AND state = 'active'" }
        sql += " ORDER BY start_date, id"
        return try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap { try contract($0) }
    }

    /// Writes a contract through the change log (the hub only: `contract` is hub-owned).
    public func writeContract(_ contract: InternalContract, inserting: Bool) throws {
        try appendLocal(table: .contract, key: contract.id, operation: inserting ? .insert : .update,
                        businessDate: (contract.closed ?? contract.start).description, fields: contract.fields)
    }
}
