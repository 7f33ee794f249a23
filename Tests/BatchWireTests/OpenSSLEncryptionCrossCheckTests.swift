@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Each step of payload encryption checked against an independent tool, the `openssl` command line (OpenSSL 3),
/// on the values of `Protocol/vectors/batch-v2.json`: the X25519 shared secret (`pkeyutl -derive`), HKDF with
/// SHA-256 and SM3 (`kdf … HKDF`), SM2 key unwrapping (`pkeyutl -decrypt`), SM4-CTR (`enc -sm4-ctr`), HMAC-SM3
/// (`dgst -sm3 -mac HMAC`), the SM3 payload hash and SM2 signatures (`dgst -sm3 -verify`). AES-256-GCM is not
/// checked here because `openssl enc` does not do AEAD ciphers; `Protocol/tools/check_vectors.py` checks it with
/// Python's `cryptography`, run by `pythonCheckerAcceptsTheVersion2Vectors` when that package is installed.
@Suite struct OpenSSLEncryptionCrossCheckTests {
    static let openssl = OpenSSLCrossCheckTests.openssl

    /// `openssl kdf` prints `AA:BB:…`; this is lower-case hex without separators.
    static func plainHex(_ output: String) -> String {
        output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ":", with: "").lowercased()
    }

    static func run(_ arguments: [String]) throws -> String {
        let result = try runProcess(openssl, arguments)
        #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    static func vectorFile(_ name: String) -> String { VectorGenerator.vectorsFolder.appendingPathComponent(name).path }

    static func encryptedCases(_ algorithm: Int) throws -> [BatchVectorFile.TestCase] {
        try EncryptedVectorTests.load().tests.filter { $0.result == "valid" && $0.header?.encryption?.encryptionAlgorithm == algorithm }
    }

    @Test func x25519SharedSecretMatchesOpenSSLDerive() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cases = try Self.encryptedCases(1)
        #expect(!cases.isEmpty)
        for test in cases {
            let secrets = try #require(test.encryption)
            let ephemeral = try EncryptionPrivateKey.x25519(raw: bytes(fromHex: secrets.ephemeralPrivateKeyHex ?? "") ?? [])
            try ephemeral.privateKeyPEM.write(toFile: folder.path("ephemeral.pem"), atomically: true, encoding: .utf8)
            try ephemeral.publicKey.pem.write(toFile: folder.path("ephemeral.public.pem"), atomically: true, encoding: .utf8)
            let recipient = try #require(test.decryptionKey)
            // The sender's side: ephemeral private key with the recipient's public key.
            _ = try Self.run(["pkeyutl", "-derive", "-inkey", folder.path("ephemeral.pem"),
                              "-peerkey", Self.vectorFile("\(recipient).public.pem"), "-out", folder.path("sender.bin")])
            // The recipient's side: its private key with the ephemeral public key from the header.
            _ = try Self.run(["pkeyutl", "-derive", "-inkey", Self.vectorFile("\(recipient).private.pem"),
                              "-peerkey", folder.path("ephemeral.public.pem"), "-out", folder.path("recipient.bin")])
            for side in ["sender.bin", "recipient.bin"] {
                #expect(hexString(try Data(contentsOf: folder.url.appendingPathComponent(side))) == secrets.sharedSecretHex, "\(side), tcId \(test.tcId)")
            }
        }
    }

    @Test func hkdfMatchesOpenSSLKDF() throws {
        let cases = try Self.encryptedCases(1) + Self.encryptedCases(2)
        #expect(cases.count >= 2)
        for test in cases {
            let secrets = try #require(test.encryption)
            let inputKey = try #require(secrets.sharedSecretHex ?? secrets.contentKeyHex)
            var arguments = ["kdf", "-keylen", String(secrets.derivedKeyHex.count / 2), "-kdfopt", "digest:\(secrets.hkdfDigest)",
                             "-kdfopt", "hexkey:\(inputKey)", "-kdfopt", "hexinfo:\(hexString(Array(secrets.hkdfInfo.utf8)))"]
            if !secrets.hkdfSaltHex.isEmpty { arguments += ["-kdfopt", "hexsalt:\(secrets.hkdfSaltHex)"] }
            #expect(Self.plainHex(try Self.run(arguments + ["HKDF"])) == secrets.derivedKeyHex, "tcId \(test.tcId)")
        }
        // And the implementation itself against RFC 5869 test case 1 (HKDF-SHA256).
        let okm = HKDF.derive(.sha256, inputKey: [UInt8](repeating: 0x0b, count: 22), salt: bytes(fromHex: "000102030405060708090a0b0c")!,
                              info: bytes(fromHex: "f0f1f2f3f4f5f6f7f8f9")!, length: 42)
        #expect(hexString(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func sm2SchemeMatchesOpenSSL() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cases = try Self.encryptedCases(2)
        #expect(!cases.isEmpty)
        for test in cases {
            let secrets = try #require(test.encryption), fields = try #require(test.header?.encryption)
            let envelope = try BatchEnvelope.parse(bytes(fromHex: test.batchHex) ?? [])
            let ciphertext = Array(envelope.file[envelope.payloadRange])
            try Data(ciphertext).write(to: folder.url.appendingPathComponent("ciphertext.bin"))
            try Data(bytes(fromHex: fields.encapsulatedKeyHex) ?? []).write(to: folder.url.appendingPathComponent("wrapped.bin"))
            try Data((bytes(fromHex: fields.nonceHex) ?? []) + ciphertext).write(to: folder.url.appendingPathComponent("mac-input.bin"))
            // The payload hash (SM3 with an SM2 signer) is over the ciphertext.
            let hash = try Self.run(["dgst", "-sm3", "-r", folder.path("ciphertext.bin")])
            #expect(hash.split(separator: " ").first.map(String.init) == test.header?.payloadHashHex)
            // SM2 unwrapping of the content key.
            let recipient = try #require(test.decryptionKey)
            _ = try Self.run(["pkeyutl", "-decrypt", "-inkey", Self.vectorFile("\(recipient).private.pem"), "-in", folder.path("wrapped.bin"),
                              "-out", folder.path("content-key.bin")])
            #expect(hexString(try Data(contentsOf: folder.url.appendingPathComponent("content-key.bin"))) == secrets.contentKeyHex)
            // SM4-CTR decryption with the first 16 derived bytes, the IV from the header.
            let sm4Key = String(secrets.derivedKeyHex.prefix(32)), macKey = String(secrets.derivedKeyHex.dropFirst(32))
            _ = try Self.run(["enc", "-d", "-sm4-ctr", "-K", sm4Key, "-iv", fields.nonceHex, "-in", folder.path("ciphertext.bin"),
                              "-out", folder.path("plain.bin")])
            #expect(hexString(try Data(contentsOf: folder.url.appendingPathComponent("plain.bin"))) == secrets.compressedPayloadHex)
            // HMAC-SM3 over IV ‖ ciphertext with the last 32 derived bytes.
            let mac = try Self.run(["dgst", "-sm3", "-mac", "HMAC", "-macopt", "hexkey:\(macKey)", "-r", folder.path("mac-input.bin")])
            #expect(mac.split(separator: " ").first.map(String.init) == fields.tagHex, "tcId \(test.tcId)")
        }
    }

    @Test func contentKeyWrappedByOpenSSLUnwrapsHere() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try EncryptionPrivateKey.generate(.sm2SM4CTR)
        try key.publicKey.pem.write(toFile: folder.path("p.pem"), atomically: true, encoding: .utf8)
        let contentKey = try SecureRandom.bytes(32)
        try Data(contentKey).write(to: folder.url.appendingPathComponent("k.bin"))
        _ = try Self.run(["pkeyutl", "-encrypt", "-pubin", "-inkey", folder.path("p.pem"), "-in", folder.path("k.bin"), "-out", folder.path("w.bin")])
        let wrapped = [UInt8](try Data(contentsOf: folder.url.appendingPathComponent("w.bin")))
        #expect(try SM2Encryption.decrypt(wrapped, with: key) == contentKey)
    }

    @Test func sm2SignaturesOfTheVectorsVerifyWithOpenSSL() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cases = try EncryptedVectorTests.load().tests.filter { $0.result == "valid" && $0.header?.signatureAlgorithm == 2 }
        #expect(cases.count >= 2)
        for test in cases {
            let envelope = try BatchEnvelope.parse(bytes(fromHex: test.batchHex) ?? [])
            try Data(envelope.file[0..<envelope.headerLength]).write(to: folder.url.appendingPathComponent("header.bin"))
            try Data(envelope.file[envelope.signatureRange]).write(to: folder.url.appendingPathComponent("signature.bin"))
            let output = try Self.run(["dgst", "-sm3", "-verify", Self.vectorFile("\(test.signer).public.pem"), "-sigopt",
                                       "distid:1234567812345678", "-signature", folder.path("signature.bin"), folder.path("header.bin")])
            #expect(output.contains("Verified OK"), "tcId \(test.tcId)")
        }
    }

    @Test(arguments: ["sm2-signing", "x25519", "sm2-encryption"])
    func publicKeyPEMIsWhatOpenSSLWrites(kind: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (privatePEM, publicPEM): (String, String)
        switch kind {
        case "sm2-signing":
            let key = try SigningKey.generate(.sm2sm3)
            (privatePEM, publicPEM) = (key.privateKeyPEM, key.publicKey.pem)
        default:
            let key = try EncryptionPrivateKey.generate(kind == "x25519" ? .x25519AES256GCM : .sm2SM4CTR)
            (privatePEM, publicPEM) = (key.privateKeyPEM, key.publicKey.pem)
        }
        try privatePEM.write(toFile: folder.path("private.pem"), atomically: true, encoding: .utf8)
        #expect(try Self.run(["pkey", "-in", folder.path("private.pem"), "-pubout"]) == publicPEM, "\(kind)")
    }

    @Test func pythonCheckerAcceptsTheVersion2Vectors() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python),
              try runProcess(python, ["-c", "import cryptography"]).status == 0 else { return }
        let checker = repositoryRoot().appendingPathComponent("Protocol/tools/check_vectors.py").path
        let result = try runProcess(python, [checker, EncryptedVectorTests.file.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
