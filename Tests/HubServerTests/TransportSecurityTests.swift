import Foundation
import SyncTesting
import Testing

/// Finding 5 of 2/6 (no transport security). Goal: `hub serve` speaks TLS with the certificate and key it is given, and
/// `sync` trusts only the hub certificates its CA file vouches for. Method: real processes on 127.0.0.1; a test CA and a
/// hub certificate for 127.0.0.1 made with the `openssl` command line; a second, unrelated CA.
@Suite(.serialized) struct TransportSecurityTests {
    /// Makes `ca.pem`/`ca.key`, `hub.pem`/`hub.key` (signed by that CA, for IP 127.0.0.1) and `other-ca.pem` in `folder`.
    static func makeCertificates(in folder: TemporaryDirectory) throws {
        func openssl(_ arguments: [String]) throws {
            let result = try runProcess("/usr/bin/openssl", arguments)
            #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", folder.path("ca.key"), "-out", folder.path("ca.pem"), "-days", "30",
                                            "-subj", "/CN=FundSync Test CA"])
        try openssl(["req", "-x509"] + ec + ["-keyout", folder.path("other-ca.key"), "-out", folder.path("other-ca.pem"), "-days", "30",
                                            "-subj", "/CN=Someone Else"])
        try openssl(["req"] + ec + ["-keyout", folder.path("hub.key"), "-out", folder.path("hub.csr"), "-subj", "/CN=127.0.0.1"])
        try "subjectAltName = IP:127.0.0.1\n".write(toFile: folder.path("hub.ext"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", folder.path("hub.csr"), "-CA", folder.path("ca.pem"), "-CAkey", folder.path("ca.key"),
                     "-CAcreateserial", "-out", folder.path("hub.pem"), "-days", "30", "-extfile", folder.path("hub.ext")])
    }

    @Test(.timeLimit(.minutes(3))) func theHubServesOverTLSAndSyncRefusesACertificateItsCADoesNotVouchFor() throws {
        let cli = FundSyncProcesses(folder: try TemporaryDirectory("fundsync-tls"))
        defer { cli.folder.remove() }
        try Self.makeCertificates(in: cli.folder)
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui Province"])
        try cli.run(["node", "init", "--data", cli.path("340121"), "--org", "340121", "--hub-key", cli.path("hub/public.key")])
        try cli.run(["hub", "enroll", "--data", cli.path("hub"), "--org", "340121", "--parent", "340000", "--name", "Feixi",
                     "--key", cli.path("340121/public.key")])

        let started = Result {
            try HubServerProcess(data: cli.path("hub"), logURL: cli.folder.url.appendingPathComponent("hub.log"),
                                 extraArguments: ["--tls-certificate", cli.path("hub.pem"), "--tls-key", cli.path("hub.key")])
        }
        do {
            let server = try started.get()
            defer { server.stop() }
            #expect(server.url.hasPrefix("https://127.0.0.1:"), "\(server.log)")
            let refused = try cli.run(["sync", "--data", cli.path("340121"), "--hub", server.url, "--ca-file", cli.path("other-ca.pem"),
                                       "--retry-attempt-count-max", "1"], status: 1)
            #expect(refused.stderr.lowercased().contains("certificate"), "\(refused.stderr)")
            let synced = try cli.run(["sync", "--data", cli.path("340121"), "--hub", server.url, "--ca-file", cli.path("ca.pem")])
            #expect(synced.stdout.contains("sync complete"), "\(synced.stdout)")
            // Plain HTTP to the TLS port gets no answer: never a success, and a later sync settles it.
            let plain = try cli.run(["sync", "--data", cli.path("340121"), "--hub", server.url.replacingOccurrences(of: "https", with: "http"),
                                     "--retry-attempt-count-max", "1"], status: nil)
            #expect(plain.status != 0, "plain HTTP to the TLS port: \(plain.stdout) \(plain.stderr)")
        }
    }
}
