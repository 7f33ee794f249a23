/// What a change does to its row.
public enum ChangeOperation: UInt8, Hashable, Sendable, CaseIterable {
    /// Creates the row; applying it when the row exists is an error for append-only tables.
    case insert = 1
    /// Replaces the named fields of an existing row (registry records only).
    case update = 2
    /// Removes the row (registry records only; vouchers are never deleted).
    case delete = 3

    public var name: String {
        switch self {
        case .insert: "insert"
        case .update: "update"
        case .delete: "delete"
        }
    }
}

/// The replicated tables and who owns each (DESIGN.md §2): hub-owned registry records flow down, node-owned
/// documents flow up. A change to a table its origin does not own is rejected at the hub.
public enum ReplicatedTable: String, Hashable, Sendable, CaseIterable {
    case orgUnit = "org_unit"
    case account = "account"
    case nodeKey = "node_key"
    case voucher = "voucher"
    case rejection = "rejection"

    /// True for the registry and hub decisions; false for a node's own documents.
    public var isHubOwned: Bool { self != .voucher }
}

/// One entry of the change log: the unit of replication.
///
/// `deps` is the writer's version vector at the moment it wrote, restricted to the origins the change depends on
/// (a county writes its whole, small vector; the hub writes only the entries of the origins a change answers, so a
/// rejection notice depends on the change it rejects). `businessDate` is data, never an ordering key.
public struct Change: Hashable, Sendable {
    public var id: ChangeID
    public var deps: VersionVector
    public var table: String
    public var key: String
    public var operation: ChangeOperation
    public var businessDate: String
    public var createdAtMilliseconds: Int64
    public var fields: [String: FieldValue]

    public init(id: ChangeID, deps: VersionVector, table: String, key: String, operation: ChangeOperation,
                businessDate: String = "", createdAtMilliseconds: Int64, fields: [String: FieldValue]) {
        self.id = id
        self.deps = deps
        self.table = table
        self.key = key
        self.operation = operation
        self.businessDate = businessDate
        self.createdAtMilliseconds = createdAtMilliseconds
        self.fields = fields
    }

    public var replicatedTable: ReplicatedTable? { ReplicatedTable(rawValue: table) }
}
