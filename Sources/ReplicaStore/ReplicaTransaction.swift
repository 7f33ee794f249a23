import Foundation
import GRDB
import LedgerCore

/// One open transaction on a replica: lookups for the ledger rules and change-logged writes.
///
/// The version vector is loaded once and written back in `flush()` at the end of the transaction, and accounts are
/// cached for the transaction's lifetime, so applying a 100,000-change batch does not re-read them per change.
public final class ReplicaTransaction: LedgerLookup {
    let db: Database
    public let org: OrgCode
    public let role: ReplicaRole
    let policy: (any ReplicaPolicy)?
    let clock: any WallClock
    /// The people's keys this process holds unlocked (`ReplicaStore.signer`), read once per transaction.
    let signer: (any StaffSigner)?
    public private(set) var vector: VersionVector
    private var dirtyOrigins: Set<OrgCode> = []
    private var accountCache: [String: AccountRecord?] = [:]
    private var orgUnitCache: [OrgCode: OrgUnit?] = [:]
    private var orgUnitCacheGeneration = 0
    private var lastVoucher: (id: ChangeID, voucher: Voucher)?
    private var statusHistoryCache: [String: [(from: String, status: AccountStatus)]] = [:]
    /// (org, business date) cells whose books changed in this transaction; the hub's incremental reconciliation
    /// recomputes only these (written back in `flush()`).
    private var dirtyCells: Set<String> = []
    /// The period lock, read once per transaction (a `period_lock` change resets it).
    var cachedPeriodLock: PeriodLock?
    /// Document sequences handed out in this transaction, written back in `flush()`.
    var sequences: [String: Int] = [:]
    /// Local changes written in this transaction other than audit entries, and received changes applied: whether
    /// the books changed, so the command's audit entry belongs in this transaction.
    var localChangeCount = 0
    var receivedChangeCount = 0
    /// Appended to the audit entry's detail (what an import applied).
    var auditNote: String?
    /// The hash of the batch being received, for a fork's alert.
    var receivingFileHash = ""
    var booksChanged: Bool { localChangeCount + receivedChangeCount > 0 }
    /// Next outgoing stream position per peer, read once and written back in `flush()`.
    private var nextPositions: [OrgCode: Int64] = [:]
    /// A node's resync state, read once per transaction (`resync()`).
    var cachedResync: CachedResync?
    /// At the hub: each office's booked volume as of this transaction (`officeVolume`), and those it changed.
    var officeVolumes: [OrgCode: Int64] = [:]
    var changedOfficeVolumes: Set<OrgCode> = []

    /// What each peer had acknowledged before this transaction (`acknowledgedVector(of:)`), read once per peer.
    var acknowledgedVectors: [OrgCode: VersionVector] = [:]
    /// Certificates read in this transaction, by key id (a batch of one office's documents names the same few keys);
    /// emptied when a `staff_key` change is applied.
    var certificateCache: [String: StaffCertificate?] = [:]
    /// The store's release announcement (a node's), and whether this transaction wrote its row.
    let releaseAnnouncement: ReleaseAnnouncementBox
    var releaseRowWrittenHere = false
    /// At the hub: the release each office has announced (`announcedRelease(of:)`), read once per transaction per office.
    var announcedReleases: [OrgCode: Int] = [:]
    /// Offices known to have announced personal keys (or not), read once per transaction per office.
    var signingOfficeCache: [OrgCode: Bool] = [:]
    /// The parameter `unsigned_documents` as read in this transaction (emptied when a parameter change is applied).
    var unsignedDocumentsCache: String??
    /// At a node: whether it has written a signed document (`personal_signatures_since`), read once per transaction.
    var signsSinceCache: Bool?
    /// The acknowledgement vector of the batch being received.
    var receivingAck: VersionVector?
    /// What the policy's review of the change being received asks to record once the change is applied, and only
    /// then (the hub's note that an office announced personal keys, a signature flagged for review): a change
    /// rejected after its review leaves nothing behind.
    public var afterApply: [(ReplicaTransaction) throws -> Void] = []

    struct CachedResync { var state: ResyncState? }

