@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Encrypted batches (format version 2) at the byte level, for both schemes: the round trip is exact, the payload
/// is not readable without the key, every flipped byte and every truncation is refused, and a batch for another
/// key says so.
@Suite struct PayloadEncryptionTests {
    static let node = OrgCode("340122")!
    static let hub = OrgCode("340000")!

    /// (signing algorithm, the recipient's encryption scheme): each scheme with its companion signature, and mixed.
    static let pairs: [(SignatureAlgorithm, EncryptionAlgorithm)] = [
        (.ed25519, .x25519AES256GCM), (.sm2sm3, .sm2SM4CTR), (.sm2sm3, .x25519AES256GCM), (.ed25519, .sm2SM4CTR),
    ]

    static func sealed(changeCount: Int = 3, key: SigningKey, for recipientKey: EncryptionPublicKey) throws -> [UInt8] {
        let records = (1...changeCount).map { ChangeCodec.encode(VectorGenerator.voucherChange(counter: Int64($0), amount: Int64($0) * 1_000)) }
        return try BatchSealer.seal(VectorGenerator.addressing(sender: node, recipient: hub, sequence: 1, first: 1, ack: 0),
                                    records: records, signingKey: key, encryptFor: recipientKey)
    }

    static func open(_ bytes: [UInt8], key: SigningKey, decryptionKey: EncryptionPrivateKey?) throws(BatchDecodingError) -> [DecodedChange] {
        try BatchOpener.open(bytes, recipient: hub, decryptionKey: decryptionKey) { keyID, _ in
            keyID == key.publicKey.keyID ? .key(key.publicKey) : .unknown
        }.changes
    }

    @Test(arguments: pairs)
    func roundTripKeepsEveryChange(signature: SignatureAlgorithm, scheme: EncryptionAlgorithm) throws {
        let key = try SigningKey.generate(signature), recipient = try EncryptionPrivateKey.generate(scheme)
        let batch = try Self.sealed(changeCount: 20, key: key, for: recipient.publicKey)
        let header = try BatchEnvelope.parse(batch).header
        #expect(batch[8] == 2 && batch[12] == scheme.rawValue)
        #expect(header.encryption?.recipientKeyID == recipient.publicKey.keyID)
        let changes = try Self.open(batch, key: key, decryptionKey: recipient)
        #expect(changes.count == 20)
        #expect(changes[19].change == VectorGenerator.voucherChange(counter: 20, amount: 20_000))
    }

    @Test(arguments: [EncryptionAlgorithm.x25519AES256GCM, .sm2SM4CTR])
    func thePayloadIsNotReadableInTheFile(scheme: EncryptionAlgorithm) throws {
        let key = try SigningKey.generate(.ed25519), recipient = try EncryptionPrivateKey.generate(scheme)
        let batch = try Self.sealed(key: key, for: recipient.publicKey)
        let envelope = try BatchEnvelope.parse(batch)
        #expect(throws: BatchDecodingError.self, "the ciphertext is not a zlib stream") {
            _ = try Deflate.inflate(batch[envelope.payloadRange], expectedBytes: Int(envelope.header.payloadSizeBytes))
        }
        // Two sealings of the same batch differ everywhere in the ciphertext (fresh key material each time).
        let again = try Self.sealed(key: key, for: recipient.publicKey)
        #expect(Array(again[envelope.payloadRange]) != Array(batch[envelope.payloadRange]))
    }

    @Test(arguments: [EncryptionAlgorithm.x25519AES256GCM, .sm2SM4CTR])
    func everyFlippedByteIsRefused(scheme: EncryptionAlgorithm) throws {
        let key = try SigningKey.generate(.ed25519), recipient = try EncryptionPrivateKey.generate(scheme)
        let good = try Self.sealed(key: key, for: recipient.publicKey)
        for offset in good.indices {
            var bad = good
            bad[offset] ^= 0x01
            #expect(throws: BatchDecodingError.self, "flip at byte \(offset) of \(good.count)") {
                _ = try Self.open(bad, key: key, decryptionKey: recipient)
            }
        }
    }

    @Test(arguments: [EncryptionAlgorithm.x25519AES256GCM, .sm2SM4CTR])
    func everyTruncationIsRefused(scheme: EncryptionAlgorithm) throws {
        let key = try SigningKey.generate(.ed25519), recipient = try EncryptionPrivateKey.generate(scheme)
        let good = try Self.sealed(key: key, for: recipient.publicKey)
        for length in 0..<good.count {
            #expect(throws: BatchDecodingError.self, "truncated to \(length) bytes") {
                _ = try Self.open(Array(good.prefix(length)), key: key, decryptionKey: recipient)
            }
        }
    }

    @Test func aBatchForAnotherKeySaysSo() throws {
        let key = try SigningKey.generate(.ed25519)
        let intended = try EncryptionPrivateKey.generate(.x25519AES256GCM), other = try EncryptionPrivateKey.generate(.x25519AES256GCM)
        let batch = try Self.sealed(key: key, for: intended.publicKey)
        for holder in [other, nil] {
            do {
                _ = try Self.open(batch, key: key, decryptionKey: holder)
                Issue.record("opened without the recipient's key")
            } catch {
                #expect(error.name == "encrypted-for-another-key")
                #expect(error.description.hasPrefix("the batch is encrypted for another key (\(intended.publicKey.keyID))"))
            }
        }
    }

    @Test func plaintextBatchesStayVersion1AndIgnoreTheDecryptionKey() throws {
        let key = try SigningKey.generate(.ed25519)
        let records = [ChangeCodec.encode(VectorGenerator.voucherChange(counter: 1, amount: 5))]
        let batch = try BatchSealer.seal(VectorGenerator.addressing(sender: Self.node, recipient: Self.hub, sequence: 1, first: 1, ack: 0),
                                         records: records, signingKey: key)
        #expect(batch[8] == 1 && batch[12] == 0)
        #expect(try Self.open(batch, key: key, decryptionKey: try EncryptionPrivateKey.generate(.sm2SM4CTR)).count == 1)
    }

    @Test func encryptionKeyFilesKeepThePrivateKeyPrivate() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let files = EncryptionKeyFiles(root: folder.url)
        #expect(try files.loadPrivateKey() == nil)
        let key = try EncryptionPrivateKey.generate(.x25519AES256GCM)
        try files.writeKeyPair(key)
        let mode = try FileManager.default.attributesOfItem(atPath: files.privateKey.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try files.loadPrivateKey()?.publicKey.keyID == key.publicKey.keyID)
        #expect(try EncryptionPublicKey(pem: String(contentsOf: files.publicKey, encoding: .utf8)).keyID == key.publicKey.keyID)
        #expect(throws: CryptoError.self, "a signing key is not an encryption key") {
            _ = try EncryptionPrivateKey(pem: try SigningKey.generate(.ed25519).privateKeyPEM)
        }
    }
}
