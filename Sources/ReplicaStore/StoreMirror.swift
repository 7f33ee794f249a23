import Foundation

/// A database that holds the hub's books as their **store of record** (PostgreSQL with a standby, issue 11), with
/// the hub's SQLite file as its working copy. ReplicaStore knows it only through this protocol (no PostgreSQL type
/// here); `HubPostgres.PostgresStoreOfRecord` implements it. DESIGN §7.3 says why the hub is built this way.
///
/// The contract: every write transaction of the working copy is offered whole to ``commit(_:)`` *before* SQLite
/// commits it, and SQLite commits only if `commit` returned. So whatever the hub acknowledged (an imported batch, a
/// posted voucher) is durable in the store of record first.
public protocol StoreMirror: AnyObject, Sendable {
    /// Makes `transaction` durable in the store of record, or throws (the SQLite transaction then rolls back).
    ///
    /// The store of record must check that it holds `transaction.stampBefore` — that this working copy was up to date
    /// with it — under a lock that orders it with every other writer, and refuse otherwise.
    func commit(_ transaction: MirroredTransaction) throws

    /// Called at the start of every write transaction of the working copy, with the working copy's stamp. Returns a
    /// transaction the store of record holds and the working copy lacks — one whose commit went out but whose answer
    /// never came back (the server died during `COMMIT`), and which did commit there — so that the working copy
    /// applies it before anything else. Throws when the two are apart in a way it cannot mend (the hub must rebuild
    /// its working copy: `HubStoreOfRecord`).
    func catchUp(workingCopyStamp: Int64) throws -> MirroredTransaction?
}

/// What one write transaction changed, table by table, as rows are at its end: the unit the store of record commits.
public struct MirroredTransaction: Sendable, Equatable {
    /// The working copy's commit stamp before and after this transaction (`meta` key ``ReplicaStore/commitStampKey``).
    public var stampBefore: Int64
    public var stamp: Int64
    /// The tables in the order the transaction first touched them.
    public var tables: [MirroredTableChange]
    /// Autoincrement counters (`sqlite_sequence`) as they are after the transaction, when it moved any: table →
    /// (its autoincrement column, the last id handed out). A counter can move without a row of its table changing
    /// (an `INSERT … ON CONFLICT DO NOTHING` that inserted nothing still uses up an id).
    public var autoincrementSeeds: [String: AutoincrementSeed]

    public init(stampBefore: Int64, stamp: Int64, tables: [MirroredTableChange], autoincrementSeeds: [String: AutoincrementSeed]) {
        self.stampBefore = stampBefore
        self.stamp = stamp
        self.tables = tables
        self.autoincrementSeeds = autoincrementSeeds
    }

    /// How many rows it writes or deletes.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count + $1.deletedKeys.count } }
}

/// The last id an autoincrement column handed out.
public struct AutoincrementSeed: Sendable, Equatable {
    public var column: String
    public var seed: Int64
    public init(column: String, seed: Int64) {
        self.column = column
        self.seed = seed
    }
}

/// The net change of one table in one transaction.
public struct MirroredTableChange: Sendable, Equatable {
    public var table: StoreTableDefinition
    /// Rows that exist at the end of the transaction, whole, in the order of `table.columns` (`sqlite_rowid` last when
    /// the table carries it). Some may be unchanged (touched by a change that was undone): writing them is a no-op.
    public var rows: [[StoreValue]]
    /// Rows that no longer exist, by the values of `table.rowKey`.
    public var deletedKeys: [[StoreValue]]
    /// Columns the immutability triggers watch (`StoreCatalog.frozenColumns`): never set by an update.
    public var frozenColumns: Set<String>
    /// How the rows are written. `true` (a table whose rows may be deleted): the touched rows are deleted, then the
    /// existing ones inserted — which is right whatever the transaction did, even rows trading key values (SQLite
    /// reuses a deleted rowid for the next insert; a unique column moves from one row to another), which an update
    /// row by row would trip over in a server that checks uniqueness after each row. `false` (posted entries,
    /// whose deletion a trigger refuses): deletes, then upserts that change only rows that differ.
    public var replacesRows: Bool
    /// Keys of rows the transaction created (their first change was an insert): nothing to delete for them.
    public var freshKeys: Set<[StoreValue]>

    public init(table: StoreTableDefinition, rows: [[StoreValue]], deletedKeys: [[StoreValue]], frozenColumns: Set<String>,
                replacesRows: Bool, freshKeys: Set<[StoreValue]> = []) {
        self.table = table
        self.rows = rows
        self.deletedKeys = deletedKeys
        self.frozenColumns = frozenColumns
        self.replacesRows = replacesRows
        self.freshKeys = freshKeys
    }

    /// The keys to delete before writing: those deleted, and, when rows are replaced, those of every row written that
    /// existed before the transaction.
    public var keysToDelete: [[StoreValue]] {
        let positions = keyPositions
        let gone = deletedKeys.filter { !freshKeys.contains($0) }
        guard replacesRows else { return gone }
        return gone + rows.lazy.map { row in positions.map { row[$0] } }.filter { !freshKeys.contains($0) }
    }

    /// Positions of `table.rowKey` in a row.
    public var keyPositions: [Int] {
        table.rowKey.compactMap { name in table.columns.firstIndex { $0.name == name } }
    }
}
