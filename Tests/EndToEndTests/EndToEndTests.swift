@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// The built `fundsync` binary on real files: a hub and two counties, offline posting, files carried both ways
/// shuffled and duplicated, a voucher refused by the hub coming back rejected, and every kind of bad file refused
/// with its own message while the replica stays exactly as it was.
@Suite(.serialized) struct EndToEndTests {
    @Test func offlineCountiesConvergeWithTheHub() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-e2e"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121", "340122"])
        // The hub freezes a bank-deposit account while 340122 is offline; 340122 still pays from it.
        try cli.run(["hub", "staff", "--data", cli.path("hub"), "--id", "hub-manager", "--org", "340000", "--name", "Zhou Min",
                     "--roles", "fund_centre_manager"])
        try cli.run(["hub", "account", "freeze", "--data", cli.path("hub"), "--account", "340122:1002", "--reason", "court order",
                     "--by", "hub-manager", "--on", "2026-11-02", "--from", "2026-11-02"])
        let vouchers = """
            {"vouchers": [
              {"date": "2026-11-02", "memo": "income received", "preparer": "Wang Fang",
               "lines": [{"account": "ORG:1002", "debit": "12500.00"}, {"account": "ORG:6001", "credit": "12500.00"}]},
              {"date": "2026-11-02", "memo": "sweep to HQ", "preparer": "Wang Fang",
               "lines": [{"account": "ORG:3001.01", "debit": "12000.00"}, {"account": "ORG:1002", "credit": "12000.00"}]}
            ]}
            """
        var carried: [String] = []
        for county in ["340121", "340122"] {
            let file = try cli.writeVouchers("\(county)-day1.json", vouchers.replacingOccurrences(of: "ORG", with: county))
            let posted = try cli.run(["post", "--data", cli.path(county), file]).stdout
            #expect(posted.contains("\(county)-V000001") && posted.contains("2 voucher(s) posted"))
            try cli.run(["export", "--data", cli.path(county), "--to", cli.path("up1")])
            let day2 = try cli.writeVouchers("\(county)-day2.json", """
                [{"date": "2026-11-03", "memo": "income", "preparer": "Li Na",
                  "lines": [{"account": "\(county):1002", "debit": "3.05"}, {"account": "\(county):6001", "credit": "3.05"}]}]
                """)
            try cli.run(["post", "--data", cli.path(county), day2])
            try cli.run(["export", "--data", cli.path(county), "--to", cli.path("up2")])
        }
        carried = try cli.files(in: "up1") + cli.files(in: "up2")
        var generator = SeededGenerator(seed: 2026)
        let shuffled = (carried + carried.prefix(2)).shuffled(using: &generator)
        for file in shuffled { try cli.run(["import", "--data", cli.path("hub"), file]) }

        let hubVector = try cli.versionVector("hub")
        for county in ["340121", "340122"] {
            // Three vouchers each, plus the audit entries of the posts and exports, all at the hub.
            #expect(hubVector[county] == (try cli.versionVector(county))[county], "\(county)")
            #expect((hubVector[county] ?? 0) >= 3)
        }
        let rejected = try cli.run(["rejections", "--data", cli.path("hub")]).stdout
        #expect(rejected.contains("340122:1") && rejected.contains("frozen"), "\(rejected)")

        // Files go back down, the counties' acknowledgements (and the audit of their exports) go up, and the
        // hub's acknowledgement of those comes down.
        try cli.run(["export", "--data", cli.path("hub"), "--to", cli.path("down1")])
        for county in ["340121", "340122"] { try cli.run(["import", "--data", cli.path(county), cli.path("down1")]) }
        for county in ["340121", "340122"] { try cli.run(["export", "--data", cli.path(county), "--to", cli.path("up3")]) }
        try cli.run(["import", "--data", cli.path("hub"), cli.path("up3")])
        try cli.run(["export", "--data", cli.path("hub"), "--to", cli.path("down2")])
        for county in ["340121", "340122"] { try cli.run(["import", "--data", cli.path(county), cli.path("down2")]) }
        let finalHubVector = try cli.versionVector("hub")

        let countyRejections = try cli.run(["rejections", "--data", cli.path("340122")]).stdout
        #expect(countyRejections.contains("voucher 340122-V000001 rejected by the hub") && countyRejections.contains("340122:1002 is frozen"))
        for county in ["340121", "340122"] {
            #expect(try cli.balances("hub", org: county) == cli.balances(county), "books of \(county) agree")
            #expect(try cli.versionVector(county)[county] == finalHubVector[county])
            let status = try cli.json(["status", "--data", cli.path(county), "--json"])
            #expect(status["outbox"] as? Int == 0 && status["pending"] as? Int == 0)
            try cli.run(["verify", "--data", cli.path(county)])
        }
        // All three of 340122's vouchers touch the frozen account, so all three come back rejected.
        #expect((try cli.json(["status", "--data", cli.path("340122"), "--json"])["rejected"] as? Int) == 3)
        let accepted = try cli.balances("340121").first { ($0["account"] as? String) == "340121:1002" }
        #expect(accepted?["balanceMinorUnits"] == AnyHashable(50_305))
        try cli.run(["verify", "--data", cli.path("hub")])
        #expect(try cli.json(["status", "--data", cli.path("hub"), "--json"])["outbox"] as? Int == 0)

        // Every change is audited in its own transaction: one entry per post (two vouchers, one entry), one per export
        // written before it, and one per import that applied something, with what it applied. The county's entries
        // reached the hub; an import that brought only an acknowledgement left none.
        let audit = try cli.jsonArray(["audit", "--data", cli.path("hub"), "--org", "340121", "--json"])
        let actions = audit.compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "post" }.count == 2 && actions.filter { $0 == "export" }.count == 3, "\(actions)")
        let imports = audit.filter { ($0["action"] as? String) == "import" }
        // Two imports applied something at 340121: the hub's staff record and freeze (registry), then its answers.
        #expect(imports.count == 2 && imports.allSatisfy { ($0["detail"] as? String)?.contains("change(s) applied") == true }, "\(imports)")
        let hubImports = try cli.jsonArray(["audit", "--data", cli.path("hub"), "--org", "340000", "--json"])
            .filter { ($0["action"] as? String) == "import" }
        #expect(hubImports.count >= 4 && hubImports.allSatisfy { ($0["detail"] as? String)?.contains("from 3401") == true })
    }

    @Test func everyKindOfBadFileIsRefusedQuarantinedAndChangesNothing() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-e2e-bad"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121", "340122"])
        let post = try cli.writeVouchers("v.json", """
            [{"date": "2026-11-02", "memo": "income", "preparer": "Li Na", "lines": [{"account": "340121:1002", "debit": "1.00"}, {"account": "340121:6001", "credit": "1.00"}]}]
            """)
        try cli.run(["post", "--data", cli.path("340121"), post])
        try cli.run(["export", "--data", cli.path("340121"), "--to", cli.path("up")])
        let good = try cli.files(in: "up")[0]
        let goodBytes = try BatchFiles.read(URL(fileURLWithPath: good))
        try cli.run(["import", "--data", cli.path("hub"), good])
        try cli.run(["export", "--data", cli.path("hub"), "--to", cli.path("down")])
        let hubToCounty = try cli.files(in: "down").first { $0.contains("-to-340121-") }!

        let countyKey = try SigningKey(pem: String(contentsOfFile: cli.path("340121/private.key"), encoding: .utf8))
        let stranger = try SigningKey.generate(.ed25519)
        func sealed(_ key: SigningKey, recipient: String = "340000", sequence: UInt64 = 9) throws -> [UInt8] {
            try BatchSealer.seal(BatchAddressing(sender: OrgCode("340121")!, recipient: OrgCode(recipient)!, batchSequence: sequence,
                                                 firstStreamPosition: 0, ackStreamPosition: 0, ackVector: VersionVector(),
                                                 createdAtMilliseconds: 0), records: [], signingKey: key)
        }
        var flipped = goodBytes
        flipped[flipped.count / 2] ^= 0x20
        var version = goodBytes
        version[8] = 2
        let cases: [(name: String, bytes: [UInt8], reason: String)] = [
            ("flipped.fsb", flipped, "altered"),
            ("truncated.fsb", Array(goodBytes.dropLast(7)), "truncated"),
            ("empty.fsb", [], "empty"),
            ("photo.fsb", Array("\u{FF}\u{D8}JFIF not a batch".utf8), "not a FundSync batch"),
            ("unknown-key.fsb", try sealed(stranger), "unknown key"),
            ("version.fsb", version, "version 2 is not supported"),
            ("bomb.fsb", try bomb(key: countyKey), "more than the"),
        ]
        let vectorBefore = try cli.versionVector("hub")
        let balancesBefore = try cli.balances("hub")
        for (index, item) in cases.enumerated() {
            let file = cli.path(item.name)
            try Data(item.bytes).write(to: URL(fileURLWithPath: file))
            let result = try cli.run(["import", "--data", cli.path("hub"), file], status: 1)
            #expect(result.stderr.contains("refused \(item.name)") && result.stderr.contains(item.reason), "\(item.name): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("0x0"), "no stack trace")
            #expect(FileManager.default.fileExists(atPath: cli.path("hub/quarantine/\(item.name).reason")))
            #expect(FileManager.default.fileExists(atPath: file), "copied into the quarantine; the original stays")
            let status = try cli.json(["status", "--data", cli.path("hub"), "--json"])
            #expect(status["quarantine"] as? Int == index + 1)
        }
        #expect(try cli.versionVector("hub") == vectorBefore)
        #expect(try cli.balances("hub") == balancesBefore)

        // A file addressed to another office is skipped, left where it is and not quarantined.
        let other = cli.path("other-recipient.fsb")
        try Data(try sealed(countyKey, recipient: "340122")).write(to: URL(fileURLWithPath: other))
        let skipped = try cli.run(["import", "--data", cli.path("hub"), other]).stdout
        #expect(skipped.contains("skipped other-recipient.fsb: addressed to 340122"), "\(skipped)")
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: cli.path("hub/quarantine/other-recipient.fsb")))

        // A node skips a hub batch meant for another node; a batch imported twice is a no-op.
        #expect(try cli.run(["import", "--data", cli.path("340122"), hubToCounty]).stdout.contains("skipped"))
        try Data(goodBytes).write(to: URL(fileURLWithPath: good))
        let replay = try cli.run(["import", "--data", cli.path("hub"), good]).stdout
        #expect(replay.contains("already applied"))
        #expect(try cli.versionVector("hub") == vectorBefore)

        // A revoked key's later batches are refused.
        let keyID = try SigningKey(pem: String(contentsOfFile: cli.path("340121/private.key"), encoding: .utf8)).publicKey.keyID
        try cli.run(["hub", "key", "revoke", "--data", cli.path("hub"), "--key-id", keyID])
        try cli.run(["post", "--data", cli.path("340121"), post])
        try cli.run(["export", "--data", cli.path("340121"), "--to", cli.path("up-revoked")])
        let revoked = try cli.run(["import", "--data", cli.path("hub"), cli.path("up-revoked")], status: 1)
        #expect(revoked.stderr.contains("revoked key"))
        #expect(try cli.versionVector("hub")["340121"] == vectorBefore["340121"], "nothing of the revoked key's batch was applied")

        // Errors are one sentence on stderr.
        // A county's vouchers posted at the hub are refused: the hub posts only its own (with a reviewer).
        let wrongRole = try cli.run(["post", "--data", cli.path("hub"), post], status: 1)
        #expect(wrongRole.stderr.split(separator: "\n").count == 1, "\(wrongRole.stderr)")
        let missing = try cli.run(["status", "--data", cli.path("nowhere")], status: 1)
        #expect(missing.stderr.contains("no FundSync replica"))
        let mode = try FileManager.default.attributesOfItem(atPath: cli.path("340121/private.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A correctly signed batch whose 4 MiB payload of zeros claims to be 1,000 bytes: what a hostile sender
    /// holding a valid key could send.
    func bomb(key: SigningKey) throws -> [UInt8] {
        let compressed = Deflate.compress([UInt8](repeating: 0, count: 4 * 1024 * 1024))
        let header = BatchHeader(signatureAlgorithm: .ed25519, payloadHashAlgorithm: .sha256, sender: OrgCode("340121")!,
                                 recipient: OrgCode("340000")!, batchSequence: 5, firstStreamPosition: 1, ackStreamPosition: 0,
                                 ackVector: VersionVector(), createdAtMilliseconds: 0, changeCount: 1, payloadSizeBytes: 1000,
                                 payloadSizeBytesCompressed: UInt32(compressed.count),
                                 payloadHash: PayloadHashAlgorithm.sha256.digest(compressed), keyID: key.publicKey.keyID)
        let headerBytes = header.encoded()
        let signature = try key.sign(headerBytes[...])
        var file = headerBytes
        file += compressed
        file += [UInt8(signature.count >> 8), UInt8(signature.count & 0xff)]
        file += signature
        return file
    }
}
