import Foundation
import HubPostgres
import ReplicaStore

/// The hub's store of record in tests: when `FUNDSYNC_TEST_HUB_STORE=postgres` and `FUNDSYNC_TEST_POSTGRES` names a
/// server (`Scripts/test`'s `postgres` stage), every test province's hub gets a throwaway PostgreSQL database of its
/// own as its store of record from its first write on, so the hub suites run against both stores; at the end
/// (`TestProvince.remove`) the database must equal the working copy, table by table.
public final class TestHubStore {
    public static var requested: Bool {
        ProcessInfo.processInfo.environment["FUNDSYNC_TEST_HUB_STORE"] == "postgres" && TestPostgresServer.available
    }

    public let database: TestPostgresServer
    public let mirror: PostgresStoreOfRecord

    /// Seeds a new database from `store` and attaches it.
    public init(seeding store: ReplicaStore) throws {
        database = try TestPostgresServer()
        mirror = try HubStoreOfRecord.seed(store, settings: database.settings)
    }

    /// Attaches the same database to another store opened on the hub's folder (a second process, `Hub.open`).
    public func attach(to store: ReplicaStore) throws {
        try store.attachStoreOfRecord(PostgresStoreOfRecord(settings: database.settings))
    }

    /// The differences between the store of record and `store` (empty when equal).
    public func differences(from store: ReplicaStore) throws -> [String] {
        let link = try database.connect()
        defer { link.close() }
        return try HubStoreCheck.compare(store, link).differences
    }

    public func close() { mirror.close() }
}

/// A throwaway database on the test server `Scripts/test` starts (`FUNDSYNC_TEST_POSTGRES`, a connection string for
/// a role that may create databases). Each user gets its own database, dropped when it is released.
public final class TestPostgresServer {
    /// The server's connection string, or nil when no test server runs (the suites that need one are then disabled,
    /// and `Scripts/test` fails its PostgreSQL stage if they did not run).
    public static let serverURL = ProcessInfo.processInfo.environment["FUNDSYNC_TEST_POSTGRES"]
    public static var available: Bool { serverURL != nil }

    public let settings: PostgresSettings
    private let name: String
    private let admin: PostgresLink

    public init() throws {
        guard let url = Self.serverURL else { throw PostgresStoreError.connection("FUNDSYNC_TEST_POSTGRES is not set") }
        admin = try PostgresLink.connect(try PostgresSettings(url))
        name = "fundsync_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try admin.execute("CREATE DATABASE \(name)")
        let base = url.split(separator: "?", maxSplits: 1)
        var components = String(base[0]).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components[components.count - 1] = name
        settings = try PostgresSettings(components.joined(separator: "/") + (base.count > 1 ? "?" + base[1] : ""))
    }

    public func connect() throws -> PostgresLink { try PostgresLink.connect(settings) }

    /// The tables the database holds.
    public func tables(_ link: PostgresLink) throws -> [String] {
        try link.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")
            .compactMap { if case .text(let name) = $0.first { return name } else { return nil } }
    }

    deinit {
        // FORCE ends the test's own sessions if a link outlives this object; it may not signal an autovacuum worker
        // (not our role), which a plain DROP stops by itself.
        do { try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") } catch {
            do { try admin.execute("DROP DATABASE IF EXISTS \(name)") } catch { print("could not drop \(name): \(error)") }
        }
    }
}
