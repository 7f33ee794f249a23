@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting

/// Builds `Protocol/vectors/batch-v2.json` (encrypted batches, format version 2, plus SM2-signed plaintext
/// batches of version 1) from the fixed keys beside it and fixed encryption randomness. Run only on purpose
/// (`FUNDSYNC_REGENERATE_V2_VECTORS=1 swift test --filter EncryptedVectorTests`); vectors, once released, are
/// never edited (R9). SM2 signatures and SM2 encryption are randomised inside libcrypto, so a regeneration changes
/// the bytes of the SM2 cases (and only those).
enum VectorGeneratorV2 {
    static let node = OrgCode("340122")!
    static let hub = OrgCode("340000")!
    static let sm2County = OrgCode("340123")!
    static let createdAt = VectorGenerator.createdAt

    /// Fixed randomness of the vectors (never used by an office, which draws it from libcrypto's CSPRNG).
    static let ephemeralUp = hex("5f1b0e8c9a4d3e2f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f")
    static let ephemeralDown = hex("0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0")
    static let nonceUp = hex("a0a1a2a3a4a5a6a7a8a9aaab")
    static let nonceDown = hex("b0b1b2b3b4b5b6b7b8b9babb")
    static let sm2ContentKey = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf")
    static let sm2IV = hex("e0e1e2e3e4e5e6e7e8e9eaebecedeeef")

    static func hex(_ text: String) -> [UInt8] { bytes(fromHex: text)! }

    static func pem(_ name: String, _ part: String) throws -> String {
        try String(contentsOf: VectorGenerator.vectorsFolder.appendingPathComponent("\(name).\(part).pem"), encoding: .utf8)
    }

    static func signingKey(_ name: String) throws -> SigningKey { try SigningKey(pem: pem(name, "private")) }
    static func encryptionKey(_ name: String) throws -> EncryptionPrivateKey { try EncryptionPrivateKey(pem: pem(name, "private")) }

    /// A voucher of `org` at `counter`, as `VectorGenerator.voucherChange` writes them for county 340122.
    static func voucher(_ org: OrgCode, counter: Int64, amount: Int64) -> Change {
        let voucher = Voucher(id: "\(org.rawValue)-V00000\(counter)", org: org, date: BusinessDate("2026-11-02")!, currency: .cny,
                              memo: "归集上划 sweep to HQ", preparer: "王芳", lines: [
                                VoucherLine(account: "\(org.rawValue):3001.01", side: .debit, amount: AmountMinorUnits(amount)),
                                VoucherLine(account: "\(org.rawValue):1002", side: .credit, amount: AmountMinorUnits(amount)),
                              ])
        var deps = VersionVector()
        deps.advance(org, to: counter - 1)
        deps.advance(hub, to: 7)
        return Change(id: ChangeID(origin: org, counter: counter), deps: deps, table: "voucher", key: voucher.id,
                      operation: .insert, businessDate: "2026-11-02", createdAtMilliseconds: createdAt + counter, fields: voucher.fields)
    }

    static func addressing(_ sender: OrgCode, _ recipient: OrgCode, sequence: UInt64, first: UInt64, ack: UInt64) -> BatchAddressing {
        let county = sender == hub ? recipient : sender
        var ackVector = VersionVector()
        ackVector.advance(county, to: 2)
        ackVector.advance(hub, to: 7)
        return BatchAddressing(sender: sender, recipient: recipient, batchSequence: sequence, firstStreamPosition: first,
                               ackStreamPosition: ack, ackVector: ackVector, createdAtMilliseconds: createdAt)
    }

    /// The header and the payload bytes (ciphertext for version 2) of a batch.
    static func parts(_ file: [UInt8]) throws -> (header: BatchHeader, payload: [UInt8]) {
        let envelope = try BatchEnvelope.parse(file)
        return (envelope.header, Array(file[envelope.payloadRange]))
    }

