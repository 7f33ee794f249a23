import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 1/6, "errors that keep their meaning": a storage failure while the hub reviews a change is not a verdict.
///
/// Method: the hub's `period_lock` table is made unreadable from outside (renamed with the `sqlite3` command line,
/// as a damaged or locked database would behave) while a county's batch arrives. Release 1 read the period lock with
/// `try?`, skipped the closed-period check and applied the batch. Now the import fails as a whole: nothing is
/// applied, no rejection is written or queued for the county, the file stays where it was, and once the table is
/// readable again the same file applies.
@Suite struct StorageFailureDuringReviewTests {
    @Test func aRegistryReadFailureDuringReviewRejectsNothingAndTheNextImportApplies() throws {
        let (province, files) = try Self.oneExportedVoucher(amount: "42.00")
        defer { province.remove() }
        let county = province.node("340121")
        let replica = province.hub.directory.replica.path
        let hubBefore = try province.hub.store.status()

        try sqlite(replica, "ALTER TABLE period_lock RENAME TO period_lock_unreadable")
        let failed = province.hub.exchange.importFiles(files)
        guard case .failed(_, let message)? = failed.first else {
            Issue.record("a storage failure during review must fail the import, not decide it: \(failed)")
            return
        }
        #expect(message.contains("period_lock"), "the error says what could not be read: \(message)")
        let hubAfterFailure = try province.hub.store.status()
        #expect(hubAfterFailure.versionVector == hubBefore.versionVector, "nothing was applied")
        #expect(hubAfterFailure.rejected == hubBefore.rejected && hubAfterFailure.outbox == hubBefore.outbox,
                "no rejection was written or queued for the county")
        #expect(hubAfterFailure.quarantine == 0 && FileManager.default.fileExists(atPath: files[0].path),
                "the file was neither quarantined nor moved: it waits for a retry")

        try sqlite(replica, "ALTER TABLE period_lock_unreadable RENAME TO period_lock")
        let retried = try expectReceived(province.hub.exchange.importFiles(files))
        #expect(retried.first?.applied == 2 && retried.first?.rejected == 0, "the voucher and the release announcement")
        #expect(try province.hub.store.versionVector()[county.org] == county.store.versionVector()[county.org])
        #expect(try province.hub.verify().isEmpty)
    }

    /// The same for the key lookup while a file is opened: release 1 read the registry with `try?` there, so an
    /// unreadable `node_key` table made a valid file "signed by unknown key" and put it in the quarantine.
    @Test func aRegistryReadFailureWhileOpeningQuarantinesNothingAndTheNextImportApplies() throws {
        let (province, files) = try Self.oneExportedVoucher(amount: "7.00")
        defer { province.remove() }
        let replica = province.hub.directory.replica.path
        try sqlite(replica, "ALTER TABLE node_key RENAME TO node_key_unreadable")
        let failed = province.hub.exchange.importFiles(files)
        guard case .failed(_, let message)? = failed.first else {
            Issue.record("a storage failure while opening must fail the import, not refuse the file: \(failed)")
            return
        }
        #expect(message.contains("node_key"), "\(message)")
        #expect(try province.hub.store.status().quarantine == 0)
        try sqlite(replica, "ALTER TABLE node_key_unreadable RENAME TO node_key")
        let retried = try expectReceived(province.hub.exchange.importFiles(files))
        #expect(retried.first?.applied == 2, "the voucher and the release announcement")
    }

    /// A province with one county that has posted one voucher and exported it; the file is not imported yet.
    private static func oneExportedVoucher(amount: String) throws -> (TestProvince, [URL]) {
        let province = try TestProvince(counties: ["340121"])
        try province.node("340121").post([TestProvince.draft("340121:1002", "340121:6001", amount)])
        return (province, try province.export(from: "340121"))
    }

    private func sqlite(_ database: String, _ statement: String) throws {
        let result = try runProcess("/usr/bin/sqlite3", [database, statement])
        try #require(result.status == 0, "sqlite3 \(statement): \(result.stderr)")
    }
}
