import Foundation
import GRDB
import LedgerCore

/// Opening a data folder written by another release (issue 10, "schema upgrades in place"):
/// - a folder of an **older** release is backed up, whole, next to the replica (`replica.before-release-N-<ms>.sqlite`,
///   mode 0600) before the first migration touches it, so an upgrade that goes wrong is undone by `restore`;
/// - a folder of a **newer** release — one whose recorded release is higher, or whose schema has migrations this binary
///   does not know — is refused before anything is written to it;
/// - the release that last opened the folder is recorded in `meta` (`release`), so `status` and the hub can tell.
enum SchemaUpgrade {
    /// What `prepare` found: whether the folder's recorded release must be updated after migrating, and the copy taken
    /// before the migrations (nil when there is nothing to migrate).
    struct Preparation {
        var recordRelease: Bool
        var backup: URL?
    }

    /// Migrates a folder `prepare` has prepared, all or nothing: GRDB runs each migration in its own transaction, so if
    /// one fails, the copy taken before the first is written back over the folder (SQLite's backup API, one write
    /// transaction) and the failure is reported as such. An upgrade is never left half-done.
    static func migrate(_ writer: any DatabaseWriter, path: String, role: ReplicaRole, preparation: Preparation) throws {
        do {
            try ReplicaSchema.migrator(for: role).migrate(writer)
        } catch {
            guard let backup = preparation.backup else { throw error }
            let copy = try DatabaseQueue(path: backup.path)
            try copy.backup(to: writer)
            try copy.close()
            throw ReplicaStoreError(.upgradeFailed(path: path, reason: String(describing: error), backup: backup.path))
        }
    }

    /// Refuses a newer folder; backs up an older one that has migrations to run.
    static func prepare(_ writer: any DatabaseWriter, path: String, role: ReplicaRole) throws -> Preparation {
        let migrator = ReplicaSchema.migrator(for: role)
        let (recorded, superseded, pending) = try writer.read { db -> (String?, Bool, Bool) in
            let recorded = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'release'")
            return (recorded, try migrator.hasBeenSuperseded(db), try !migrator.hasCompletedMigrations(db))
        }
        if let recorded, let release = Int(recorded), release > FundSyncRelease.number {
            throw ReplicaStoreError(.newerRelease(path: path, release: recorded, ownRelease: FundSyncRelease.number))
        }
        if superseded {
            throw ReplicaStoreError(.newerRelease(path: path, release: recorded ?? "unknown (its schema is newer)",
                                                  ownRelease: FundSyncRelease.number))
        }
        guard pending else { return Preparation(recordRelease: recorded != String(FundSyncRelease.number), backup: nil) }
        let from = recorded ?? "1"
        let backup = URL(fileURLWithPath: path).deletingLastPathComponent()
            .appendingPathComponent("replica.before-release-\(FundSyncRelease.number)-from-\(from)-\(Int64(Date().timeIntervalSince1970 * 1000)).sqlite")
        try PrivateFiles.create(backup)
        let destination = try DatabaseQueue(path: backup.path)
        try writer.backup(to: destination)
        try destination.close()
        return Preparation(recordRelease: true, backup: backup)
    }

    /// Records this binary's release as the folder's.
    static func recordRelease(_ writer: any DatabaseWriter) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('release', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [String(FundSyncRelease.number)])
        }
    }
}
