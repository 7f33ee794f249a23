import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// DECISIONS, "trust boundaries", with issue 9. Goal: a refusal whose signature verified raises a security alert on the
/// signer's link that stays until an operator clears it with a signed acknowledgement, while the signer's valid batches
/// still apply; a refusal that proves nothing raises nothing; a link whose verified batches keep failing to apply is
/// blocked after 5 attempts and an hour, loudly, and is healthy again once a batch applies.
@Suite struct LinkHealthTests {
    static func forgedBatch(_ province: TestProvince) throws -> (forged: [UInt8], genuine: [URL]) {
        let a = province.node("340121"), b = province.node("340122")
        try a.post([TestProvince.draft("340121:1002", "340121:6001", "12.50")])
        let genuine = try province.export(from: "340121")
        let stolen = try BatchEnvelope.parse([UInt8](Data(contentsOf: try #require(genuine.first)))).decodeChanges().map { Array($0.record) }
        let forged = try BatchSealer.seal(
            BatchAddressing(sender: b.org, recipient: TestProvince.province, batchSequence: 1, firstStreamPosition: 1,
                            ackStreamPosition: 0, ackVector: VersionVector(), createdAtMilliseconds: province.clock.nowMilliseconds()),
            records: stolen, signingKey: b.signingKey)
        return (forged, genuine)
    }

    @Test func aVerifiedRefusalRaisesAnAlertOnTheSignersLinkUntilAnOperatorClearsIt() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        let (forged, genuine) = try Self.forgedBatch(province)
        guard case .failure(let error) = try province.hub.exchange.importBytes(forged, label: "forged.fsb") else {
            Issue.record("the forged batch was received")
            return
        }
        #expect(error.name == "origin-not-authorised")
        _ = try province.hub.exchange.importBytes(forged, label: "forged-again.fsb")  // a replay of the same file
        let alerts = try province.hub.linkHealth().openAlerts
        #expect(alerts.count == 1, "\(alerts)")
        let alert = try #require(alerts.first)
        #expect(alert.link == "340122" && alert.code == "origin-not-authorised")
        #expect(alert.keyID == province.node("340122").signingKey.publicKey.keyID)
        #expect(alert.fileHash == hexString(PayloadHashAlgorithm.sha256.digest(forged)))

        // The signer's own valid batches still apply, and so do everyone else's; the alert stays.
        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "3.00")])
        #expect(try expectReceived(province.hub.exchange.importFiles(try province.export(from: "340122"))).first?.applied ?? 0 >= 1)
        #expect(try expectReceived(province.hub.exchange.importFiles(genuine)).first?.applied ?? 0 >= 1)
        #expect(try province.hub.linkHealth().openAlerts.map(\.id) == [alert.id])

        #expect(throws: RegistryError.self) { try province.hub.clearSecurityAlert(alert.id, by: "", note: "x") }
        try province.hub.clearSecurityAlert(alert.id, by: "Zhou Min (hub administrator)", note: "county 340122 relayed a copied file")
        #expect(try province.hub.linkHealth().openAlerts.isEmpty)
        let cleared = try #require(try province.hub.storage.securityAlerts().first)
        #expect(cleared.clearedBy == "Zhou Min (hub administrator)")
        #expect(SecurityAlertClearance.verify(cleared, with: province.hub.signingKey.publicKey), "the clearance is signed by the hub")
        var altered = cleared
        altered.clearedBy = "someone else"
        #expect(!SecurityAlertClearance.verify(altered, with: province.hub.signingKey.publicKey), "an edited clearance does not verify")
        let again = #expect(throws: RegistryError.self) { try province.hub.clearSecurityAlert(alert.id, by: "x", note: "y") }
        #expect(again?.code == .notFound)
    }

    @Test func aRefusalThatProvesNothingRaisesNoAlert() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "3.00")])
        var bytes = [UInt8](try Data(contentsOf: try #require(try province.export(from: "340122").first)))
        bytes[bytes.count / 2] ^= 0x20
        guard case .failure(let error) = try province.hub.exchange.importBytes(bytes, label: "flipped.fsb") else {
            Issue.record("the altered batch was received")
            return
        }
        #expect(!error.isAuthenticated)
        #expect(try province.hub.linkHealth().openAlerts.isEmpty, "a bad signature proves nothing about 340122")
    }

    @Test func aLinkWhoseBatchesKeepFailingToApplyIsBlockedAfterFiveAttemptsAndAnHourThenHealsOnSuccess() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        try province.node("340121").post([TestProvince.draft("340121:1002", "340121:6001", "42.00")])
        let files = try province.export(from: "340121")
        let replica = province.hub.directory.replica.path
        try sqlite(replica, "ALTER TABLE period_lock RENAME TO period_lock_unreadable")
        for attempt in 1...6 {
            guard case .failed? = province.hub.exchange.importFiles(files).first else {
                Issue.record("attempt \(attempt) did not fail")
                return
            }
            let failing = try #require(try province.hub.linkHealth().failingLinks.first)
            #expect(failing.peer == "340121" && failing.attempts == attempt && failing.lastError.contains("period_lock"))
            // Five or six attempts within 50 minutes are not enough: the hour has not passed yet.
            #expect(try province.hub.blockedLinks().isEmpty, "attempt \(attempt) is within the first hour")
            province.clock.advance(milliseconds: 10 * 60_000)
        }
        #expect(try province.hub.blockedLinks().map(\.peer) == ["340121"], "6 attempts over an hour: blocked")
        #expect(try province.hub.linkHealth().openAlerts.isEmpty, "a storage failure is not the county's doing")

        try sqlite(replica, "ALTER TABLE period_lock_unreadable RENAME TO period_lock")
        #expect(try expectReceived(province.hub.exchange.importFiles(files)).first?.applied == 2, "the voucher and the release announcement")
        #expect(try province.hub.linkHealth().failingLinks.isEmpty && province.hub.blockedLinks().isEmpty, "healthy again")
    }

    private func sqlite(_ database: String, _ statement: String) throws {
        let result = try runProcess("/usr/bin/sqlite3", [database, statement])
        try #require(result.status == 0, "sqlite3 \(statement): \(result.stderr)")
    }
}
