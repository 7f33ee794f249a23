@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Checks `Protocol/vectors/batch-v2.json` (encrypted batches, and SM2-signed plaintext ones): every valid case
/// opens to exactly the header, payload and changes it lists, its listed intermediate values (shared secret, HKDF
/// output, decrypted compressed payload) follow from its keys, and it re-seals to the same bytes; every invalid case
/// is refused with exactly the error it names. `OpenSSLEncryptionCrossCheckTests` checks the same values with the
/// `openssl` command line.
@Suite struct EncryptedVectorTests {
    static var file: URL { VectorGenerator.vectorsFolder.appendingPathComponent("batch-v2.json") }

    static func load() throws -> BatchVectorFile {
        if ProcessInfo.processInfo.environment["FUNDSYNC_REGENERATE_V2_VECTORS"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(try VectorGeneratorV2.generate()).write(to: file)
        }
        return try JSONDecoder().decode(BatchVectorFile.self, from: Data(contentsOf: file))
    }

    static func decryptionKey(_ test: BatchVectorFile.TestCase, in keys: [BatchVectorFile.Key]) throws -> EncryptionPrivateKey? {
        guard let name = test.decryptionKey else { return nil }
        let key = try #require(keys.first { $0.name == name && $0.use == "encryption" })
        return try EncryptionPrivateKey(pem: key.privateKeyPEM)
    }

    /// Opens a case as its receiver: every signing key but `stranger` is known, the case's encryption key is held.
    static func open(_ test: BatchVectorFile.TestCase, keys: [BatchVectorFile.Key]) throws -> (header: BatchHeader, changes: [DecodedChange]) {
        let decryptionKey = try decryptionKey(test, in: keys)
        return try BatchOpener.open(bytes(fromHex: test.batchHex) ?? [], recipient: OrgCode(test.recipient)!, decryptionKey: decryptionKey) { keyID, sender in
            guard let key = keys.first(where: { $0.keyID == keyID && $0.name != "stranger" && $0.use == "signing" }) else { return .unknown }
            guard key.org == sender.rawValue else { return .otherOrg(OrgCode(key.org)!) }
            return (try? PublicKey(pem: key.publicKeyPEM)).map(KeyResolution.key) ?? .unknown
        }
    }

    @Test func vectorFileHasValidAndInvalidCases() throws {
        let vectors = try Self.load()
        let valid = vectors.tests.filter { $0.result == "valid" }
        #expect(valid.count >= 4)
        #expect(vectors.tests.filter { $0.result == "invalid" }.count >= 20)
        #expect(Set(vectors.tests.map(\.tcId)).count == vectors.tests.count)
        #expect(Set(valid.compactMap(\.header?.encryption?.encryptionAlgorithm)) == [1, 2], "both schemes have a valid case")
        #expect(valid.contains { $0.header?.formatVersion == 1 && $0.header?.signatureAlgorithm == 2 }, "an SM2-signed plaintext case")
        let errors = Set(vectors.tests.compactMap(\.error))
        #expect(errors.isSuperset(of: ["payload-hash-mismatch", "decryption-failed", "encrypted-for-another-key", "bad-signature", "truncated"]))
    }

