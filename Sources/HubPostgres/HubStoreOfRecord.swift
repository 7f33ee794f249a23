import Foundation
import Logging
import ReplicaStore

/// Where a hub keeps its books, as its data folder says (`DIR/store.json`, written by `hub init --store`): absent for
/// the embedded default (SQLite only); for PostgreSQL, the connection string (never a password) and where the
/// password comes from.
public struct HubStoreConfiguration: Codable, Sendable, Equatable {
    /// `postgres://…`, possibly several hosts; without a password.
    public var postgres: String
    /// A file holding the password (mode 600), or `nil` for `FUNDSYNC_PG_PASSWORD`/`PGPASSWORD`.
    public var passwordFile: String?

    public init(postgres: String, passwordFile: String?) {
        self.postgres = postgres
        self.passwordFile = passwordFile
    }

    public static func file(in directory: DataDirectory) -> URL { directory.root.appendingPathComponent("store.json") }

    /// The folder's configuration, or `nil` for a hub on SQLite alone.
    public static func read(_ directory: DataDirectory) throws -> HubStoreConfiguration? {
        let url = file(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(HubStoreConfiguration.self, from: Data(contentsOf: url))
        } catch {
            throw PostgresStoreError.malformedConnectionString("\(url.path) cannot be read: \(error)")
        }
    }

    public func write(_ directory: DataDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: Self.file(in: directory), options: .atomic)
    }

    /// The parsed settings, with the password read now.
    public func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresSettings {
        try PostgresSettings(postgres, passwordFile: passwordFile, environment: environment)
    }
}

/// Opening a hub whose store of record is PostgreSQL (DESIGN §7.3): the working copy made current first, then the
/// store of record attached. Each step says what it did (`Opening.events`), for the log and for tests.
public enum HubStoreOfRecord {
    public struct Opening: Sendable {
        public var link: PostgresLink
        public var events: [String]
    }

    /// A new hub's first copy (`hub init --store`): the database must hold no hub. The hub's own writes of `init`
    /// are in the copy; from then on each write goes to PostgreSQL first.
    public static func seed(_ store: ReplicaStore, settings: PostgresSettings, logger: Logger = Logger(label: "fundsync.postgres")) throws -> PostgresStoreOfRecord {
        try store.markStoreOfRecord("postgres")
        let link = try PostgresLink.connect(settings, logger: logger)
        _ = try HubStoreCopy.copy(from: store, to: link)
        let check = try HubStoreCheck.compare(store, link)
        guard check.passed else { throw PostgresStoreError.unsupportedSchema("the first copy differs: \(check.differences.joined(separator: "; "))") }
        let mirror = PostgresStoreOfRecord(settings: settings, link: link, logger: logger)
        try store.attachStoreOfRecord(mirror)
        return mirror
    }

    /// Before the working copy is opened: makes sure it exists and is not behind the store of record, rebuilding it
    /// from PostgreSQL when it is missing (a new machine) or behind (a commit whose answer was lost in a crash). A
    /// stale copy is moved aside, never deleted.
    /// - Throws: `storeOfRecordBehind` when the working copy holds commits the database lacks.
    public static func prepareWorkingCopy(at path: String, settings: PostgresSettings, logger: Logger = Logger(label: "fundsync.postgres")) throws -> Opening {
        let link = try PostgresLink.connect(settings, logger: logger)
        var events: [String] = []
        let held = try PostgresStoreOfRecord.stamp(link, lockingIt: false)
        if FileManager.default.fileExists(atPath: path) {
            let local = try ReplicaStore.commitStamp(ofReplicaAt: path)
            if local > held { throw PostgresStoreError.storeOfRecordBehind(held: held, workingCopy: local) }
            if local < held {
                let aside = path + ".behind-\(local)"
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
                }
                events.append("the working copy was at commit \(local), the store of record at \(held): moved to \(aside), rebuilt from \(link.host)")
            }
        } else {
            events.append("no working copy: rebuilt from \(link.host) at commit \(held)")
        }
        if !FileManager.default.fileExists(atPath: path) {
            let summary = try HubStoreCopy.copy(from: link, toReplicaAt: path)
            events.append("copied \(summary.totalRows) rows from PostgreSQL in \(String(format: "%.2f", summary.seconds)) s")
        }
        for event in events { logger.notice("\(event)") }
        return Opening(link: link, events: events)
    }

    /// After the working copy is open (and migrated): attaches the store of record. When a new release's migrations
    /// changed the working copy (its catalogue, `meta` or migration record differ from the database's), the database
    /// is first re-seeded from it in one transaction, at equal stamps.
    public static func attach(_ store: ReplicaStore, opening: Opening, settings: PostgresSettings,
                              logger: Logger = Logger(label: "fundsync.postgres")) throws -> (mirror: PostgresStoreOfRecord, events: [String]) {
        let link = opening.link
        var events = opening.events
        let held = try PostgresStoreOfRecord.stamp(link, lockingIt: false)
        let local = try store.commitStamp()
        guard local == held else {
            if local > held { throw PostgresStoreError.storeOfRecordBehind(held: held, workingCopy: local) }
            throw PostgresStoreError.storeOfRecordMoved(held: held, workingCopy: local)
        }
        if try !sameStructure(store, link) {
            let summary = try HubStoreCopy.copy(from: store, to: link, replacing: true)
            let check = try HubStoreCheck.compare(store, link)
            guard check.passed else { throw PostgresStoreError.unsupportedSchema("the re-seeded copy differs: \(check.differences.joined(separator: "; "))") }
            events.append("the working copy's schema or release moved on (an upgrade): PostgreSQL re-seeded from it, \(summary.totalRows) rows")
            logger.notice("\(events.last!)")
        }
        let mirror = PostgresStoreOfRecord(settings: settings, link: link, logger: logger)
        try store.attachStoreOfRecord(mirror)
        return (mirror, events)
    }

    /// Whether the database's schema, `meta` and migration record are the working copy's.
    static func sameStructure(_ store: ReplicaStore, _ link: PostgresLink) throws -> Bool {
        let remote = try HubStoreCopy.readCatalog(link)
        return try store.withSnapshot { snapshot in
            var local = snapshot.catalog
            var theirs = remote
            local.autoincrementSeeds = [:]
            theirs.autoincrementSeeds = [:]
            for index in local.tables.indices { local.tables[index].primaryKey = nil }
            for index in theirs.tables.indices { theirs.tables[index].primaryKey = nil }
            guard local == theirs else { return false }
            // Sorted here: the two servers collate text differently.
            for query in ["SELECT key, value FROM meta", "SELECT identifier FROM grdb_migrations"] {
                let sorted = { (rows: [[StoreValue]]) in rows.map { $0.map(\.canonicalText).joined(separator: "|") }.sorted() }
                guard sorted(try snapshot.query(query)) == sorted(try link.rows(query)) else { return false }
            }
            return true
        }
    }
}
