@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting

/// Builds `Protocol/vectors/batch-v1.json` from the fixed keys beside it. Run only on purpose
/// (`FUNDSYNC_REGENERATE_VECTORS=1 swift test --filter BatchVectorTests`); old vectors are never edited (R9).
enum VectorGenerator {
    static let node = OrgCode("340122")!
    static let hub = OrgCode("340000")!
    static let createdAt: Int64 = 1_793_577_600_000

    static func key(_ name: String) throws -> SigningKey {
        try SigningKey(pem: String(contentsOf: vectorsFolder.appendingPathComponent("\(name).private.pem"), encoding: .utf8))
    }

    static var vectorsFolder: URL { repositoryRoot().appendingPathComponent("Protocol/vectors") }

    static func voucherChange(counter: Int64, amount: Int64) -> Change {
        let voucher = Voucher(id: "340122-V00000\(counter)", org: node, date: BusinessDate("2026-11-02")!, currency: .cny,
                              memo: "归集上划 sweep to HQ", preparer: "王芳", lines: [
                                VoucherLine(account: "340122:3001.01", side: .debit, amount: AmountMinorUnits(amount)),
                                VoucherLine(account: "340122:1002", side: .credit, amount: AmountMinorUnits(amount)),
                              ])
        var deps = VersionVector()
        deps.advance(node, to: counter - 1)
        deps.advance(hub, to: 7)
        return Change(id: ChangeID(origin: node, counter: counter), deps: deps, table: "voucher", key: voucher.id,
                      operation: .insert, businessDate: "2026-11-02", createdAtMilliseconds: createdAt + counter, fields: voucher.fields)
    }

    /// A change that uses every field-value type, so the codec's whole surface is pinned by a vector.
    static func everyTypeChange() -> Change {
        var deps = VersionVector()
        deps.advance(hub, to: 8)
        deps.advance(node, to: 2)
        return Change(id: ChangeID(origin: hub, counter: 9), deps: deps, table: "account", key: "340122:2242.02",
                      operation: .update, businessDate: "", createdAtMilliseconds: createdAt, fields: [
                        "org": .text("340122"), "kind": .text("internal"), "code": .text("2242.02"),
                        "name": .text("企业存款—活期计息"), "currency": .text("CNY"), "status": .text("frozen"),
                        "x_null": .null, "x_negative": .integer(-42), "x_bytes": .bytes([0x00, 0xff, 0x10]),
                        "x_list": .list([.integer(1), .text("two"), .record(["a": .null])]),
                      ])
    }

    static func addressing(sender: OrgCode, recipient: OrgCode, sequence: UInt64, first: UInt64, ack: UInt64) -> BatchAddressing {
        var ackVector = VersionVector()
        ackVector.advance(node, to: 2)
        ackVector.advance(hub, to: 7)
        return BatchAddressing(sender: sender, recipient: recipient, batchSequence: sequence, firstStreamPosition: first,
                               ackStreamPosition: ack, ackVector: ackVector, createdAtMilliseconds: createdAt)
    }

