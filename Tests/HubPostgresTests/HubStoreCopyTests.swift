import Foundation
import HubCore
import HubPostgres
import LedgerCore
import ReplicaStore
import SyncTesting
import Testing

/// `hub migrate-store` on a real server: a province's hub copied to PostgreSQL and back, checked table by table;
/// what a copy must refuse; and what the check must find.
@Suite(.enabled(if: TestPostgres.available, "needs FUNDSYNC_TEST_POSTGRES (Scripts/test starts a server)"), .serialized)
struct HubStoreCopyTests {
    @Test func aHubRoundTripsThroughPostgreSQLWithEqualFingerprints() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()

        let summary = try HubStoreCopy.copy(from: province.hub.store, to: link)
        #expect(summary.tables.count > 50)
        #expect(summary.totalRows > 100)

        let check = try HubStoreCheck.compare(province.hub.store, link)
        #expect(check.passed, "\(check.differences)")
        #expect(check.tables.count == summary.tables.count)
        #expect(check.sqliteVector.count >= 3, "the hub and two counties have written changes")
        #expect(check.sqliteVector == check.postgresVector)
        #expect(!check.sqliteBalances.isEmpty)

        // The immutability of posted entries holds in PostgreSQL too.
        #expect(throws: PostgresStoreError.self) { try link.execute("UPDATE voucher_line SET amount = amount + 1") }
        #expect(throws: PostgresStoreError.self) { try link.execute("DELETE FROM voucher_line") }

