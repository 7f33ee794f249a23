import BankPayments
import Foundation
import HubClient
import HubCore
import LedgerCore
import ReplicaStore
import SimulatedBank
import SyncTesting
import Testing

/// 7/7 item 3, the host-to-host link: the hub pays through a bank reached over HTTPS with mutual TLS. The bank is the
/// simulated bank's door (`fundsync bank-sim serve`, a real process), its certificates made with the `openssl` command
/// line: the bank's server certificate for 127.0.0.1 from the bank's CA, the hub's client certificate from the hub's CA,
/// and a stranger's client certificate from a third CA.
@Suite(.serialized) struct HTTPBankLinkTests {
    static func makeCertificates(in folder: TemporaryDirectory) throws {
        func openssl(_ arguments: [String]) throws {
            let result = try runProcess("/usr/bin/openssl", arguments)
            #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        for ca in ["bank-ca", "hub-ca", "stranger-ca"] {
            try openssl(["req", "-x509"] + ec + ["-keyout", folder.path("\(ca).key"), "-out", folder.path("\(ca).pem"), "-days", "30",
                                                "-subj", "/CN=\(ca)"])
        }
        try "subjectAltName = IP:127.0.0.1\n".write(toFile: folder.path("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage = clientAuth\n".write(toFile: folder.path("client.ext"), atomically: true, encoding: .utf8)
        for (name, ca, ext) in [("bank", "bank-ca", "server.ext"), ("hub", "hub-ca", "client.ext"), ("stranger", "stranger-ca", "client.ext")] {
            try openssl(["req"] + ec + ["-keyout", folder.path("\(name).key"), "-out", folder.path("\(name).csr"), "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", folder.path("\(name).csr"), "-CA", folder.path("\(ca).pem"), "-CAkey", folder.path("\(ca).key"),
                         "-CAcreateserial", "-out", folder.path("\(name).pem"), "-days", "30", "-extfile", folder.path(ext)])
        }
    }

    /// A running `fundsync bank-sim serve` on a port the OS picked.
    final class BankDoor {
        let process = Process()
        let log: URL
        private(set) var url = ""

        init(folder: TemporaryDirectory, bankFolder: URL) throws {
            log = folder.url.appendingPathComponent("bank-door.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: FundSyncProcesses.binary)
            process.arguments = ["bank-sim", "serve", "--folder", bankFolder.path, "--listen", "127.0.0.1:0",
                                 "--tls-certificate", folder.path("bank.pem"), "--tls-key", folder.path("bank.key"),
                                 "--client-ca", folder.path("hub-ca.pem")]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"https://127\.0\.0\.1:[0-9]+/v1"#, options: .regularExpression) {
                    url = String(text[range])
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            stop()
            throw HubServerProcess.ServerDidNotStart(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// Payments entered at a county on 2 November and released at the hub.
    static func released(_ province: BusinessProvince, count: Int) throws -> [String] {
        let county = "340121", node = province.node(county)
        var ids: [String] = []
        for index in 0..<count {
            ids.append(try node.enterPayment(account: BusinessProvince.expense(county), payee: "合肥路桥工程有限公司 \(index + 1)",
                                             payeeAccount: "62220000111122\(20 + index)", amount: AmountMinorUnits(Int64(100_000 * (index + 1))),
                                             date: BusinessDate("2026-11-02")!, purpose: "道路养护 \(index + 1)", expenseAccount: "\(county):6602",
                                             signatures: BusinessProvince.clerks(county), payeeKind: .organisation, basis: nil))
        }
        try province.sync(county)
        for id in ids { try province.hub.releasePayment(id, by: "hub-supervisor") }
        return ids
    }

    /// A province, the certificates, and the bank's door on the province's bank folder; `remove()` ends them all.
    struct Setting {
        let province: BusinessProvince
        let certificates: TemporaryDirectory
        let bankFolder: URL
        let door: BankDoor

        init() throws {
            province = try BusinessProvince()
            certificates = try TemporaryDirectory("fundsync-bank-tls")
            try HTTPBankLinkTests.makeCertificates(in: certificates)
            bankFolder = province.base.root.url.appendingPathComponent("bank")
            door = try BankDoor(folder: certificates, bankFolder: bankFolder)
        }

        func remove() {
            door.stop()
            certificates.remove()
            province.remove()
        }
    }

    static func link(_ door: BankDoor, _ folder: TemporaryDirectory, client: String = "hub", trusting ca: String = "bank-ca") throws -> HTTPBankLink {
        try HTTPBankLink(.init(url: door.url, certificate: folder.path("\(client).pem"), key: folder.path("\(client).key"),
                               trustedCA: folder.path("\(ca).pem")))
    }

    @Test(.timeLimit(.minutes(3))) func paymentsGoOutAndAnswersComeBackOverMutualTLS() throws {
        let setting = try Setting()
        defer { setting.remove() }
        let (province, certificates, bankFolder, door, hub) = (setting.province, setting.certificates, setting.bankFolder, setting.door, setting.province.hub)
        let ids = try Self.released(province, count: 2)
        let link = try Self.link(door, certificates)

        let sent = try hub.sendBankInstructions(link: link)
        #expect(sent.delivered.count == 1 && sent.delivered[0].hasPrefix("340000-M000001-") && sent.instructionsSent == 2)
        let name = try #require(sent.delivered.first)
        #expect(FileManager.default.fileExists(atPath: bankFolder.appendingPathComponent("outbox/\(name).xml").path),
                "stored at the bank as a front-end machine leaves it")
        // A repeated delivery of the same bytes is the same message; other bytes under its id are refused.
        let stored = try Data(contentsOf: bankFolder.appendingPathComponent("outbox/\(name).xml"))
        try link.deliver(stored, name: name)
        #expect(throws: HTTPBankLinkError.self) { try link.deliver(Data("<Document/>".utf8), name: name) }
        #expect(try link.knowledge(of: ids, messageName: name, bytes: stored) == [ids[0]: .knows, ids[1]: .knows])
        #expect(try link.knowledge(of: ids, messageName: name, bytes: Data("<Document/>".utf8)) == [ids[0]: .cannotTell, ids[1]: .cannotTell],
                "another message under its name (a hub restored from a backup) is not this one")
        #expect(try link.knowledge(of: ids, messageName: "340000-M000099-X", bytes: stored) == [ids[0]: .doesNotKnow, ids[1]: .doesNotKnow],
                "the bank itself says it never had it")
        #expect(throws: HTTPBankLinkError.self, "no path through a name") { try link.deliver(stored, name: "../escape") }

        let bank = try SimulatedBank(folder: bankFolder, behaviour: SimulatedBankBehaviour(
            rejects: [ids[1]: SimulatedBankReason(code: "AC04", text: "收款账户已销户")]), bookingDate: BusinessDate("2026-11-03")!)
        let run = try bank.run()
        #expect(run.paid == [ids[0]] && run.rejected == [ids[1]] && bank.paidTwice.isEmpty)
        let answers = try hub.receiveBankFiles(link: link)
        #expect(answers.refused.isEmpty, "\(answers.refused)")
        #expect(answers.settled == [ids[0]: "2026-11-03"] && answers.payments == [ids[0]: "paid 2026-11-03", ids[1]: "returned 2026-11-02"])
        #expect(answers.rejected[ids[1]]?.contains("AC04") == true)
        #expect(try link.incoming().isEmpty, "every answer acknowledged")
        let done = try FileManager.default.contentsOfDirectory(atPath: bankFolder.appendingPathComponent("inbox/done").path)
        #expect(done.count == answers.files.count && !done.isEmpty)
    }

    /// After a delivery whose outcome the hub did not record, the bank's definite "not here" resends the instructions
    /// without a person; a client the bank's CA list does not vouch for, or a server the hub's CA does not, gets nothing
    /// through and changes nothing.
    @Test(.timeLimit(.minutes(3))) func theBankIsAskedAfterAnUncertainDeliveryAndStrangersAreRefused() throws {
        let setting = try Setting()
        defer { setting.remove() }
        let (province, certificates, bankFolder, door, hub) = (setting.province, setting.certificates, setting.bankFolder, setting.door, setting.province.hub)
        let ids = try Self.released(province, count: 1)

        let stranger = try Self.link(door, certificates, client: "stranger")
        let refused = #expect(throws: HTTPBankLinkError.self, "the handshake refuses a client certificate of another CA") {
            try hub.sendBankInstructions(link: stranger)
        }
        #expect(refused?.description.contains("UNKNOWN_CA") == true, "\(String(describing: refused))")
        let wrongServer = try Self.link(door, certificates, trusting: "hub-ca")
        let distrusted = #expect(throws: HTTPBankLinkError.self, "the hub refuses a bank certificate its CA file does not vouch for") {
            try hub.sendBankInstructions(link: wrongServer)
        }
        #expect(distrusted?.description.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: distrusted))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bankFolder.appendingPathComponent("outbox").path)
            .filter { $0.hasSuffix(".xml") }.isEmpty, "nothing reached the bank")
        #expect(try hub.storage.bankInstruction(ids[0])?.state == .sending, "stored in its message, delivery not recorded")

        let next = try hub.sendBankInstructions(link: try Self.link(door, certificates))
        #expect(next.requeued.map { String($0.prefix(15)) } == ["340000-M000001-"], "the bank said it never had it: requeued without a person")
        #expect(next.delivered.map { String($0.prefix(15)) } == ["340000-M000002-"] && next.waiting.isEmpty)
        #expect(try hub.storage.bankInstruction(ids[0])?.state == .sent)
        #expect(throws: HTTPBankLinkError.self, "plain HTTP is refused when the link is made") {
            try HTTPBankLink(.init(url: "http://127.0.0.1:1/v1", certificate: certificates.path("hub.pem"), key: certificates.path("hub.key"),
                                   trustedCA: nil))
        }
    }
}
