@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// A person's key file (4/6) checked against the `openssl` command line: what we write, openssl reads with the same
/// passphrase (and finds PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC); what openssl writes, we read.
@Suite struct PersonalKeyFileTests {
    static let openssl = "/usr/bin/openssl"
    static let passphrase = "王芳的口令 2026"

    @Test(arguments: [SignatureAlgorithm.ed25519, .sm2sm3])
    func ourKeyFileOpensWithOpenSSLAndOnlyWithThePassphrase(_ algorithm: SignatureAlgorithm) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try SigningKey.generate(algorithm)
        let pem = try PersonalKeyFile.encrypt(key, passphrase: Self.passphrase)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(!pem.contains("BEGIN PRIVATE KEY"))
        try pem.write(toFile: folder.path("key.p8"), atomically: true, encoding: .utf8)
        try Self.passphrase.write(toFile: folder.path("pass"), atomically: true, encoding: .utf8)
        let opened = try runProcess(Self.openssl, ["pkey", "-in", folder.path("key.p8"), "-passin", "file:" + folder.path("pass"), "-pubout"])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout == key.publicKey.pem)
        let parameters = try runProcess(Self.openssl, ["asn1parse", "-in", folder.path("key.p8")])
        #expect(parameters.stdout.contains("PBES2") && parameters.stdout.contains("PBKDF2") && parameters.stdout.contains("aes-256-cbc")
                && parameters.stdout.contains("hmacWithSHA256"), "\(parameters.stdout)")
        #expect(parameters.stdout.contains(":030D40"), "200,000 iterations (0x030D40): \(parameters.stdout)")
        try "wrong passphrase".write(toFile: folder.path("pass"), atomically: true, encoding: .utf8)
        #expect(try runProcess(Self.openssl, ["pkey", "-in", folder.path("key.p8"), "-passin", "file:" + folder.path("pass")]).status != 0)

        let unlocked = try PersonalKeyFile.decrypt(pem, passphrase: Self.passphrase)
        #expect(unlocked.publicKey.keyID == key.publicKey.keyID)
        let message = Array("凭证 340121-V000001".utf8)
        #expect(key.publicKey.verify(signature: try unlocked.sign(message[...])[...], message: message[...]))
        #expect(throws: CryptoError.self) { try PersonalKeyFile.decrypt(pem, passphrase: "wrong passphrase") }
    }

    @Test func aKeyFileWrittenByOpenSSLIsRead() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let made = try runProcess(Self.openssl, ["genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:correct horse",
                                                 "-out", folder.path("k.pem")])
        #expect(made.status == 0, "\(made.stderr)")
        let pem = try String(contentsOfFile: folder.path("k.pem"), encoding: .utf8)
        let key = try PersonalKeyFile.decrypt(pem, passphrase: "correct horse")
        let public_ = try runProcess(Self.openssl, ["pkey", "-in", folder.path("k.pem"), "-passin", "pass:correct horse", "-pubout"])
        #expect(public_.stdout == key.publicKey.pem)
    }

    @Test func aKeyInTheClearAShortPassphraseAndAWrongFileAreRefused() throws {
        let key = try SigningKey.generate(.ed25519)
        let clear = #expect(throws: CryptoError.self) { try PersonalKeyFile.decrypt(key.privateKeyPEM, passphrase: "anything at all") }
        #expect(clear?.detail.contains("not a passphrase-protected") == true, "\(String(describing: clear))")
        let short = #expect(throws: CryptoError.self) { try PersonalKeyFile.encrypt(key, passphrase: "1234567") }
        #expect(short?.detail.contains("at least 8") == true)
        let damaged = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
        #expect(throws: CryptoError.self) { try PersonalKeyFile.decrypt(damaged, passphrase: "anything at all") }
    }

    @Test func aCertifiedKeyIsReadBackFromItsDER() throws {
        let key = try SigningKey.generate(.sm2sm3)
        let again = try PublicKey(der: key.publicKey.derBytes)
        #expect(again.keyID == key.publicKey.keyID && again.algorithm == .sm2sm3)
        #expect(throws: CryptoError.self) { try PublicKey(der: key.publicKey.derBytes + [0]) }
        #expect(throws: CryptoError.self) { try PublicKey(der: Array(key.publicKey.derBytes.dropLast())) }
    }
}
