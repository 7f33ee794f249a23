import Foundation
import GRDB
import LedgerCore

/// What a replica is: the hub (the authority) or a node (a county, city or subsidiary office).
public enum ReplicaRole: String, Sendable {
    case hub, node
}

/// A replica of FundSync's books in one SQLite file: registry, ledger, change log, version vector, streams.
///
/// Every write that changes books goes through `write(_:)`, which runs one SQLite transaction in which the row
/// changes and their change-log entries are written together (nothing half-done). Received changes are applied
/// through `receive(_:policy:)`, in stream order, exactly once.
///
/// ## Durability
/// The database runs in WAL mode with `synchronous = FULL`: each commit fsyncs the WAL before it returns. On an
/// office PC that loses power, a committed transaction (a posted voucher, an imported batch) therefore survives,
/// and an uncommitted one vanishes whole. `NORMAL` would be consistent too but could lose the last commits; that is
/// not acceptable here because a counter already exported in a batch file must never be reused for another change.
public final class ReplicaStore: Sendable {
    let writer: any DatabaseWriter
    public let role: ReplicaRole
    public let org: OrgCode
    let clock: any WallClock
    let auditContext = AuditContextBox()
    let signerBox = StaffSignerBox()
    /// The release a node announces (`releaseToAnnounce`).
    let releaseAnnouncement = ReleaseAnnouncementBox()
    /// The version vector and the policy's registry view one write leaves for the next (`WriteStateCache`).
    let writeState = WriteStateCache()
    /// The hub's store of record, when it has one (`attachStoreOfRecord`).
    let storeOfRecord = StoreOfRecordBox()

    init(writer: any DatabaseWriter, role: ReplicaRole, org: OrgCode, clock: any WallClock) {
        self.writer = writer
        self.role = role
        self.org = org
        self.clock = clock
    }

    /// Creates a new replica. `path == nil` creates an in-memory database (tests).
    /// The file is created empty with mode 0600 first (`PrivateFiles`): SQLite takes it as a new database and gives
    /// its `-wal` and `-shm` files the same mode, so the books are never readable by other users.
    /// - Throws: `alreadyInitialized` if the file already exists.
    public static func create(path: String?, role: ReplicaRole, org: OrgCode, clock: any WallClock) throws -> ReplicaStore {
        if let path {
            guard !FileManager.default.fileExists(atPath: path) else { throw ReplicaStoreError(.alreadyInitialized(path: path)) }
            try PrivateFiles.create(URL(fileURLWithPath: path))
        }
        let writer = try openWriter(path: path)
        try ReplicaSchema.migrator(for: role).migrate(writer)
        try SchemaUpgrade.recordRelease(writer)
        try writer.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('role', ?), ('org', ?)",
                           arguments: [role.rawValue, org.rawValue])
        }
        try ReplicaSchema.ensureOwnChangeIndex(writer, role: role, org: org)
        return ReplicaStore(writer: writer, role: role, org: org, clock: clock)
    }

    /// Opens an existing replica and applies any migrations a newer build added.
    public static func open(path: String, clock: any WallClock) throws -> ReplicaStore {
        guard FileManager.default.fileExists(atPath: path) else { throw ReplicaStoreError(.notInitialized(path: path)) }
        let writer = try openWriter(path: path)
        // The role decides the migrator; `meta` has held it since the first migration.
        let storedRole = try writer.read { db -> ReplicaRole? in
            guard try db.tableExists("meta") else { return nil }
            return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'role'").flatMap(ReplicaRole.init(rawValue:))
        }
        guard let storedRole else { throw ReplicaStoreError(.notInitialized(path: path)) }
        let preparation = try SchemaUpgrade.prepare(writer, path: path, role: storedRole)
        try SchemaUpgrade.migrate(writer, path: path, role: storedRole, preparation: preparation)
        if preparation.recordRelease { try SchemaUpgrade.recordRelease(writer) }
        let (roleText, orgText) = try writer.read { db in
            (try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'role'"),
             try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'org'"))
        }
        guard let roleText, let role = ReplicaRole(rawValue: roleText), let orgText, let org = OrgCode(orgText) else {
            throw ReplicaStoreError(.notInitialized(path: path))
        }
        try ReplicaSchema.ensureOwnChangeIndex(writer, role: role, org: org)
        let store = ReplicaStore(writer: writer, role: role, org: org, clock: clock)
        store.storeOfRecord.required = try store.meta(storeOfRecordKey) != nil
        return store
    }

    static func openWriter(path: String?) throws -> any DatabaseWriter {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // See the type's "Durability" section for why FULL.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(10)
        guard let path else { return try DatabaseQueue(configuration: configuration) }
        return try DatabasePool(path: path, configuration: configuration)  // DatabasePool uses WAL.
    }

    /// Reads a value from the replica's `meta` table.
    public func meta(_ key: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// Sets a value in the `meta` table (configuration that is not replicated: the hub's code at a node, etc.).
    public func setMeta(_ key: String, _ value: String) throws {
        try writeTransaction { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    /// Runs `body` in one write transaction with a `ReplicaTransaction` for lookups and change-logged writes.
    /// Everything `body` does commits together or not at all, with the audit entry of what it did when `auditing`
    /// is set.
    public func write<T>(policy: any ReplicaPolicy, _ body: (ReplicaTransaction) throws -> T) throws -> T {
        do {
            return try writeTransaction { db in
                // Changes when another connection (another process) has committed since this one last looked.
                let dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? -1
                let transaction = try ReplicaTransaction(db: db, store: self, policy: policy, state: writeState.load(dataVersion: dataVersion))
                let result = try body(transaction)
                if let context = auditContext.value, transaction.booksChanged { try transaction.appendAudit(context) }
                try transaction.flush()
                // Serial writers: nothing else writes between here and the commit. A failed commit clears it below.
                writeState.store(vector: transaction.vector, registryView: transaction.currentRegistryView, dataVersion: dataVersion)
                return result
            }
        } catch {
            writeState.clear()
            throw error
        }
    }

    /// Runs `body` with a read-only transaction: it can look things up and cannot write (`ReplicaReader`).
    public func read<T>(_ body: (any ReplicaReader) throws -> T) throws -> T {
        try writer.read { db in try body(try ReplicaTransaction(db: db, store: self, policy: nil)) }
    }
}

/// The wall clock, injected so that simulations replay exactly. Only the `fundsync` executable uses the live one.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> Int64
}