    /// Lays out and signs a batch from a header and payload bytes as given: what a buggy or hostile sender with a
    /// valid key could produce. The payload hash, compressed size and key id are set to match.
    static func assemble(_ header: BatchHeader, payload: [UInt8], key: SigningKey) throws -> [UInt8] {
        var header = header
        header.signatureAlgorithm = key.algorithm
        header.payloadHashAlgorithm = key.algorithm == .sm2sm3 ? .sm3 : .sha256
        header.payloadSizeBytesCompressed = UInt32(payload.count)
        header.payloadHash = header.payloadHashAlgorithm.digest(payload)
        header.keyID = key.publicKey.keyID
        let headerBytes = header.encoded()
        let signature = try key.sign(headerBytes[...])
        return headerBytes + payload + [UInt8(signature.count >> 8), UInt8(signature.count & 0xff)] + signature
    }

    static func generate() throws -> BatchVectorFile {
        let nodeKey = try signingKey("node"), hubKey = try signingKey("hub"), sm2NodeKey = try signingKey("sm2-node")
        let hubX25519 = try encryptionKey("hub-x25519"), hubSM2 = try encryptionKey("hub-sm2"), nodeX25519 = try encryptionKey("node-x25519")
        let upChanges = [voucher(node, counter: 1, amount: 120_000), voucher(node, counter: 2, amount: 35_000_050)]
        let sm2Changes = [voucher(sm2County, counter: 1, amount: 880_000), voucher(sm2County, counter: 2, amount: 1_250)]
        let up = try BatchSealer.seal(addressing(node, hub, sequence: 1, first: 1, ack: 8), records: upChanges.map(ChangeCodec.encode),
                                      signingKey: nodeKey, encryptFor: hubX25519.publicKey,
                                      randomness: EncryptionRandomness(ephemeralPrivateKey: ephemeralUp, nonce: nonceUp))
        let down = try BatchSealer.seal(addressing(hub, node, sequence: 4, first: 0, ack: 2), records: [], signingKey: hubKey,
                                        encryptFor: nodeX25519.publicKey,
                                        randomness: EncryptionRandomness(ephemeralPrivateKey: ephemeralDown, nonce: nonceDown))
        let sm2 = try BatchSealer.seal(addressing(sm2County, hub, sequence: 1, first: 1, ack: 8), records: sm2Changes.map(ChangeCodec.encode),
                                       signingKey: sm2NodeKey, encryptFor: hubSM2.publicKey,
                                       randomness: EncryptionRandomness(contentKey: sm2ContentKey, nonce: sm2IV))
        let sm2Plain = try BatchSealer.seal(addressing(sm2County, hub, sequence: 2, first: 1, ack: 8), records: sm2Changes.map(ChangeCodec.encode),
                                            signingKey: sm2NodeKey)
        var cases = CaseList()
        try cases.valid("X25519/AES-256-GCM: two vouchers from county 340122 to the hub, signed with Ed25519", up, recipient: hub,
                        signer: "node", decryptionKey: ("hub-x25519", hubX25519), changes: upChanges)
        try cases.valid("X25519/AES-256-GCM: an acknowledgement-only batch from the hub to county 340122 (an encrypted empty payload)",
                        down, recipient: node, signer: "hub", decryptionKey: ("node-x25519", nodeX25519), changes: [])
        try cases.valid("SM2/SM4-CTR/HMAC-SM3: two vouchers from county 340123 to the hub, signed with SM2 (SM3 payload hash)", sm2,
                        recipient: hub, signer: "sm2-node", decryptionKey: ("hub-sm2", hubSM2), changes: sm2Changes)
        try cases.valid("format version 1 (plaintext) signed with SM2 and hashed with SM3", sm2Plain, recipient: hub, signer: "sm2-node",
                        decryptionKey: ("hub-sm2", hubSM2), changes: sm2Changes)
        try addInvalidX25519Cases(&cases, up: up, nodeKey: nodeKey, sm2NodeKey: sm2NodeKey, nodeX25519: nodeX25519, changes: upChanges)
        try addInvalidSM2Cases(&cases, sm2: sm2, sm2NodeKey: sm2NodeKey)
        let keys = try [("node", node, "signing"), ("hub", hub, "signing"), ("stranger", OrgCode("340199")!, "signing"),
                        ("sm2-node", sm2County, "signing"), ("hub-x25519", hub, "encryption"), ("hub-sm2", hub, "encryption"),
                        ("node-x25519", node, "encryption")].map(keyVector)
        return BatchVectorFile(
            format: "FundSync batch format version 2 (encrypted payloads), with SM2-signed version 1 cases",
            specification: "Protocol/PROTOCOL.md §13",
            notes: ["All integers on the wire are big-endian. A version 2 receiver also reads version 1.",
                    "Keys: PKCS#8 PEM; the *.private.pem files beside this file are the same keys, for openssl. `use` says signing or encryption.",
                    "A receiver knows every signing key except `stranger`, and holds the encryption key named by the case's decryptionKey (none when absent).",
                    "A receiver checks, in order: structure and limits, recipient, key, signature, payload hash over the ciphertext, decryption, payload.",
                    "Valid Ed25519-signed cases re-seal to batchHex exactly with the listed ephemeral key and nonce; SM2 signatures and "
                        + "SM2 key wrapping are randomised, so SM2 cases re-seal to the same header and payload bytes, with another valid signature."],
            keys: keys, tests: cases.tests)
    }

