import Foundation
import HubCore
import HubPostgres
import LedgerCore
import ReplicaStore
import SyncTesting
import Testing

/// PostgreSQL as the hub's store of record: every hub transaction commits there first, and the two stay equal, row
/// for row; a commit whose answer was lost is settled; a working copy that is missing or behind is rebuilt.
@Suite(.enabled(if: TestPostgres.available, "needs FUNDSYNC_TEST_POSTGRES (Scripts/test starts a server)"), .serialized)
struct StoreOfRecordTests {
    @Test func everyHubTransactionReachesPostgreSQLAndTheTwoStayEqual() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let record = try TestHubStore(seeding: province.hub.store)
        defer { record.close() }
        let before = record.mirror.committedTransactions

        // Counties book, the hub imports (one transaction per batch), the registry goes down, the hub reconciles.
        for county in ["340121", "340122"] {
            try province.node(county).post([TestProvince.draft("\(county):1002", "\(county):6001", "12.34")])
            _ = try expectReceived(province.hub.exchange.importFiles(try province.export(from: county)))
        }
        try province.hub.putAccount(AccountRecord(id: "340121:6002", org: OrgCode("340121")!, kind: .subject, code: "6002",
                                                  name: "Other income", currency: .cny, status: .active))
        try province.deliverFromHub()
        _ = try Reconciler(hub: province.hub).run(from: BusinessDate("2026-11-02")!, through: BusinessDate("2026-11-02")!, incremental: false)

        #expect(record.mirror.committedTransactions > before + 3)
        #expect(try record.differences(from: province.hub.store) == [])
        // The stamp moved with each transaction, in both stores.
        #expect(try record.mirror.heldStamp() == province.hub.store.commitStamp())
        #expect(try province.hub.store.commitStamp() == Int64(record.mirror.committedTransactions))

        // Another process that opens the hub's file without connecting to the store of record cannot write to it.
        let alone = try Hub.open(directory: province.hub.directory, clock: province.clock)
        #expect(throws: ReplicaStoreError.self) {
            try alone.putStaff(StaffMember(id: "340100-alone", org: TestProvince.city, name: "Alone", roles: [.cashier]))
        }
        #expect(try record.differences(from: province.hub.store) == [])
    }

    /// The server committed but its answer was lost: the hub rolled back and reported a failure; before the next
    /// write the store asks the database, finds the transaction there and applies it to the working copy too.
    @Test func aCommitWhoseAnswerWasLostIsAppliedBeforeTheNextWrite() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        try province.hub.store.setMeta(ReplicaStore.commitStampKey, "0")
        let link = try database.connect()
        _ = try HubStoreCopy.copy(from: province.hub.store, to: link)
        let mirror = AnswerLosingMirror(PostgresStoreOfRecord(settings: database.settings, link: link))
        try province.hub.store.attachStoreOfRecord(mirror)

        try province.node("340121").post([TestProvince.draft("340121:1002", "340121:6001", "7.00")])
        let files = try province.export(from: "340121")
        let stampBefore = try province.hub.store.commitStamp()
        mirror.loseNextAnswer = true
        let lost = try province.hub.exchange.importFiles(files)
        guard case .failed = lost.first else { Issue.record("the import succeeded although its answer was lost: \(lost)"); return }
        // The apply committed in PostgreSQL and was rolled back here; the hub's next write (the record of the failure)
        // took it in first, so the two are level again.
        #expect(try mirror.inner.heldStamp() > stampBefore)
        #expect(try province.hub.store.commitStamp() == mirror.inner.heldStamp())

        // The node sends the batch again; the hub first takes in the lost commit, then finds the batch applied.
        let again = try expectReceived(province.hub.exchange.importFiles(files))
        #expect(again.first?.isAlreadyApplied == true)
        #expect(try province.hub.store.commitStamp() == mirror.inner.heldStamp())
        let check = try HubStoreCheck.compare(province.hub.store, try database.connect())
        #expect(check.passed, "\(check.differences)")
        #expect(try province.hub.verify() == [])
    }

    @Test func aMissingOrStaleWorkingCopyIsRebuiltAndOneAheadIsRefused() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let mirror = try HubStoreOfRecord.seed(province.hub.store, settings: database.settings)
        let folder = try TemporaryDirectory("working-copy")
        defer { folder.remove() }
        let path = folder.path("replica.sqlite")
        // A copy of the working copy now (stamp 0 or so), then the hub moves on.
        try province.hub.store.backup(to: path)
        let stale = try ReplicaStore.commitStamp(ofReplicaAt: path)
        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "3.00")])
        _ = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122")))
        #expect(try mirror.heldStamp() > stale)

        let rebuilt = try HubStoreOfRecord.prepareWorkingCopy(at: path, settings: database.settings)
        #expect(rebuilt.events.first?.contains("moved to") == true, "\(rebuilt.events)")
        #expect(FileManager.default.fileExists(atPath: path + ".behind-\(stale)"), "the stale copy is kept")
        #expect(try ReplicaStore.commitStamp(ofReplicaAt: path) == mirror.heldStamp())

        try FileManager.default.removeItem(atPath: path)
        let fresh = try HubStoreOfRecord.prepareWorkingCopy(at: path, settings: database.settings)
        #expect(fresh.events.first?.hasPrefix("no working copy") == true, "\(fresh.events)")

        // A database that lost commits the working copy holds is never written over.
        let other = try TestPostgres()
        let otherLink = try other.connect()
        _ = try HubStoreCopy.copy(from: try ReplicaStore.open(path: path + ".behind-\(stale)", clock: province.clock), to: otherLink)
        #expect(throws: PostgresStoreError.storeOfRecordBehind(held: stale, workingCopy: try mirror.heldStamp())) {
            _ = try HubStoreOfRecord.prepareWorkingCopy(at: path, settings: other.settings)
        }
        mirror.close()
    }
}

