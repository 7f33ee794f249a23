import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// `fundsync-bench signatures [N]` (4/6): what personal signatures cost. The same N two-line vouchers are posted,
/// sealed and imported twice in one run — unsigned (an office of release 1) and signed by a preparer and a reviewer
/// with certified Ed25519 keys — and the difference is the hub's cost of the signature checks per document. Also the
/// raw verification of one signature (Ed25519, SM2) with libcrypto, and the bytes a signed document adds on the wire.
enum SignatureBenchmark {
    static let preparer = "340122-wangfang", reviewer = "340122-lijun"

    static func run(count: Int) throws {
        Benchmark.say("FundSync signature benchmark: \(count) vouchers of 2 lines each, unsigned and then signed by 2 people")
        let unsigned = try importRun(count: count, signed: false)
        let signed = try importRun(count: count, signed: true)
        Benchmark.say(Benchmark.row("hub import, unsigned", "\(Benchmark.rate(count, unsigned.seconds)) changes/s",
                                    "(\(Benchmark.seconds(unsigned.seconds)) s; \(String(format: "%.1f", unsigned.bytesPerChange)) B/change on the wire)"))
        Benchmark.say(Benchmark.row("hub import, 2 signatures each", "\(Benchmark.rate(count, signed.seconds)) changes/s",
                                    "(\(Benchmark.seconds(signed.seconds)) s; \(String(format: "%.1f", signed.bytesPerChange)) B/change on the wire)"))
        let perDocument = (signed.seconds - unsigned.seconds) / Double(count) * 1_000_000
        Benchmark.say(Benchmark.row("signature checks per document at the hub", String(format: "%.0f µs", perDocument),
                                    "(2 signatures: certificate lookups, registry-version rules, 2 verifications)"))
        for algorithm in [SignatureAlgorithm.ed25519, .sm2sm3] {
            let key = try SigningKey.generate(algorithm)
            let message = Array(repeating: UInt8(7), count: 400)
            let signature = try key.sign(message[...])
            let rounds = 2_000
            var valid = 0
            let seconds = Benchmark.measure {
                for _ in 0..<rounds where key.publicKey.verify(signature: signature[...], message: message[...]) { valid += 1 }
            }
            precondition(valid == rounds)
            Benchmark.say(Benchmark.row("verify one \(algorithm.name) signature",
                                        String(format: "%.0f µs", seconds / Double(rounds) * 1_000_000), "(400-byte document, \(rounds) rounds)"))
        }
        let file = try PersonalKeyFile.encrypt(try SigningKey.generate(.ed25519), passphrase: "benchmark passphrase")
        let unlock = try Benchmark.measure { _ = try PersonalKeyFile.decrypt(file, passphrase: "benchmark passphrase") }
        Benchmark.say(Benchmark.row("unlock a key file",
                                    String(format: "%.0f ms", unlock * 1_000), "(PBKDF2-SHA256, \(PersonalKeyFile.iterations) rounds; once per person and session with the key agent)"))
    }

    static func importRun(count: Int, signed: Bool) throws -> (seconds: Double, bytesPerChange: Double) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-bench-sig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let (hub, node) = try Benchmark.setUp(root: root)
        let county = OrgCode("340122")!
        try hub.putStaff(StaffMember(id: "340000-keyofficer", org: hub.org, name: "Key officer", roles: [.fundCentreManager]))
        try hub.putStaff(StaffMember(id: preparer, org: county, name: "Wang Fang", roles: [.cashier]))
        try hub.putStaff(StaffMember(id: reviewer, org: county, name: "Li Jun", roles: [.financeManager]))
        let keyring = PersonalKeyring()
        if signed {
            for staff in [preparer, reviewer] {
                let key = try SigningKey.generate(.ed25519)
                keyring.add(key, for: staff)
                try hub.certifyStaffKey(staff: staff, publicKey: key.publicKey, validUntil: BusinessDate("2027-12-31")!, by: "340000-keyofficer")
            }
            node.store.signer = keyring
        }
        _ = node.exchange.importFiles(try hub.export(to: root.appendingPathComponent("down2")))
        try Benchmark.deliverAnnouncement(of: node, to: hub, root: root)
        var posted = 0
        while posted < count {
            let chunk = min(1_000, count - posted)
            try node.post((0..<chunk).map { index in
                VoucherDraft(date: "2026-11-02", memo: "income advice \(posted + index)", preparer: preparer, lines: [
                    .init(account: "\(county):1002", debit: "\(1 + (posted + index) % 99_999).00"),
                    .init(account: "\(county):6001", credit: "\(1 + (posted + index) % 99_999).00"),
                ], reviewer: reviewer)
            })
            posted += chunk
        }
        let files = try node.export(to: root.appendingPathComponent("carried"))
        let bytes = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? NSNumber)?.intValue ?? 0) }
        var applied = 0
        let seconds = Benchmark.measure {
            for case .received(_, _, let outcome) in hub.exchange.importFiles(files) { applied += outcome.applied }
        }
        precondition(applied == count, "hub applied \(applied) of \(count)")
        return (seconds, Double(bytes) / Double(count))
    }
}