    static func addInvalidX25519Cases(_ cases: inout CaseList, up: [UInt8], nodeKey: SigningKey, sm2NodeKey: SigningKey,
                                      nodeX25519: EncryptionPrivateKey, changes: [Change]) throws {
        let (header, ciphertext) = try parts(up)
        let headerLength = try BatchEnvelope.parse(up).headerLength
        guard let encryption = header.encryption else { preconditionFailure("the X25519 case is encrypted") }
        func flipped(_ offset: Int) -> [UInt8] { var copy = up; copy[offset] ^= 0x01; return copy }
        func patched(_ offset: Int, _ value: UInt8) -> [UInt8] { var copy = up; copy[offset] = value; return copy }
        func lying(_ change: (inout BatchHeader, inout [UInt8]) -> Void) throws -> [UInt8] {
            var header = header, payload = ciphertext
            change(&header, &payload)
            return try assemble(header, payload: payload, key: nodeKey)
        }
        let x25519 = "hub-x25519"
        cases.invalid("ciphertext: one bit flipped in transit", flipped(headerLength + 5), "payload-hash-mismatch", decryptionKey: x25519,
                      flags: ["ModifiedCiphertext"])
        cases.invalid("GCM tag (in the signed header): one bit flipped in transit", flipped(headerLength - 1), "bad-signature",
                      decryptionKey: x25519, flags: ["ModifiedTag"])
        cases.invalid("ephemeral public key: one bit flipped in transit", flipped(headerLength - 16 - 12 - 32), "bad-signature",
                      decryptionKey: x25519, flags: ["ModifiedHeader"])
        cases.invalid("ciphertext altered by the sender, then hashed and signed", try lying { _, payload in payload[5] ^= 0x01 },
                      "decryption-failed", decryptionKey: x25519, flags: ["ModifiedCiphertext", "SignedBySender"])
        cases.invalid("GCM tag altered by the sender, then signed", try lying { header, _ in header.encryption!.tag[0] ^= 0x01 },
                      "decryption-failed", decryptionKey: x25519, flags: ["ModifiedTag", "SignedBySender"])
        cases.invalid("nonce altered by the sender, then signed", try lying { header, _ in header.encryption!.nonce[11] ^= 0x01 },
                      "decryption-failed", decryptionKey: x25519, flags: ["ModifiedNonce", "SignedBySender"])
        cases.invalid("ephemeral public key altered by the sender, then signed",
                      try lying { header, _ in header.encryption!.encapsulatedKey[3] ^= 0x01 }, "decryption-failed",
                      decryptionKey: x25519, flags: ["ModifiedEphemeralKey", "SignedBySender"])
        let forNode = try BatchSealer.seal(addressing(node, hub, sequence: 1, first: 1, ack: 8), records: changes.map(ChangeCodec.encode),
                                           signingKey: nodeKey, encryptFor: nodeX25519.publicKey,
                                           randomness: EncryptionRandomness(ephemeralPrivateKey: ephemeralUp, nonce: nonceUp))
        cases.invalid("encrypted for another key (the county's own encryption key)", forNode, "encrypted-for-another-key",
                      decryptionKey: x25519, flags: ["WrongRecipientKey"])
        cases.invalid("the receiver holds no encryption key", up, "encrypted-for-another-key", decryptionKey: nil, flags: ["WrongRecipientKey"])
        let (forNodeHeader, forNodeCiphertext) = try parts(forNode)
        var misnamed = forNodeHeader
        misnamed.encryption!.recipientKeyID = encryption.recipientKeyID
        cases.invalid("names the hub's encryption key but was encrypted for another key", try assemble(misnamed, payload: forNodeCiphertext, key: nodeKey),
                      "decryption-failed", decryptionKey: x25519, flags: ["WrongRecipientKey", "SignedBySender"])
        var lifted = header
        lifted.sender = sm2County
        cases.invalid("ciphertext and encryption fields lifted into a batch of another county, signed with its own key",
                      try assemble(lifted, payload: ciphertext, key: sm2NodeKey), "decryption-failed", decryptionKey: x25519,
                      flags: ["Replay", "SignedBySender", "SM2"])
        cases.invalid("truncated inside the encryption fields of the header", Array(up.prefix(headerLength - 10)), "truncated",
                      decryptionKey: x25519, flags: ["Truncated"])
        cases.invalid("truncated: last 10 bytes missing", Array(up.dropLast(10)), "truncated", decryptionKey: x25519, flags: ["Truncated"])
        var shortHeader = up
        shortHeader[14] = UInt8((headerLength - 1) >> 8)
        shortHeader[15] = UInt8((headerLength - 1) & 0xff)
        cases.invalid("header length one byte short of the encryption fields", shortHeader, "malformed-header", decryptionKey: x25519,
                      flags: ["ModifiedHeader"])
        cases.invalid("version 2 with encryption id 0 (plaintext batches are version 1)", patched(12, 0), "unsupported-format-version",
                      decryptionKey: x25519, flags: ["UnsupportedVersion"])
        cases.invalid("version 2 with encryption id 3", patched(12, 3), "unsupported-algorithm", decryptionKey: x25519, flags: ["UnsupportedAlgorithm"])
        cases.invalid("an encrypted batch whose version byte says 1", patched(8, 1), "unsupported-algorithm", decryptionKey: x25519,
                      flags: ["UnsupportedAlgorithm"])
        cases.invalid("format version 3", patched(8, 3), "unsupported-format-version", decryptionKey: x25519, flags: ["UnsupportedVersion"])
        let lengthOffset = headerLength - 16 - 12 - 32 - 2
        precondition(up[lengthOffset] == 0 && up[lengthOffset + 1] == 32, "expected the encapsulated key length")
        cases.invalid("X25519 encapsulated key length 31", patched(lengthOffset + 1, 31), "malformed-header", decryptionKey: x25519,
                      flags: ["ModifiedHeader"])
        cases.invalid("addressed to another county", up, "wrong-recipient", recipient: OrgCode("340121")!, decryptionKey: x25519,
                      flags: ["WrongRecipient"])
        let payload = PayloadCodec.encode(records: changes.map(ChangeCodec.encode))
        let (bigger, fields) = try PayloadCipher.encrypt(Deflate.compress(payload), for: try encryptionKey(x25519).publicKey, sender: node,
                                                         recipient: hub, randomness: EncryptionRandomness(ephemeralPrivateKey: ephemeralUp, nonce: nonceUp))
        var understated = header
        understated.payloadSizeBytes = UInt32(payload.count - 1)
        understated.encryption = fields
        cases.invalid("decrypts, then inflates past the declared size", try assemble(understated, payload: bigger, key: nodeKey),
                      "payload-larger-than-declared", decryptionKey: x25519, flags: ["DecompressionBomb", "SignedBySender"])
    }

