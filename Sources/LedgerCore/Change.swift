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

/// The replicated tables and who owns each (DESIGN.md §2): hub-owned registry records and decisions flow down,
/// documents flow from the org that writes them. A change to a table its origin may not write is rejected.
public enum ReplicatedTable: String, Hashable, Sendable, CaseIterable {
    // Registry (hub only).
    case orgUnit = "org_unit"
    case account = "account"
    case nodeKey = "node_key"
    case staff
    /// A person's certified signing key (4/6): the hub's certificate, and its revocation.
    case staffKey = "staff_key"
    case approvalRule = "approval_rule"
    case sweepPlan = "sweep_plan"
    case rate
    case parameter
    case periodLock = "period_lock"
    /// China's business calendar: statutory holidays and the weekend days worked in their place (3/6 item 8).
    case calendarDay = "calendar_day"
    /// The hub's refusal of a received change, sent to its origin.
    case rejection = "rejection"
    // Documents (written by the org they belong to; the hub writes its own org's).
    case voucher = "voucher"
    case bankJournal = "bank_journal"
    case balanceReport = "balance_report"
    case slip
    case forecast
    case application
    case accountRequest = "account_request"
    case payment
    case allocation
    /// A state change of an application, account request or payment, by the node or by the hub.
    case transition
    /// A reconciliation difference the hub sends to the node concerned (差异通知).
    case differenceNotice = "difference_notice"
    /// A node's explanation of a difference notice, sent up.
    case explanation
    /// Who did what at an office (posts, approvals, registry and key changes, exports); travels up to the hub.
    case audit
    /// A bank statement a unit imported (6/6 item 4): the bank's own figures for one of its bank accounts over a
    /// period, replicated up so the hub's bank reconciliation sees them (PROTOCOL.md §6.22b). Not dated: the bank's
    /// figures are facts, and no period lock applies to them.
    case statement
    /// A unit's signed confirmation that its books through a date agree with the fund centre's (多级对账, 3/6 item 5):
    /// a county first, then its city; the hub's close needs every unit's.
    case confirmation
    /// The hub's answer to a restored or rebuilt node (PROTOCOL.md §8.8): what it sends back, and where both streams
    /// continue. Sent only to that node.
    case resync
    /// A fixed deposit or internal loan between the fund centre and a branch (3/6 item 3); the hub writes it and
    /// sends it to the branch.
    case contract
    /// An office's statement of the release it runs (PROTOCOL.md §6.28): written by a node in the first batch it sends
    /// at a release, so the hub knows what it can write for that node and holds the rest until it upgrades.
    case officeRelease = "office_release"

    /// True for the registry and the hub's rejections: only the hub writes them.
    public var isHubOwned: Bool {
        switch self {
        case .orgUnit, .account, .nodeKey, .staff, .staffKey, .approvalRule, .sweepPlan, .rate, .parameter, .periodLock, .calendarDay, .rejection,
             .allocation, .differenceNotice, .resync, .contract:
            true
        default:
            false
        }
    }

    /// True for documents that carry a business date checked against the period lock.
    public var isDatedDocument: Bool {
        switch self {
        case .voucher, .bankJournal, .balanceReport, .slip, .forecast, .application, .accountRequest, .payment, .allocation,
             .explanation: true
        default: false
        }
    }
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

extension Change {
    /// Checks the limits a receiver enforces (Protocol/PROTOCOL.md §5, §9) before a change is written, so that
    /// nothing is ever queued that every receiver would refuse (it would block its stream for good).
    public func checkWireLimits() throws(LedgerRuleViolation) {
        guard key.utf8.count <= Int(UInt16.max), table.utf8.count <= Int(UInt8.max) else {
            throw .malformed("the key or table name of \(table) is too long")
        }
        func check(_ value: FieldValue, _ name: String, depth: Int) throws(LedgerRuleViolation) {
            guard depth <= Limits.fieldValueDepthMax else { throw .malformed("field '\(name)' is nested too deeply") }
            switch value {
            case .text(let text) where text.utf8.count > Limits.textBytesMax:
                throw .malformed("field '\(name)' is \(text.utf8.count) bytes; text is limited to \(Limits.textBytesMax) bytes")
            case .list(let items):
                for item in items { try check(item, name, depth: depth + 1) }
            case .record(let map):
                for (key, item) in map {
                    guard key.utf8.count <= Int(UInt8.max), !key.isEmpty else { throw .malformed("field name '\(key)' is empty or too long") }
                    try check(item, key, depth: depth + 1)
                }
            default:
                break
            }
        }
        for (name, value) in fields {
            guard name.utf8.count <= Int(UInt8.max), !name.isEmpty else { throw .malformed("field name '\(name)' is empty or too long") }
            try check(value, name, depth: 1)
        }
    }
}