        // And back: a new replica whose every row is the original's, which opens as a hub and verifies.
        let back = try TemporaryDirectory("pg-roundtrip")
        defer { back.remove() }
        let folder = DataDirectory(back.path("hub"))
        try FileManager.default.createDirectory(at: folder.root, withIntermediateDirectories: true)
        let returned = try HubStoreCopy.copy(from: link, toReplicaAt: folder.replica.path)
        #expect(returned.totalRows == summary.totalRows)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: folder.replica.path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o077 == 0, "the copied replica is readable by its owner only")
        let original = DataDirectory(province.base.root.path("hub"))
        for key in ["private.key", "public.key", "encryption.key", "encryption-public.key"] where FileManager.default.fileExists(atPath: original.root.appendingPathComponent(key).path) {
            try FileManager.default.copyItem(at: original.root.appendingPathComponent(key), to: folder.root.appendingPathComponent(key))
        }
        let reopened = try Hub.open(directory: folder, clock: province.base.clock)
        #expect(try reopened.store.canonicalDump() == province.hub.store.canonicalDump())
        #expect(try reopened.verify() == [])
        let again = try HubStoreCheck.compare(reopened.store, link)
        #expect(again.passed, "\(again.differences)")
        #expect(again.tables.map(\.sqlite) == check.tables.map(\.sqlite), "the same fingerprints, table by table")
    }

    @Test func aDatabaseThatHoldsAHubIsNeverWrittenOver() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        do {
            _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
            Issue.record("copied over a hub")
        } catch let PostgresStoreError.targetNotEmpty(tables) {
            #expect(tables.contains("change_log"))
        }
        #expect(try HubStoreCheck.compare(province.hub.store, link).passed, "the first copy is untouched")
    }

    /// The copied schema is one a store can go on writing: a row without an explicit rowid or id takes the next one
    /// after the copied rows, as SQLite would give it.
    @Test func rowsWrittenAfterTheCopyFollowTheCopiedOnes() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        let highest = try link.rows("SELECT MAX(sqlite_rowid), COUNT(*) FROM received_batch").first
        guard case .integer(let top)? = highest?.first, case .integer(let count)? = highest?.last else {
            Issue.record("received_batch is empty after a province's exchanges: \(String(describing: highest))")
            return
        }
        #expect(top >= count)
        try link.execute("""
            INSERT INTO received_batch (peer, batch_sequence, received_at_ms, change_count, applied_count, rejected_count, duplicate_count, pending_count, file_hash)
            VALUES ('340121', 999, 0, 0, 0, 0, 0, 0, 'later')
            """)
        #expect(try link.rows("SELECT sqlite_rowid FROM received_batch WHERE file_hash = 'later'") == [[.integer(top + 1)]])
    }

    @Test func aValueOfTheWrongKindStopsTheCopyAndLeavesTheDatabaseEmpty() throws {
        let province = try TestProvince()
        defer { province.remove() }
        // SQLite keeps what it is given: text in an INTEGER column, planted behind the hub's back.
        let planted = try runProcess("/usr/bin/sqlite3", [province.root.path("hub/replica.sqlite"), """
            INSERT INTO received_batch (peer, batch_sequence, received_at_ms, change_count, applied_count, rejected_count, duplicate_count, pending_count, file_hash)
            VALUES ('340121', 99, 0, 'many', 0, 0, 0, 0, 'x');
            """])
        #expect(planted.status == 0, "\(planted.stderr)")
        let database = try TestPostgres()
        let link = try database.connect()
        #expect(throws: ReplicaStoreError.self) { try HubStoreCopy.copy(from: province.hub.store, to: link) }
        #expect(try database.tables(link) == [], "the copy is one transaction: nothing of it remains")
    }

    @Test func theCheckFindsAChangedAmountAndAMissingVectorEntry() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        // Someone with the owner's rights switches the trigger off and changes a posted amount, and drops an origin.
        try link.execute("ALTER TABLE voucher_line DISABLE TRIGGER voucher_line_immutable")
        try link.execute("UPDATE voucher_line SET amount = amount + 1 WHERE voucher_id = (SELECT MIN(voucher_id) FROM voucher_line) AND line_no = 1")
        try link.execute("DELETE FROM version_vector WHERE origin = '340121'")
        let check = try HubStoreCheck.compare(province.hub.store, link)
        #expect(!check.passed)
        #expect(check.differences.contains { $0.hasPrefix("voucher_line:") })
        #expect(check.differences.contains { $0.hasPrefix("version_vector:") })
        #expect(check.differences.contains { $0.hasPrefix("version vector 340121: SQLite") && $0.hasSuffix("PostgreSQL none") })
        #expect(check.differences.contains { $0.hasPrefix("balance ") })
        #expect(!check.differences.contains { $0.hasPrefix("change_log:") }, "only what changed is named")
    }

    /// Whoever can write the PostgreSQL database must not make the copy back run other SQL here: a catalogue whose
    /// table statement carries a second statement (an ATTACH would create a file) or is not a CREATE is refused.
    @Test func aTamperedCatalogueRunsNothingOnTheCopyBack() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        let planted = province.root.path("planted.sqlite")
        let original = try link.rows("SELECT value FROM fundsync_sqlite_catalog WHERE key = 'catalog'")
        guard case .text(let json)? = original.first?.first else { Issue.record("no catalogue"); return }
        for replacement in ["CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL); ATTACH DATABASE '\(planted)' AS x; CREATE TABLE x.t (a)",
                            "ATTACH DATABASE '\(planted)' AS meta"] {
            var catalog = try JSONDecoder().decode(StoreCatalog.self, from: Data(json.utf8))
            let index = try #require(catalog.tables.firstIndex { $0.name == "meta" })
            catalog.tables[index].createSQL = replacement
            try link.execute("UPDATE fundsync_sqlite_catalog SET value = $1 WHERE key = 'catalog'",
                             [.text(String(decoding: try JSONEncoder().encode(catalog), as: UTF8.self))])
            let target = province.root.path("back-\(UUID().uuidString).sqlite")
            #expect(throws: (any Error).self) { try HubStoreCopy.copy(from: link, toReplicaAt: target) }
            #expect(!FileManager.default.fileExists(atPath: planted), "the planted ATTACH ran")
            #expect(!FileManager.default.fileExists(atPath: target), "a failed copy back leaves no file")
        }
    }

    @Test func theCopyBackNeverWritesOverAReplica() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        let before = try province.hub.store.canonicalDump()
        #expect(throws: ReplicaStoreError.self) {
            try HubStoreCopy.copy(from: link, toReplicaAt: province.root.path("hub/replica.sqlite"))
        }
        #expect(try province.hub.store.canonicalDump() == before)
        let empty = try TestPostgres()
        #expect(throws: PostgresStoreError.noHubInDatabase) {
            try HubStoreCopy.copy(from: try empty.connect(), toReplicaAt: province.root.path("elsewhere.sqlite"))
        }
    }
}