    static func addInvalidSM2Cases(_ cases: inout CaseList, sm2: [UInt8], sm2NodeKey: SigningKey) throws {
        let (header, ciphertext) = try parts(sm2)
        let headerLength = try BatchEnvelope.parse(sm2).headerLength
        func lying(_ change: (inout BatchHeader, inout [UInt8]) -> Void) throws -> [UInt8] {
            var header = header, payload = ciphertext
            change(&header, &payload)
            return try assemble(header, payload: payload, key: sm2NodeKey)
        }
        var flipped = sm2
        flipped[headerLength + 5] ^= 0x01
        let flags = ["SM2"]
        cases.invalid("SM2 scheme: ciphertext, one bit flipped in transit", flipped, "payload-hash-mismatch", decryptionKey: "hub-sm2",
                      flags: flags + ["ModifiedCiphertext"])
        cases.invalid("SM2 scheme: HMAC-SM3 tag altered by the sender, then signed", try lying { header, _ in header.encryption!.tag[31] ^= 0x01 },
                      "decryption-failed", decryptionKey: "hub-sm2", flags: flags + ["ModifiedTag", "SignedBySender"])
        cases.invalid("SM2 scheme: IV altered by the sender, then signed (the MAC covers it)",
                      try lying { header, _ in header.encryption!.nonce[0] ^= 0x01 }, "decryption-failed", decryptionKey: "hub-sm2",
                      flags: flags + ["ModifiedNonce", "SignedBySender"])
        cases.invalid("SM2 scheme: wrapped content key altered by the sender, then signed",
                      try lying { header, _ in header.encryption!.encapsulatedKey[40] ^= 0x01 }, "decryption-failed", decryptionKey: "hub-sm2",
                      flags: flags + ["ModifiedWrappedKey", "SignedBySender"])
        cases.invalid("SM2 scheme: ciphertext altered by the sender, then hashed and signed", try lying { _, payload in payload[0] ^= 0x01 },
                      "decryption-failed", decryptionKey: "hub-sm2", flags: flags + ["ModifiedCiphertext", "SignedBySender"])
        let x25519ID = try encryptionKey("hub-x25519").publicKey.keyID
        cases.invalid("SM2 scheme (id 2) naming the receiver's X25519 key", try lying { header, _ in header.encryption!.recipientKeyID = x25519ID },
                      "decryption-failed", decryptionKey: "hub-x25519", flags: flags + ["WrongRecipientKey", "SignedBySender"])
    }

