@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Regressions found by the independent Python implementation of the spec (Protocol/tools/check_vectors.py) and
/// its differential fuzzing against this decoder.
@Suite struct DecoderRegressionTests {
    static let hub = OrgCode("340000")!

    @Test func fieldNamesEqualOnlyAfterNormalisationAreRefused() throws {
        var writer = ByteWriter()
        writer.write(UInt16(2))
        writer.writeString8("e\u{0301}")  // 65 CC 81
        writer.write(UInt8(0))
        writer.writeString8("\u{00E9}")  // C3 A9: byte order is ascending, but Swift sees the same string
        writer.write(UInt8(0))
        var reader = ByteReader(writer.bytes)
        #expect(throws: RecordDecodingError.self) { _ = try ChangeCodec.decodeMap(from: &reader, depth: 1) }
    }

    @Test func streamPositionsBeyondSQLiteRangeAreRefusedNotTrapped() throws {
        let key = try SigningKey.generate(.ed25519)
        for (first, ack) in [(UInt64.max, UInt64(0)), (UInt64(1), UInt64(Int64.max))] {
            let header = BatchHeader(signatureAlgorithm: .ed25519, payloadHashAlgorithm: .sha256, sender: OrgCode("340122")!,
                                     recipient: Self.hub, batchSequence: 1, firstStreamPosition: first, ackStreamPosition: ack,
                                     ackVector: VersionVector(), createdAtMilliseconds: 0, changeCount: 1, payloadSizeBytes: 100,
                                     payloadSizeBytesCompressed: 1, payloadHash: [UInt8](repeating: 0, count: 32), keyID: key.publicKey.keyID)
            var file = header.encoded()
            file.append(0)
            let signature = try key.sign(file.prefix(file.count - 1))
            file += [0, UInt8(signature.count)] + signature
            #expect(throws: BatchDecodingError.self) { _ = try BatchEnvelope.parse(file) }
        }
    }

    @Test func mismatchedSignatureAndHashAlgorithmsAreRefused() throws {
        let key = try SigningKey.generate(.ed25519)
        var file = try BatchTamperingTests.sealed(key: key)
        file[10] = PayloadHashAlgorithm.sm3.rawValue
        do {
            _ = try BatchEnvelope.parse(file)
            Issue.record("Ed25519 with SM3 was accepted")
        } catch {
            #expect(error.name == "unsupported-algorithm")
        }
    }

    @Test func overlongTextValueIsRefused() throws {
        var writer = ByteWriter()
        writer.write(UInt8(0x02))
        writer.write(UInt32(Limits.textBytesMax + 1))
        writer.write(contentsOf: [UInt8](repeating: 0x41, count: Limits.textBytesMax + 1))
        var reader = ByteReader(writer.bytes)
        #expect(throws: RecordDecodingError.self) { _ = try ChangeCodec.decodeValue(from: &reader, depth: 1) }
    }
}
