@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// The libcrypto wrapper checked against an independent tool, the `openssl` command line: our PEM files are the
/// ones `openssl pkey -pubout` writes, our signatures verify with `openssl pkeyutl`, our digests match `openssl dgst`.
@Suite struct OpenSSLCrossCheckTests {
    static let openssl = "/usr/bin/openssl"

    @Test func publicKeyPEMIsWhatOpenSSLWrites() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try SigningKey.generate(.ed25519)
        try key.privateKeyPEM.write(toFile: folder.path("private.pem"), atomically: true, encoding: .utf8)
        let result = try runProcess(Self.openssl, ["pkey", "-in", folder.path("private.pem"), "-pubout"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == key.publicKey.pem)
    }

    @Test func batchSignatureVerifiesWithOpenSSL() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try SigningKey.generate(.ed25519)
        let batch = try BatchTamperingTests.sealed(key: key)
        let envelope = try BatchEnvelope.parse(batch)
        try Data(batch[0..<envelope.headerLength]).write(to: folder.url.appendingPathComponent("header.bin"))
        try Data(batch[envelope.signatureRange]).write(to: folder.url.appendingPathComponent("signature.bin"))
        try key.publicKey.pem.write(toFile: folder.path("public.pem"), atomically: true, encoding: .utf8)
        let good = try runProcess(Self.openssl, ["pkeyutl", "-verify", "-pubin", "-inkey", folder.path("public.pem"), "-rawin",
                                                 "-in", folder.path("header.bin"), "-sigfile", folder.path("signature.bin")])
        #expect(good.status == 0, "openssl refused our signature: \(good.stdout) \(good.stderr)")
        var tampered = Array(batch[0..<envelope.headerLength])
        tampered[20] ^= 1
        try Data(tampered).write(to: folder.url.appendingPathComponent("header.bin"))
        let bad = try runProcess(Self.openssl, ["pkeyutl", "-verify", "-pubin", "-inkey", folder.path("public.pem"), "-rawin",
                                                "-in", folder.path("header.bin"), "-sigfile", folder.path("signature.bin")])
        #expect(bad.status != 0, "openssl accepted a tampered header")
    }

    @Test func keyGeneratedByOpenSSLSignsBatchesWeVerify() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let generated = try runProcess(Self.openssl, ["genpkey", "-algorithm", "ed25519", "-out", folder.path("k.pem")])
        #expect(generated.status == 0)
        let key = try SigningKey(pem: String(contentsOfFile: folder.path("k.pem"), encoding: .utf8))
        let changes = try BatchTamperingTests.open(try BatchTamperingTests.sealed(key: key), key: key)
        #expect(changes.count == 3)
    }

    @Test func sha256AndSM3MatchOpenSSLDigest() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let message = Array("FundSync 资金同步 batch payload".utf8)
        try Data(message).write(to: folder.url.appendingPathComponent("m.bin"))
        for (algorithm, name) in [(PayloadHashAlgorithm.sha256, "-sha256"), (.sm3, "-sm3")] {
            let result = try runProcess(Self.openssl, ["dgst", name, "-r", folder.path("m.bin")])
            #expect(result.status == 0)
            #expect(result.stdout.split(separator: " ").first.map(String.init) == hexString(algorithm.digest(message)), "\(name)")
        }
    }

    @Test func sm2SignatureVerifiesWithOpenSSL() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try SigningKey.generate(.sm2sm3)
        let message = Array("header bytes".utf8)
        let signature = try key.sign(message[...])
        #expect(key.publicKey.verify(signature: signature[...], message: message[...]))
        try Data(message).write(to: folder.url.appendingPathComponent("m.bin"))
        try Data(signature).write(to: folder.url.appendingPathComponent("s.bin"))
        try key.publicKey.pem.write(toFile: folder.path("p.pem"), atomically: true, encoding: .utf8)
        let result = try runProcess(Self.openssl, ["dgst", "-sm3", "-verify", folder.path("p.pem"), "-sigopt", "distid:1234567812345678",
                                                   "-signature", folder.path("s.bin"), folder.path("m.bin")])
        #expect(result.status == 0, "openssl: \(result.stdout) \(result.stderr)")
    }
}