    static func keyVector(_ entry: (name: String, org: OrgCode, use: String)) throws -> BatchVectorFile.Key {
        let publicPEM = try pem(entry.name, "public")
        if entry.use == "encryption" {
            let key = try EncryptionPublicKey(pem: publicPEM)
            return .init(name: entry.name, org: entry.org.rawValue, algorithm: key.algorithm == .x25519AES256GCM ? "x25519" : "sm2",
                         keyID: key.keyID, privateKeyPEM: try pem(entry.name, "private"), publicKeyPEM: publicPEM, use: "encryption")
        }
        let key = try PublicKey(pem: publicPEM)
        return .init(name: entry.name, org: entry.org.rawValue, algorithm: key.algorithm.name, keyID: key.keyID,
                     privateKeyPEM: try pem(entry.name, "private"), publicKeyPEM: publicPEM, use: "signing")
    }

    /// The intermediate values of an encrypted batch, recomputed from the fixed randomness and the receiver's key.
    static func secrets(_ envelope: BatchEnvelope, decryptionKey: EncryptionPrivateKey) throws -> BatchVectorFile.EncryptionSecrets? {
        guard let fields = envelope.header.encryption else { return nil }
        let compressed = try envelope.compressedPayload(decryptionKey: decryptionKey)
        let info = PayloadCipher.info(fields.algorithm, sender: envelope.header.sender, recipient: envelope.header.recipient)
        let infoText = String(decoding: info, as: UTF8.self)
        switch fields.algorithm {
        case .x25519AES256GCM:
            let ephemeral = envelope.header.recipient == hub ? ephemeralUp : ephemeralDown
            let shared = try X25519.sharedSecret(try EncryptionPrivateKey.x25519(raw: ephemeral), decryptionKey.publicKey)
            let salt = fields.encapsulatedKey + (decryptionKey.publicKey.rawX25519 ?? [])
            let derived = PayloadCipher.x25519PayloadKey(sharedSecret: shared, ephemeralPublic: fields.encapsulatedKey,
                                                         recipientPublic: decryptionKey.publicKey.rawX25519 ?? [], info: info)
            return .init(compressedPayloadHex: hexString(compressed), ephemeralPrivateKeyHex: hexString(ephemeral), sharedSecretHex: hexString(shared),
                         contentKeyHex: nil, hkdfDigest: "SHA256", hkdfSaltHex: hexString(salt), hkdfInfo: infoText, derivedKeyHex: hexString(derived))
        case .sm2SM4CTR:
            let keys = PayloadCipher.sm2PayloadKeys(contentKey: sm2ContentKey, info: info)
            return .init(compressedPayloadHex: hexString(compressed), ephemeralPrivateKeyHex: nil, sharedSecretHex: nil,
                         contentKeyHex: hexString(sm2ContentKey), hkdfDigest: "SM3", hkdfSaltHex: "", hkdfInfo: infoText,
                         derivedKeyHex: hexString(keys.encryption + keys.mac))
        }
    }

