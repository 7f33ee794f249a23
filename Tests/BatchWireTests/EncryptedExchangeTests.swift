import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// A whole hub ↔ node exchange, in process with real batch files, with SM2 keys and with encrypted batches:
/// registry down, vouchers up, acknowledgements back; and the refusals an office sees when keys do not fit.
@Suite struct EncryptedExchangeTests {
    @Test(arguments: [(SignatureAlgorithm.sm2sm3, false), (.sm2sm3, true), (.ed25519, true)])
    func hubAndNodeExchangeEverything(algorithm: SignatureAlgorithm, encrypt: Bool) throws {
        let province = try TestProvince(counties: ["340122"], algorithm: algorithm, encrypt: encrypt)
        defer { province.remove() }
        let county = province.node("340122")
        #expect(province.hub.signingKey.algorithm == algorithm && county.signingKey.algorithm == algorithm)
        #expect(try county.store.read { try $0.nodeKeys() }.map(\.algorithm) == [algorithm, algorithm], "the registry reached the node")
        try county.post([TestProvince.draft("340122:1002", "340122:6001", "5000.00", memo: "income"),
                         TestProvince.draft("340122:3001.01", "340122:1002", "4800.00", memo: "sweep")])
        let files = try province.export(from: "340122")
        #expect(files.count == 1)
        let envelope = try BatchEnvelope.parse(try BatchFiles.read(files[0]))
        #expect(envelope.header.signatureAlgorithm == algorithm)
        #expect(envelope.header.payloadHashAlgorithm == (algorithm == .sm2sm3 ? .sm3 : .sha256))
        #expect(envelope.header.formatVersion == (encrypt ? 2 : 1))
        #expect(envelope.header.encryption?.algorithm == (encrypt ? EncryptionAlgorithm(companionOf: algorithm) : nil))
        let outcome = try expectReceived(province.hub.exchange.importFiles(files + files))
        #expect(outcome[0].applied == 3 && outcome[1].isAlreadyApplied, "two vouchers and the node's release announcement (§6.28)")
        try province.deliverFromHub()  // carries the acknowledgement (and is itself encrypted when `encrypt`)
        #expect(try county.store.status().outbox == 0)
        #expect(try province.hub.store.balances(org: county.org) == county.store.balances(org: county.org))
        #expect(try province.hub.verify().isEmpty)
        #expect(try county.verify().isEmpty)
    }

    @Test func aBatchForAnotherEncryptionKeyIsQuarantinedWithTheReason() throws {
        let province = try TestProvince(counties: ["340122"], encrypt: true)
        defer { province.remove() }
        try province.node("340122").post([TestProvince.draft("340122:1002", "340122:6001", "1.00")])
        let files = try province.export(from: "340122")
        // The hub's encryption key is replaced (say, restored from the wrong backup) after the node encrypted for it.
        let keyFiles = province.hub.encryptionKeyFiles
        try FileManager.default.removeItem(at: keyFiles.privateKey)
        try keyFiles.writeKeyPair(try EncryptionPrivateKey.generate(.x25519AES256GCM))
        let results = province.hub.exchange.importFiles(files)
        guard case .refused(_, let error, let quarantined) = results.first else {
            Issue.record("expected a refusal, got \(results)")
            return
        }
        #expect(error.name == "encrypted-for-another-key")
        let reason = try String(contentsOfFile: quarantined.path + ".reason", encoding: .utf8)
        #expect(reason.contains("code: encrypted-for-another-key\nreason: the batch is encrypted for another key"))
    }

    @Test func encryptingWithoutTheRecipientsKeyIsRefusedBeforeAnythingIsWritten() throws {
        let province = try TestProvince(counties: [])
        defer { province.remove() }
        let root = province.root
        // A node set up the old way: no hub encryption key given, and enrolled without its encryption key.
        let node = try Node.initialize(directory: DataDirectory(root.path("340122")), org: OrgCode("340122")!,
                                       hubKeyPEM: province.hub.signingKey.publicKey.pem, clock: province.clock)
        try province.hub.enroll(org: node.org, parent: TestProvince.city, name: "County", level: .county,
                                publicKeyPEM: node.signingKey.publicKey.pem)
        let down = try root.folder("down")
        let hubError = #expect(throws: (any Error).self) { try province.hub.export(to: down, encrypt: true) }
        #expect(hubError.map { String(describing: $0) }?.hasPrefix("no encryption key is on file for 340122") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: down.path).isEmpty)
        _ = try expectReceived(node.exchange.importFiles(try province.hub.export(to: down)))
        let nodeError = #expect(throws: (any Error).self) { try node.export(to: try root.folder("up"), encrypt: true) }
        #expect(nodeError.map { String(describing: $0) }?.hasPrefix("the hub's encryption key is not on file") == true)
    }
}