/// Commits for real, then on request throws as if the answer to `COMMIT` had been lost.
final class AnswerLosingMirror: StoreMirror, @unchecked Sendable {
    let inner: PostgresStoreOfRecord
    var loseNextAnswer = false
    private var pending: MirroredTransaction?
    init(_ inner: PostgresStoreOfRecord) { self.inner = inner }

    func commit(_ transaction: MirroredTransaction) throws {
        try inner.commit(transaction)
        if loseNextAnswer {
            loseNextAnswer = false
            pending = transaction
            throw PostgresStoreError.commitOutcomeUnknown("planted")
        }
    }

    func catchUp(workingCopyStamp: Int64) throws -> MirroredTransaction? {
        defer { pending = nil }
        guard let pending, try inner.heldStamp() == pending.stamp, pending.stampBefore == workingCopyStamp else { return nil }
        return pending
    }
}

/// A new release changed the working copy while the hub was stopped (its migrations, its release record): at the next
/// opening the database is re-seeded from it, in one transaction, and the two are equal again.
@Suite(.enabled(if: TestPostgres.available, "needs FUNDSYNC_TEST_POSTGRES (Scripts/test starts a server)"), .serialized)
struct StoreOfRecordUpgradeTests {
    @Test func anUpgradedWorkingCopyReseedsTheDatabaseAtEqualStamps() throws {
        let province = try TestProvince()
        defer { province.remove() }
        let database = try TestPostgres()
        let mirror = try HubStoreOfRecord.seed(province.hub.store, settings: database.settings)
        try province.node("340121").post([TestProvince.draft("340121:1002", "340121:6001", "5.00")])
        _ = try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340121")))
        mirror.close()

        // What an upgrade does to the file before the store of record is attached: a new index, and the file says it
        // was last written by the release before (this binary then records its own).
        let path = province.hub.directory.replica.path
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, "CREATE INDEX upgrade_probe ON audit(actor); UPDATE meta SET value = '1' WHERE key = 'release';"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)

        let opening = try HubStoreOfRecord.prepareWorkingCopy(at: path, settings: database.settings)
        let reopened = try Hub.open(directory: province.hub.directory, clock: province.clock)
        let (again, events) = try HubStoreOfRecord.attach(reopened.store, opening: opening, settings: database.settings)
        defer { again.close() }
        #expect(events.contains { $0.contains("re-seeded") }, "\(events)")
        let link = try database.connect()
        #expect(try link.rows("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'upgrade_probe'").first?.first == .integer(1))
        #expect(try HubStoreCheck.compare(reopened.store, link).passed)
        // And it goes on writing through it.
        try reopened.putStaff(StaffMember(id: "340100-after", org: TestProvince.city, name: "After", roles: [.cashier]))
        #expect(try HubStoreCheck.compare(reopened.store, link).passed)
    }
}