    static func headerVector(_ envelope: BatchEnvelope) -> BatchVectorFile.Header {
        var vector = VectorGenerator.headerVector(envelope)
        vector.encryption = envelope.header.encryption.map {
            .init(encryptionAlgorithm: Int($0.algorithm.rawValue), recipientKeyID: $0.recipientKeyID,
                  encapsulatedKeyHex: hexString($0.encapsulatedKey), nonceHex: hexString($0.nonce), tagHex: hexString($0.tag))
        }
        return vector
    }

    /// The test cases as they are added, numbered in order.
    struct CaseList {
        var tests: [BatchVectorFile.TestCase] = []

        mutating func valid(_ comment: String, _ bytes: [UInt8], recipient: OrgCode, signer: String,
                            decryptionKey: (name: String, key: EncryptionPrivateKey), changes: [Change]) throws {
            let envelope = try BatchEnvelope.parse(bytes)
            let compressed = try envelope.compressedPayload(decryptionKey: decryptionKey.key)
            let payload = try Deflate.inflate(compressed, expectedBytes: Int(envelope.header.payloadSizeBytes))
            var flags = envelope.header.encryption.map { [$0.algorithm == .x25519AES256GCM ? "X25519" : "SM2Encryption"] } ?? ["Plaintext"]
            if envelope.header.signatureAlgorithm == .sm2sm3 { flags.append("SM2") }
            tests.append(.init(tcId: tests.count + 1, comment: comment, result: "valid", flags: flags, recipient: recipient.rawValue,
                               revokedKeyIDs: [], signer: signer, batchHex: hexString(bytes), error: nil, header: headerVector(envelope),
                               payloadHex: hexString(payload), changes: changes.map(BatchVectorFile.ChangeVector.init),
                               decryptionKey: decryptionKey.name, encryption: try secrets(envelope, decryptionKey: decryptionKey.key)))
        }

        mutating func invalid(_ comment: String, _ bytes: [UInt8], _ error: String, recipient: OrgCode = hub, decryptionKey: String?,
                              flags: [String]) {
            tests.append(.init(tcId: tests.count + 1, comment: comment, result: "invalid", flags: flags, recipient: recipient.rawValue,
                               revokedKeyIDs: [], signer: "", batchHex: hexString(bytes), error: error, header: nil, payloadHex: nil,
                               changes: nil, decryptionKey: decryptionKey))
        }
    }
}