    static func generate() throws -> BatchVectorFile {
        let nodeKey = try key("node"), hubKey = try key("hub"), stranger = try key("stranger")
        let changes = [voucherChange(counter: 1, amount: 120_000), voucherChange(counter: 2, amount: 35_000_050)]
        let upRecords = changes.map(ChangeCodec.encode)
        let up = try BatchSealer.seal(addressing(sender: node, recipient: hub, sequence: 1, first: 1, ack: 8), records: upRecords, signingKey: nodeKey)
        let downChange = everyTypeChange()
        let down = try BatchSealer.seal(addressing(sender: hub, recipient: node, sequence: 3, first: 9, ack: 2),
                                        records: [ChangeCodec.encode(downChange)], signingKey: hubKey)
        let ackOnly = try BatchSealer.seal(addressing(sender: hub, recipient: node, sequence: 4, first: 0, ack: 2), records: [], signingKey: hubKey)
        var tests: [BatchVectorFile.TestCase] = []
        func valid(_ comment: String, _ bytes: [UInt8], recipient: OrgCode, signer: String, changes: [Change]) throws {
            let envelope = try BatchEnvelope.parse(bytes)
            let payload = try Deflate.inflate(bytes[envelope.payloadRange], expectedBytes: Int(envelope.header.payloadSizeBytes))
            tests.append(.init(tcId: tests.count + 1, comment: comment, result: "valid", flags: [], recipient: recipient.rawValue,
                               revokedKeyIDs: [], signer: signer, batchHex: hexString(bytes), error: nil,
                               header: headerVector(envelope), payloadHex: hexString(payload), changes: changes.map(BatchVectorFile.ChangeVector.init)))
        }
        func invalid(_ comment: String, _ bytes: [UInt8], error: String, recipient: OrgCode = hub, revoked: [String] = [], flags: [String] = []) {
            tests.append(.init(tcId: tests.count + 1, comment: comment, result: "invalid", flags: flags, recipient: recipient.rawValue,
                               revokedKeyIDs: revoked, signer: "", batchHex: hexString(bytes), error: error, header: nil,
                               payloadHex: nil, changes: nil))
        }
        try valid("two vouchers from county 340122 to the hub, with acknowledgement", up, recipient: hub, signer: "node", changes: changes)
        try valid("a hub registry change using every field-value type", down, recipient: node, signer: "hub", changes: [downChange])
        try valid("an empty batch that only carries an acknowledgement", ackOnly, recipient: node, signer: "hub", changes: [])
        try addInvalidCases(up: up, upRecords: upRecords, nodeKey: nodeKey, stranger: stranger, invalid: invalid)
        return BatchVectorFile(
            format: "FundSync batch format version 1", specification: "Protocol/PROTOCOL.md",
            notes: ["All integers on the wire are big-endian.",
                    "Keys: Ed25519 PKCS#8 PEM; the *.private.pem files beside this file are the same keys, for openssl.",
                    "A receiver checks, in order: structure and limits, recipient, key, signature, payload hash, payload.",
                    "Valid cases: re-sealing the changes with the named key and header fields gives batchHex exactly (zlib level 6)."],
            keys: [keyVector("node", node, nodeKey), keyVector("hub", hub, hubKey), keyVector("stranger", OrgCode("340199")!, stranger)],
            tests: tests)
    }

    static func addInvalidCases(up: [UInt8], upRecords: [[UInt8]], nodeKey: SigningKey, stranger: SigningKey,
                                invalid: (String, [UInt8], String, OrgCode, [String], [String]) -> Void) throws {
        let envelope = try BatchEnvelope.parse(up)
        func flipped(_ offset: Int) -> [UInt8] { var copy = up; copy[offset] ^= 0x01; return copy }
        invalid("flipped bit in the magic", flipped(1), "not-a-batch", hub, [], ["ModifiedHeader"])
        invalid("flipped bit in the batch sequence", flipped(22), "bad-signature", hub, [], ["ModifiedHeader"])
        invalid("flipped bit in the compressed payload", flipped(envelope.headerLength + 5), "payload-hash-mismatch", hub, [], ["ModifiedPayload"])
        invalid("flipped bit in the signature", flipped(up.count - 3), "bad-signature", hub, [], ["ModifiedSignature"])
        invalid("truncated: last 10 bytes missing", Array(up.dropLast(10)), "truncated", hub, [], ["Truncated"])
        invalid("truncated inside the header", Array(up.prefix(40)), "truncated", hub, [], ["Truncated"])
        invalid("empty file", [], "empty", hub, [], ["Truncated"])
        invalid("a text file, not a batch", Array("sender,recipient,amount\n".utf8), "not-a-batch", hub, [], [])
        invalid("one byte after the signature", up + [0], "trailing-bytes", hub, [], [])
        var version2 = up; version2[8] = 2
        invalid("format version 2", version2, "unsupported-format-version", hub, [], ["UnsupportedVersion"])
        invalid("addressed to another county", up, "wrong-recipient", OrgCode("340121")!, [], ["WrongRecipient"])
        invalid("signing key revoked at the receiver", up, "revoked-key", hub, [nodeKey.publicKey.keyID], ["RevokedKey"])
        let strangerBatch = try BatchSealer.seal(addressing(sender: node, recipient: hub, sequence: 1, first: 1, ack: 8),
                                                 records: upRecords, signingKey: stranger)
        invalid("signed by a key the receiver does not know", strangerBatch, "unknown-key", hub, [], ["UnknownKey"])
        let payload = PayloadCodec.encode(records: upRecords)
        invalid("payload inflates past the declared size", try lyingBatch(payload: payload, declared: payload.count - 1, key: nodeKey),
                "payload-larger-than-declared", hub, [], ["DecompressionBomb"])
        let bomb = [UInt8](repeating: 0, count: 4 * 1024 * 1024)
        invalid("decompression bomb: 4 MiB of zeros declared as 1,000 bytes", try lyingBatch(payload: bomb, declared: 1000, changeCount: 1, key: nodeKey),
                "payload-larger-than-declared", hub, [], ["DecompressionBomb"])
        invalid("declared payload over the limit", try lyingBatch(payload: payload, declared: Limits.batchPayloadBytesMax + 1, key: nodeKey),
                "payload-too-large", hub, [], ["SizeLimit"])
        // The last field is `preparer` = text "王芳" (6 UTF-8 bytes): its tag sits 1 + 4 + 6 bytes from the end.
        var badTag = upRecords[0]
        precondition(badTag[badTag.count - 11] == 0x02, "expected the text tag of the last field")
        badTag[badTag.count - 11] = 0x09
        invalid("a field value with an unknown type tag", try lyingBatch(payload: PayloadCodec.encode(records: [badTag]), declared: nil, changeCount: 1, key: nodeKey),
                "malformed-payload", hub, [], ["MalformedPayload"])
        invalid("header declares 3 changes, payload holds 2", try lyingBatch(payload: payload, declared: nil, changeCount: 3, key: nodeKey),
                "change-count-mismatch", hub, [], ["MalformedPayload"])
    }

