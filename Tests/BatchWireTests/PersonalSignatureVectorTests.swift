@testable import BatchWire
import Foundation
import LedgerCore
import Testing

/// Checks `Protocol/vectors/personal-signatures.json` (PROTOCOL.md §14), written by an independent implementation
/// (`Protocol/tools/personal_signature_vectors.py`, Python's `cryptography`): our signed bytes are byte for byte its
/// message, our Ed25519 signature is its signature, tampered cases do not verify, and its key file opens here.
@Suite struct PersonalSignatureVectorTests {
    struct File: Decodable {
        struct Key: Decodable {
            let name: String
            let seedHex: String
            let publicKeyDERHex: String
            let keyID: String
        }
        struct Case: Decodable {
            let tcId: Int
            let kind: String
            let result: String
            let table: String
            let key: String
            let origin: String?
            let role: String?
            let staff: String?
            let keyID: String?
            let version: String?
            let signer: String
            let fields: [String: JSONFieldValue]
            let messageHex: String
            let signatureHex: String
        }
        struct KeyFile: Decodable {
            let pem: String
            let passphrase: String
            let wrongPassphrase: String
            let keyID: String
        }
        let keys: [Key]
        let tests: [Case]
        let keyFiles: [KeyFile]
    }

    static func load() throws -> File {
        let url = VectorGenerator.vectorsFolder.appendingPathComponent("personal-signatures.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }

    @Test func keysAreTheSeedsTheFileNames() throws {
        let file = try Self.load()
        #expect(!file.keys.isEmpty)
        for entry in file.keys {
            let key = try SigningKey.ed25519(seed: try #require(bytes(fromHex: entry.seedHex)))
            #expect(hexString(key.publicKey.derBytes) == entry.publicKeyDERHex, "\(entry.name)")
            #expect(key.publicKey.keyID == entry.keyID, "\(entry.name)")
        }
    }

    @Test func everyCaseGivesTheSameBytesAndVerdict() throws {
        let file = try Self.load()
        let keys = Dictionary(uniqueKeysWithValues: file.keys.map { ($0.name, $0) })
        var checked = 0
        for test in file.tests {
            let fields = try #require(test.fields.compactMapValues(\.fieldValue).count == test.fields.count
                                      ? test.fields.compactMapValues(\.fieldValue) : nil, "tc \(test.tcId): fields")
            let signerEntry = try #require(keys[test.signer], "tc \(test.tcId)")
            let key = try SigningKey.ed25519(seed: try #require(bytes(fromHex: signerEntry.seedHex)))
            let message: [UInt8]
            switch test.kind {
            case "document":
                message = DocumentSigning.message(
                    table: test.table, key: test.key, origin: try #require(test.origin.flatMap(OrgCode.init)),
                    role: try #require(test.role.flatMap(SigningRole.init(rawValue:))), staff: try #require(test.staff),
                    keyID: try #require(test.keyID), registryVersion: try #require(test.version.flatMap { Int64($0) }), fields: fields)
                if test.result == "valid", let listed = try PersonalSignature.read(fields["signatures"]) {
                    #expect(PersonalSignature.field(listed) == fields["signatures"], "tc \(test.tcId): the list reads back as written")
                }
            case "certificate":
                message = try StaffCertificate(key: test.key, fields: fields).signedBytes
            default:
                Issue.record("tc \(test.tcId): unknown kind \(test.kind)")
                continue
            }
            let signature = try #require(bytes(fromHex: test.signatureHex))
            let verifies = key.publicKey.verify(signature: signature[...], message: message[...])
            if test.result == "valid" {
                #expect(hexString(message) == test.messageHex, "tc \(test.tcId): message bytes")
                #expect(hexString(try key.sign(message[...])) == test.signatureHex, "tc \(test.tcId): Ed25519 is deterministic")
                #expect(verifies, "tc \(test.tcId)")
            } else {
                #expect(!verifies, "tc \(test.tcId): must not verify")
            }
            checked += 1
        }
        #expect(checked == file.tests.count && checked >= 10)
    }

    @Test func theKeyFileOpensWithItsPassphraseOnly() throws {
        for keyFile in try Self.load().keyFiles {
            #expect(try PersonalKeyFile.decrypt(keyFile.pem, passphrase: keyFile.passphrase).publicKey.keyID == keyFile.keyID)
            #expect(throws: CryptoError.self) { try PersonalKeyFile.decrypt(keyFile.pem, passphrase: keyFile.wrongPassphrase) }
        }
    }
}
