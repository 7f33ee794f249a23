@testable import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Checks `Protocol/vectors/batch-v1.json`: every valid case opens to exactly the header and changes it lists and
/// re-seals to the same bytes; every invalid case is refused with exactly the error it names.
@Suite struct BatchVectorTests {
    static var file: URL { VectorGenerator.vectorsFolder.appendingPathComponent("batch-v1.json") }

    static func load() throws -> BatchVectorFile {
        if ProcessInfo.processInfo.environment["FUNDSYNC_REGENERATE_VECTORS"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(try VectorGenerator.generate()).write(to: file)
        }
        return try JSONDecoder().decode(BatchVectorFile.self, from: Data(contentsOf: file))
    }

    static func open(_ test: BatchVectorFile.TestCase, keys: [BatchVectorFile.Key]) throws(BatchDecodingError) -> (header: BatchHeader, changes: [DecodedChange]) {
        try BatchOpener.open(bytes(fromHex: test.batchHex) ?? [], recipient: OrgCode(test.recipient)!) { keyID, sender in
            guard let key = keys.first(where: { $0.keyID == keyID && $0.name != "stranger" }) else { return .unknown }
            guard key.org == sender.rawValue else { return .otherOrg(OrgCode(key.org)!) }
            if test.revokedKeyIDs.contains(keyID) { return .revoked }
            return (try? PublicKey(pem: key.publicKeyPEM)).map(KeyResolution.key) ?? .unknown
        }
    }

    @Test func vectorFileHasValidAndInvalidCases() throws {
        let vectors = try Self.load()
        #expect(vectors.tests.filter { $0.result == "valid" }.count >= 3)
        #expect(vectors.tests.filter { $0.result == "invalid" }.count >= 15)
        #expect(Set(vectors.tests.map(\.tcId)).count == vectors.tests.count)
    }

    @Test func validVectorsOpenToTheirListedContent() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "valid" {
            let (header, changes) = try Self.open(test, keys: vectors.keys)
            let expected = try #require(test.header, "tcId \(test.tcId)")
            #expect(header.sender.rawValue == expected.sender && header.recipient.rawValue == expected.recipient, "tcId \(test.tcId)")
            #expect(String(header.batchSequence) == expected.batchSequence && String(header.firstStreamPosition) == expected.firstStreamPosition)
            #expect(String(header.ackStreamPosition) == expected.ackStreamPosition && header.keyID == expected.keyID)
            #expect(hexString(header.payloadHash) == expected.payloadHashHex && Int(header.changeCount) == expected.changeCount)
            let listed = try #require(test.changes)
            #expect(changes.count == listed.count)
            for (decoded, vector) in zip(changes, listed) {
                #expect(hexString(decoded.record) == vector.recordHex, "tcId \(test.tcId)")
                #expect(decoded.change == vector.change, "tcId \(test.tcId) change \(vector.origin):\(vector.counter)")
                #expect(hexString(ChangeCodec.encode(decoded.change)) == vector.recordHex, "canonical re-encoding, tcId \(test.tcId)")
            }
        }
    }

    @Test func validVectorsResealToTheSameBytes() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "valid" {
            let keyVector = try #require(vectors.keys.first { $0.name == test.signer })
            let key = try SigningKey(pem: keyVector.privateKeyPEM)
            let envelope = try BatchEnvelope.parse(bytes(fromHex: test.batchHex) ?? [])
            let header = envelope.header
            let records = try #require(test.changes).map { bytes(fromHex: $0.recordHex) ?? [] }
            let resealed = try BatchSealer.seal(
                BatchAddressing(sender: header.sender, recipient: header.recipient, batchSequence: header.batchSequence,
                                firstStreamPosition: header.firstStreamPosition, ackStreamPosition: header.ackStreamPosition,
                                ackVector: header.ackVector, createdAtMilliseconds: header.createdAtMilliseconds),
                records: records, signingKey: key)
            #expect(hexString(resealed) == test.batchHex, "tcId \(test.tcId): \(test.comment)")
        }
    }

    @Test func invalidVectorsAreRefusedWithTheirError() throws {
        let vectors = try Self.load()
        for test in vectors.tests where test.result == "invalid" {
            do {
                _ = try Self.open(test, keys: vectors.keys)
                Issue.record("tcId \(test.tcId) (\(test.comment)) was accepted")
            } catch {
                #expect(error.name == test.error, "tcId \(test.tcId) (\(test.comment)): \(error.description)")
            }
        }
    }

    @Test func vectorKeysMatchThePEMFilesForOpenSSL() throws {
        let vectors = try Self.load()
        for key in vectors.keys {
            let pem = try String(contentsOf: VectorGenerator.vectorsFolder.appendingPathComponent("\(key.name).public.pem"), encoding: .utf8)
            #expect(try PublicKey(pem: pem).keyID == key.keyID)
        }
    }
}
