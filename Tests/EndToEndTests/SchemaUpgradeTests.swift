import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Issue 10, "schema upgrades in place". Goal: a release-1 data folder is backed up whole before today's binary
/// migrates it, and records the release that wrote it; a folder of a newer release is refused, unchanged. Method: the
/// frozen release-1 folders (`Protocol/vectors/compat/1/`), the built binary, and the `sqlite3` command line to read
/// the folders and to make one look newer.
@Suite struct SchemaUpgradeTests {
    static func copyOfRelease1(_ office: String, into work: TemporaryDirectory) throws -> String {
        let source = repositoryRoot().appendingPathComponent("Protocol/vectors/compat/1/ed25519/after/\(office)")
        let target = work.url.appendingPathComponent(office)
        try FileManager.default.copyItem(at: source, to: target)
        return target.path
    }

    static func sqlite(_ database: String, _ statement: String) throws -> String {
        let result = try runProcess("/usr/bin/sqlite3", [database, statement])
        #expect(result.status == 0, "sqlite3 \(statement): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aRelease1FolderIsBackedUpBeforeItIsMigratedAndRecordsItsRelease() throws {
        let work = try TemporaryDirectory("schema-upgrade")
        defer { work.remove() }
        let folder = try Self.copyOfRelease1("340122", into: work)
        #expect(try Self.sqlite(folder + "/replica.sqlite", "SELECT COUNT(*) FROM meta WHERE key = 'release';") == "0")
        let status = try runProcess(CLI.binary, ["status", "--data", folder])
        #expect(status.status == 0, "\(status.stderr)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("replica.before-release-2-from-1-") }
        #expect(backups.count == 1, "one backup before the migration: \(backups)")
        let backup = folder + "/" + (backups.first ?? "")
        // The backup is the release-1 schema, untouched: no release-2 migration in it, mode 0600.
        #expect(try Self.sqlite(backup, "SELECT COUNT(*) FROM grdb_migrations WHERE identifier LIKE 'v1_-%' OR identifier LIKE 'v7-%';") == "0")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Self.sqlite(folder + "/replica.sqlite", "SELECT value FROM meta WHERE key = 'release';") == String(FundSyncRelease.number))
        // Opening again migrates nothing, so takes no second backup.
        #expect(try runProcess(CLI.binary, ["verify", "--data", folder]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("replica.before-release-") }.count == 1)
    }

    /// All or nothing: a migration that fails after earlier ones committed leaves no trace; the folder is put back from
    /// the copy taken before the upgrade, and the error says so.
    @Test func anUpgradeThatFailsHalfWayPutsTheFolderBackAsItWas() throws {
        let work = try TemporaryDirectory("schema-failed")
        defer { work.remove() }
        let folder = try Self.copyOfRelease1("340122", into: work)
        let replica = folder + "/replica.sqlite"
        // A table with the name the last migration creates: every migration before it commits, then it fails.
        _ = try Self.sqlite(replica, "CREATE TABLE office_release (planted TEXT);")
        let before = try Self.sqlite(replica, ".dump")
        let failed = try runProcess(CLI.binary, ["status", "--data", folder])
        #expect(failed.status != 0 && failed.stderr.contains("could not be upgraded to FundSync release")
                && failed.stderr.contains("put back exactly as it was"), "\(failed.stderr)")
        #expect(try Self.sqlite(replica, ".dump") == before, "every table and row as before the upgrade")
        #expect(try Self.sqlite(replica, "SELECT COUNT(*) FROM grdb_migrations WHERE identifier LIKE 'v2_-%';") == "0")
        // Once the obstacle is gone, the next open upgrades it.
        _ = try Self.sqlite(replica, "DROP TABLE office_release;")
        #expect(try runProcess(CLI.binary, ["verify", "--data", folder]).status == 0)
        #expect(try Self.sqlite(replica, "SELECT value FROM meta WHERE key = 'release';") == String(FundSyncRelease.number))
    }

    @Test func aFolderOfANewerReleaseIsRefusedAndLeftUnchanged() throws {
        let work = try TemporaryDirectory("schema-newer")
        defer { work.remove() }
        let folder = try Self.copyOfRelease1("340123", into: work)
        #expect(try runProcess(CLI.binary, ["status", "--data", folder]).status == 0)
        let replica = folder + "/replica.sqlite"
        _ = try Self.sqlite(replica, "UPDATE meta SET value = '\(FundSyncRelease.number + 1)' WHERE key = 'release';")
        let before = try Self.sqlite(replica, ".dump")
        let refused = try runProcess(CLI.binary, ["status", "--data", folder])
        #expect(refused.status != 0 && refused.stderr.contains("written by FundSync release \(FundSyncRelease.number + 1)"), "\(refused.stderr)")
        #expect(try Self.sqlite(replica, ".dump") == before, "nothing was written (every table and row as before)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("replica.before-release-") }.count == 1,
                "no backup either: the folder is not this release's to migrate")

        // A schema with a migration this binary does not know is newer too, whatever the recorded release says.
        _ = try Self.sqlite(replica, "UPDATE meta SET value = '\(FundSyncRelease.number)' WHERE key = 'release'; "
                            + "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future');")
        let unknown = try runProcess(CLI.binary, ["status", "--data", folder])
        #expect(unknown.status != 0 && unknown.stderr.contains("newer than this binary"), "\(unknown.stderr)")
    }
}