    /// - Parameter state: what the previous write left (`WriteStateCache`); `nil` parts are read from the database.
    init(db: Database, store: ReplicaStore, policy: (any ReplicaPolicy)?,
         state: (vector: VersionVector?, registryView: (any Sendable)?) = (nil, nil)) throws {
        self.db = db
        self.org = store.org
        self.role = store.role
        self.policy = policy
        self.clock = store.clock
        self.signer = store.signer
        self.releaseAnnouncement = store.releaseAnnouncement
        if let vector = state.vector {
            self.vector = vector
        } else {
            var vector = VersionVector()
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT origin, counter FROM version_vector")) {
                if let origin = OrgCode(row[0]) { vector.advance(origin, to: row[1]) }
            }
            self.vector = vector
        }
        self.registryView = state.registryView
    }

    // MARK: The policy's view of the registry

    /// The policy's own derived view of the registry (the hub's org tree and its nodes), carried from one write
    /// transaction to the next so it is built once, not per batch. The policy keeps it up to date with the structure
    /// changes it sees (``registryViewIncorporated``); a structure change written some other way makes it stale, and
    /// it is then neither used nor kept.
    public var registryView: (any Sendable)?
    /// How many structure changes (`org_unit`, `node_key`) of this transaction the policy has folded into
    /// ``registryView``.
    public var registryViewIncorporated = 0
    /// Structure changes (`org_unit`, `node_key`) applied in this transaction, by any path.
    public internal(set) var structureChanges = 0

    /// The view if it reflects every structure change of this transaction, else `nil`.
    var currentRegistryView: (any Sendable)? { registryViewIncorporated == structureChanges ? registryView : nil }

    public func nowMilliseconds() -> Int64 { clock.nowMilliseconds() }

    func advanceVector(_ id: ChangeID) {
        if id.counter > vector[id.origin] {
            vector.advance(id.origin, to: id.counter)
            dirtyOrigins.insert(id.origin)
        }
    }

    /// Assigns the next position of the outgoing stream to `peer`.
    func nextOutgoingPosition(for peer: OrgCode) throws -> Int64 {
        let next: Int64
        if let cached = nextPositions[peer] {
            next = cached
        } else {
            try db.cachedStatement(sql: "INSERT INTO stream_out (peer) VALUES (?) ON CONFLICT(peer) DO NOTHING")
                .execute(arguments: [peer.rawValue])
            next = try Int64.fetchOne(db.cachedStatement(sql: "SELECT next_position FROM stream_out WHERE peer = ?"),
                                      arguments: [peer.rawValue]) ?? 1
        }
        nextPositions[peer] = next + 1
        return next
    }

    /// Moves the outgoing stream to `peer` past `position`: the peer already holds everything up to it (a restored
    /// node continuing after the hub's position, §8.8). Never moves it back.
    func raiseOutgoingPosition(for peer: OrgCode, past position: Int64) throws {
        let current: Int64
        if let cached = nextPositions[peer] {
            current = cached
        } else {
            current = try Int64.fetchOne(db.cachedStatement(sql: "SELECT next_position FROM stream_out WHERE peer = ?"),
                                         arguments: [peer.rawValue]) ?? 1
        }
        nextPositions[peer] = max(current, position + 1)
    }

    /// Makes the next number of sequence `name` larger than `number` (a document this office numbered before).
    func raiseSequence(_ name: String, past number: Int) throws {
        let stored: Int
        if let cached = sequences[name] {
            stored = cached
        } else {
            stored = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: ["seq.\(name)"]).flatMap { Int($0) } ?? 1
        }
        sequences[name] = max(stored, number + 1)
    }

    /// Notes that the books of `org` on `date` changed (hub only: nodes do not reconcile).
    func markDirty(org: String, date: String) {
        if role == .hub, !date.isEmpty { dirtyCells.insert(org + "|" + date) }
    }

    func flush() throws {
        try flushOfficeVolumes()
        for cell in dirtyCells.sorted() {
            let parts = cell.split(separator: "|", maxSplits: 1).map(String.init)
            try db.cachedStatement(sql: "INSERT INTO recon_dirty (org, date) VALUES (?, ?) ON CONFLICT DO NOTHING").execute(arguments: [parts[0], parts[1]])
        }
        dirtyCells.removeAll()
        for (name, next) in sequences.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .execute(arguments: ["seq.\(name)", String(next)])
        }
        sequences.removeAll()
        for (peer, next) in nextPositions.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: "UPDATE stream_out SET next_position = ? WHERE peer = ?").execute(arguments: [next, peer.rawValue])
        }
        nextPositions.removeAll()
        let statement = try db.cachedStatement(sql: """
            INSERT INTO version_vector (origin, counter) VALUES (?, ?)
            ON CONFLICT(origin) DO UPDATE SET counter = excluded.counter
            """)
        for origin in dirtyOrigins.sorted() {
            try statement.execute(arguments: [origin.rawValue, vector[origin]])
        }
        dirtyOrigins.removeAll()
    }

    func invalidateAccount(_ id: String) {
        accountCache[id] = nil
        statusHistoryCache[id] = nil
    }

    /// The effective-dated statuses of an account in date order, read once per transaction.
    func statusHistory(_ id: String) throws -> [(from: String, status: AccountStatus)] {
        if let cached = statusHistoryCache[id] { return cached }
        let history = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT effective_from, status FROM account_status_history WHERE account = ? ORDER BY effective_from, counter
            """), arguments: [id]).compactMap { row -> (from: String, status: AccountStatus)? in
            guard let status = AccountStatus(rawValue: row["status"]) else { return nil }
            return (row["effective_from"], status)
        }
        statusHistoryCache[id] = history
        return history
    }

    /// The voucher a voucher change carries, parsed once per change even though the policy's review and the
    /// applier both need it (this is the hub's hot path).
    public func voucher(of change: Change) throws(LedgerRuleViolation) -> Voucher {
        if let lastVoucher, lastVoucher.id == change.id { return lastVoucher.voucher }
        let voucher = try Voucher(key: change.key, fields: change.fields)
        lastVoucher = (change.id, voucher)
        return voucher
    }

    // MARK: LedgerLookup

    /// - Throws: when the account table cannot be read; a failed read is not cached, so it is never taken for
    ///   "unknown account".
    public func account(_ id: String) throws -> AccountRecord? {
        if let cached = accountCache[id] { return cached }
        let record = try fetchAccount(id)
        accountCache[id] = .some(record)
        return record
    }

    private func fetchAccount(_ id: String) throws -> AccountRecord? {
        let statement = try db.cachedStatement(sql: "SELECT id, org, kind, code, name, currency, status FROM account WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        return AccountRecord(row: row)
    }

    public func postedVoucher(_ id: String) throws -> Voucher? {
        try VoucherQueries.voucher(id, in: db, postedOnly: true)
    }

    public func isReversed(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voucher WHERE reverses = ? AND status = 'posted' LIMIT 1"), arguments: [id]) ?? false
    }

    /// The org unit `code`, if this replica has it.
    public func orgUnit(_ code: OrgCode) throws -> OrgUnit? {
        // Cached for the transaction (every voucher of a budget unit asks who keeps its books), and forgotten as soon
        // as a structure change is applied.
        if orgUnitCacheGeneration != structureChanges {
            orgUnitCache.removeAll()
            orgUnitCacheGeneration = structureChanges
        }
        if let cached = orgUnitCache[code] { return cached }
        let unit = try Row.fetchOne(db.cachedStatement(sql: "SELECT code, parent, name, level FROM org_unit WHERE code = ?"),
                                    arguments: [code.rawValue]).flatMap(OrgUnit.init(row:))
        orgUnitCache[code] = .some(unit)
        return unit
    }

    /// Every org unit this replica has.
    public func orgUnits() throws -> [OrgUnit] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT code, parent, name, level FROM org_unit ORDER BY code")).compactMap(OrgUnit.init(row:))
    }

    /// The enrolled key with `keyID`, if any.
    public func nodeKey(_ keyID: String) throws -> NodeKeyRecord? {
        try Row.fetchOne(db, sql: "SELECT key_id, org, algorithm, public_key_pem, status FROM node_key WHERE key_id = ?",
                         arguments: [keyID]).flatMap(NodeKeyRecord.init(row:))
    }

    /// Every enrolled key.
    public func nodeKeys() throws -> [NodeKeyRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT key_id, org, algorithm, public_key_pem, status FROM node_key ORDER BY org, key_id"))
            .compactMap(NodeKeyRecord.init(row:))
    }

    /// True when a voucher with this id exists in any status.
    public func voucherExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voucher WHERE id = ?"), arguments: [id]) ?? false
    }
}

extension AccountRecord {
    init?(row: Row) {
        guard let org = OrgCode(row["org"]), let kind = AccountKind(rawValue: row["kind"]),
              let currency = CurrencyCode(row["currency"]), let status = AccountStatus(rawValue: row["status"]) else { return nil }
        self.init(id: row["id"], org: org, kind: kind, code: row["code"], name: row["name"], currency: currency, status: status)
    }
}

extension OrgUnit {
    init?(row: Row) {
        guard let code = OrgCode(row["code"]), let level = Level(rawValue: row["level"]) else { return nil }
        let parentText: String? = row["parent"]
        self.init(code: code, parent: parentText.flatMap(OrgCode.init), name: row["name"], level: level)
    }
}

extension NodeKeyRecord {
    init?(row: Row) {
        guard let org = OrgCode(row["org"]), let status = Status(rawValue: row["status"]),
              let algorithm = SignatureAlgorithm.allCases.first(where: { $0.name == row["algorithm"] as String }) else { return nil }
        self.init(keyID: row["key_id"], org: org, algorithm: algorithm, publicKeyPEM: row["public_key_pem"], status: status)
    }
}
