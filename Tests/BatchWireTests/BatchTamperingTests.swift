@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Bad input at the byte level: every flipped byte and every truncation of a real batch is refused, the round
/// trip of a good batch is exact, and size limits stop decompression bombs before any allocation.
@Suite struct BatchTamperingTests {
    static let node = OrgCode("340122")!
    static let hub = OrgCode("340000")!

    static func sealed(changeCount: Int = 3, key: SigningKey) throws -> [UInt8] {
        let records = (1...changeCount).map { ChangeCodec.encode(VectorGenerator.voucherChange(counter: Int64($0), amount: Int64($0) * 1_000)) }
        return try BatchSealer.seal(VectorGenerator.addressing(sender: node, recipient: hub, sequence: 1, first: 1, ack: 0),
                                    records: records, signingKey: key)
    }

    static func open(_ bytes: [UInt8], key: SigningKey) throws(BatchDecodingError) -> [DecodedChange] {
        try BatchOpener.open(bytes, recipient: hub) { keyID, _ in keyID == key.publicKey.keyID ? .key(key.publicKey) : .unknown }.changes
    }

    @Test func roundTripKeepsEveryChange() throws {
        let key = try SigningKey.generate(.ed25519)
        let changes = try Self.open(try Self.sealed(changeCount: 50, key: key), key: key)
        #expect(changes.count == 50)
        #expect(changes[49].change == VectorGenerator.voucherChange(counter: 50, amount: 50_000))
    }

    @Test func everyFlippedByteIsRefused() throws {
        let key = try SigningKey.generate(.ed25519)
        let good = try Self.sealed(key: key)
        for offset in good.indices {
            for bit in [0x01, 0x80] as [UInt8] {
                var bad = good
                bad[offset] ^= bit
                #expect(throws: BatchDecodingError.self, "flip 0x\(String(bit, radix: 16)) at byte \(offset) of \(good.count)") {
                    _ = try Self.open(bad, key: key)
                }
            }
        }
    }

    @Test func everyTruncationIsRefused() throws {
        let key = try SigningKey.generate(.ed25519)
        let good = try Self.sealed(key: key)
        for length in 0..<good.count {
            #expect(throws: BatchDecodingError.self, "truncated to \(length) bytes") { _ = try Self.open(Array(good.prefix(length)), key: key) }
        }
    }

    @Test func specificRefusalsNameTheirCause() throws {
        let key = try SigningKey.generate(.ed25519)
        let good = try Self.sealed(key: key)
        func name(_ bytes: [UInt8]) -> String? {
            do { _ = try Self.open(bytes, key: key); return nil } catch { return error.name }
        }
        #expect(name([]) == "empty")
        #expect(name(Array("not a batch at all".utf8)) == "not-a-batch")
        #expect(name(Array(good.dropLast())) == "truncated")
        var version = good
        version[8] = 9
        #expect(name(version) == "unsupported-format-version")
        #expect(name(good + [1, 2, 3]) == "trailing-bytes")
        let other = try SigningKey.generate(.ed25519)
        #expect(throws: BatchDecodingError(.unknownKey(keyID: key.publicKey.keyID, sender: "340122"))) { _ = try Self.open(good, key: other) }
    }

    @Test func oversizedFileIsRefusedBeforeReading() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let url = folder.url.appendingPathComponent("huge.fsb")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(Limits.batchFileBytesMax + 1))  // sparse: no disk used
        try handle.close()
        #expect(throws: BatchDecodingError(.fileTooLarge(sizeBytes: Limits.batchFileBytesMax + 1, sizeBytesMax: Limits.batchFileBytesMax))) {
            _ = try BatchFiles.read(url)
        }
    }

    @Test func inflateNeverProducesMoreThanDeclared() throws {
        let bomb = Deflate.compress([UInt8](repeating: 0, count: 8 * 1024 * 1024), level: 9)
        #expect(bomb.count < 20_000)
        #expect(throws: BatchDecodingError(.payloadLargerThanDeclared(declaredBytes: 4096))) {
            _ = try Deflate.inflate(bomb[...], expectedBytes: 4096)
        }
        let small = Deflate.compress(Array("hello".utf8))
        #expect(try Deflate.inflate(small[...], expectedBytes: 5) == Array("hello".utf8))
        #expect(throws: BatchDecodingError(.payloadSizeMismatch(declaredBytes: 6, actualBytes: 5))) {
            _ = try Deflate.inflate(small[...], expectedBytes: 6)
        }
    }

    @Test func limitsAreConsistent() {
        #expect(Limits.batchPayloadBytesCompressedMax <= Limits.batchPayloadBytesMax)
        #expect(Limits.batchFileBytesMax > Limits.batchPayloadBytesCompressedMax)
        #expect(Limits.exportChangeCountMax <= Limits.batchChangeCountMax)
        #expect(Limits.changeBytesMax <= Limits.batchPayloadBytesMax)
        #expect(Int(UInt32.max) >= Limits.batchPayloadBytesMax)
        #expect(Limits.orgCodeBytesMax <= Int(UInt8.max))
    }

    @Test func fileNamesFollowTheConvention() {
        #expect(BatchFiles.fileName(sender: Self.node, recipient: Self.hub, batchSequence: 7) == "340122-to-340000-000007.fsb")
        #expect(BatchFiles.fileName(sender: Self.node, recipient: Self.hub, batchSequence: 1_234_567) == "340122-to-340000-1234567.fsb")
    }
}