    @Test func validVectorsOpenToTheirListedContent() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "valid" {
            let (header, changes) = try Self.open(test, keys: vectors.keys)
            let envelope = try BatchEnvelope.parse(bytes(fromHex: test.batchHex) ?? [])
            #expect(VectorGeneratorV2.headerVector(envelope) == test.header, "header, tcId \(test.tcId)")
            #expect(header.formatVersion == (header.encryption == nil ? 1 : 2))
            let compressed = try envelope.compressedPayload(decryptionKey: try Self.decryptionKey(test, in: vectors.keys))
            let payload = try Deflate.inflate(compressed, expectedBytes: Int(header.payloadSizeBytes))
            #expect(hexString(payload) == test.payloadHex, "payload, tcId \(test.tcId)")
            let listed = try #require(test.changes)
            #expect(changes.count == listed.count)
            for (decoded, vector) in zip(changes, listed) {
                #expect(BatchVectorFile.ChangeVector(decoded.change) == vector, "tcId \(test.tcId)")
                #expect(hexString(ChangeCodec.encode(decoded.change)) == vector.recordHex, "canonical re-encoding, tcId \(test.tcId)")
            }
        }
    }

    /// The listed intermediate values follow from the keys: the X25519 shared secret from the ephemeral key, the HKDF
    /// output from its inputs, the SM2 content key from the wrapped key, and the decrypted compressed payload.
    @Test func listedSecretsFollowFromTheKeys() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "valid" {
            guard let secrets = test.encryption, let fields = test.header?.encryption else { continue }
            let key = try #require(try Self.decryptionKey(test, in: vectors.keys))
            let digest: PayloadHashAlgorithm = secrets.hkdfDigest == "SM3" ? .sm3 : .sha256
            let inputKey: [UInt8]
            if fields.encryptionAlgorithm == 1 {
                let ephemeral = try EncryptionPrivateKey.x25519(raw: bytes(fromHex: secrets.ephemeralPrivateKeyHex ?? "") ?? [])
                #expect(ephemeral.publicKey.rawX25519.map(hexString) == fields.encapsulatedKeyHex, "tcId \(test.tcId)")
                let shared = try X25519.sharedSecret(key, ephemeral.publicKey)
                #expect(hexString(shared) == secrets.sharedSecretHex, "the recipient derives the sender's secret, tcId \(test.tcId)")
                #expect(secrets.hkdfSaltHex == fields.encapsulatedKeyHex + hexString(key.publicKey.rawX25519 ?? []))
                inputKey = shared
            } else {
                inputKey = try SM2Encryption.decrypt(bytes(fromHex: fields.encapsulatedKeyHex) ?? [], with: key)
                #expect(hexString(inputKey) == secrets.contentKeyHex, "tcId \(test.tcId)")
            }
            let derived = HKDF.derive(digest, inputKey: inputKey, salt: bytes(fromHex: secrets.hkdfSaltHex) ?? [],
                                      info: Array(secrets.hkdfInfo.utf8), length: (secrets.derivedKeyHex.count / 2))
            #expect(hexString(derived) == secrets.derivedKeyHex, "tcId \(test.tcId)")
            #expect(secrets.hkdfInfo == "fundsync/batch-v2/\(fields.encryptionAlgorithm == 1 ? "x25519-hkdf-sha256-aes-256-gcm" : "sm2-sm4-ctr-hmac-sm3")/"
                    + "\(test.header!.sender)/\(test.header!.recipient)")
            let envelope = try BatchEnvelope.parse(bytes(fromHex: test.batchHex) ?? [])
            #expect(hexString(try envelope.compressedPayload(decryptionKey: key)) == secrets.compressedPayloadHex)
        }
    }

    @Test func validVectorsResealToTheSameBytes() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "valid" {
            let signer = try SigningKey(pem: try #require(vectors.keys.first { $0.name == test.signer }).privateKeyPEM)
            let original = bytes(fromHex: test.batchHex) ?? []
            let envelope = try BatchEnvelope.parse(original)
            let header = envelope.header
            let records = try #require(test.changes).map { bytes(fromHex: $0.recordHex) ?? [] }
            var randomness: EncryptionRandomness?
            if let fields = header.encryption, let secrets = test.encryption {
                randomness = EncryptionRandomness(ephemeralPrivateKey: secrets.ephemeralPrivateKeyHex.flatMap(bytes(fromHex:)),
                                                  contentKey: secrets.contentKeyHex.flatMap(bytes(fromHex:)),
                                                  encapsulatedKey: fields.algorithm == .sm2SM4CTR ? fields.encapsulatedKey : nil, nonce: fields.nonce)
            }
            let resealed = try BatchSealer.seal(
                BatchAddressing(sender: header.sender, recipient: header.recipient, batchSequence: header.batchSequence,
                                firstStreamPosition: header.firstStreamPosition, ackStreamPosition: header.ackStreamPosition,
                                ackVector: header.ackVector, createdAtMilliseconds: header.createdAtMilliseconds),
                records: records, signingKey: signer,
                encryptFor: header.encryption == nil ? nil : try Self.decryptionKey(test, in: vectors.keys)?.publicKey,
                randomness: randomness)
            if signer.algorithm == .ed25519 {
                #expect(hexString(resealed) == test.batchHex, "tcId \(test.tcId): \(test.comment)")
            } else {
                // SM2 signatures are randomised: the signed bytes must be the same, and the new signature valid.
                let signedEnd = envelope.payloadRange.upperBound
                #expect(resealed.prefix(signedEnd) == original.prefix(signedEnd), "tcId \(test.tcId): \(test.comment)")
                let again = try BatchEnvelope.parse(resealed)
                try again.verify(with: signer.publicKey)
            }
        }
    }

    @Test func invalidVectorsAreRefusedWithTheirError() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "invalid" {
            do {
                _ = try Self.open(test, keys: vectors.keys)
                Issue.record("tcId \(test.tcId) (\(test.comment)) was accepted")
            } catch let error as BatchDecodingError {
                #expect(error.name == test.error, "tcId \(test.tcId) (\(test.comment)): \(error.description)")
            }
        }
    }

    /// The PEM files beside the vectors are the keys of the JSON, and each public PEM is exactly what this
    /// implementation writes for it, which is what `openssl pkey -pubout` wrote when the keys were made.
    @Test func vectorKeysMatchThePEMFiles() throws {
        let vectors = try Self.load()
        for key in vectors.keys {
            let folder = VectorGenerator.vectorsFolder
            let publicPEM = try String(contentsOf: folder.appendingPathComponent("\(key.name).public.pem"), encoding: .utf8)
            let privatePEM = try String(contentsOf: folder.appendingPathComponent("\(key.name).private.pem"), encoding: .utf8)
            #expect(publicPEM == key.publicKeyPEM && privatePEM == key.privateKeyPEM, "\(key.name)")
            if key.use == "encryption" {
                let privateKey = try EncryptionPrivateKey(pem: privatePEM)
                #expect(privateKey.publicKey.keyID == key.keyID && privateKey.publicKey.pem == publicPEM, "\(key.name)")
            } else {
                let privateKey = try SigningKey(pem: privatePEM)
                #expect(privateKey.publicKey.keyID == key.keyID && privateKey.publicKey.pem == publicPEM, "\(key.name)")
            }
        }
    }

    @Test func version1VectorsAreUnchanged() throws {
        // The version 1 file is pinned: adding version 2 changed no byte of it (STYLE R10).
        let data = try Data(contentsOf: BatchVectorTests.file)
        #expect(hexString(PayloadHashAlgorithm.sha256.digest([UInt8](data))) == Self.batchV1SHA256)
    }

    /// SHA-256 of `Protocol/vectors/batch-v1.json` as released.
    static let batchV1SHA256 = "8df65ae317ca09d2d501c4115c422f7ac6b3d16f3ca88e3b6635da4a28486554"
}