    /// A correctly signed batch whose header states `declared` payload bytes and `changeCount` changes, whatever
    /// the payload really holds: what a buggy or hostile sender with a valid key could produce.
    static func lyingBatch(payload: [UInt8], declared: Int?, changeCount: Int = 2, key: SigningKey) throws -> [UInt8] {
        let compressed = Deflate.compress(payload)
        let address = addressing(sender: node, recipient: hub, sequence: 1, first: 1, ack: 8)
        let header = BatchHeader(signatureAlgorithm: .ed25519, payloadHashAlgorithm: .sha256, sender: address.sender,
                                 recipient: address.recipient, batchSequence: 1, firstStreamPosition: 1, ackStreamPosition: 8,
                                 ackVector: address.ackVector, createdAtMilliseconds: createdAt, changeCount: UInt32(changeCount),
                                 payloadSizeBytes: UInt32(declared ?? payload.count), payloadSizeBytesCompressed: UInt32(compressed.count),
                                 payloadHash: PayloadHashAlgorithm.sha256.digest(compressed), keyID: key.publicKey.keyID)
        let headerBytes = header.encoded()
        let signature = try key.sign(headerBytes[...])
        var file = headerBytes
        file += compressed
        file += [UInt8(signature.count >> 8), UInt8(signature.count & 0xff)]
        file += signature
        return file
    }

    static func headerVector(_ envelope: BatchEnvelope) -> BatchVectorFile.Header {
        let header = envelope.header
        return .init(formatVersion: Int(header.formatVersion), signatureAlgorithm: Int(header.signatureAlgorithm.rawValue),
                     payloadHashAlgorithm: Int(header.payloadHashAlgorithm.rawValue), sender: header.sender.rawValue,
                     recipient: header.recipient.rawValue, batchSequence: String(header.batchSequence),
                     firstStreamPosition: String(header.firstStreamPosition), ackStreamPosition: String(header.ackStreamPosition),
                     ackVector: Dictionary(uniqueKeysWithValues: header.ackVector.sortedEntries.map { ($0.origin.rawValue, String($0.counter)) }),
                     createdAtMilliseconds: String(header.createdAtMilliseconds), changeCount: Int(header.changeCount),
                     payloadSizeBytes: Int(header.payloadSizeBytes), payloadSizeBytesCompressed: Int(header.payloadSizeBytesCompressed),
                     payloadHashHex: hexString(header.payloadHash), keyID: header.keyID, headerLength: envelope.headerLength,
                     signatureHex: hexString(envelope.file[envelope.signatureRange]))
    }

    static func keyVector(_ name: String, _ org: OrgCode, _ key: SigningKey) -> BatchVectorFile.Key {
        .init(name: name, org: org.rawValue, algorithm: key.algorithm.name, keyID: key.publicKey.keyID,
              privateKeyPEM: key.privateKeyPEM, publicKeyPEM: key.publicKey.pem)
    }
}
