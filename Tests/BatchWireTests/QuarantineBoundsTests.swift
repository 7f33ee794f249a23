import BatchWire
import Foundation
import LedgerCore
import SyncTesting
import Testing

/// Issue 2/6, finding 4 (first part): refused HTTP uploads fill a bounded quarantine, and only authenticated bodies
/// are stored. Release 1 stored every refused body, up to 16 MiB each with no cap (3.6 GB after 1,300 uploads).
@Suite struct QuarantineBoundsTests {
    static let bytes = [UInt8](repeating: 0x5A, count: 4_096)

    @Test func onlyAnAuthenticatedBodyIsKept() throws {
        let folder = try TemporaryDirectory("quarantine-bounds")
        defer { folder.remove() }
        let quarantine = try folder.folder("quarantine")
        let signed = try #require(try BatchFiles.quarantineUpload(
            label: "1-signed.fsb", bytes: Self.bytes, in: quarantine,
            error: BatchDecodingError(.originNotAuthorised(origin: "340121", sender: "340122", changeIndex: 0)), atMilliseconds: 1))
        #expect(try Data(contentsOf: signed) == Data(Self.bytes))
        let stranger = try #require(try BatchFiles.quarantineUpload(
            label: "2-stranger.fsb", bytes: nil, in: quarantine, error: BatchDecodingError(.badSignature), atMilliseconds: 2))
        #expect(!FileManager.default.fileExists(atPath: stranger.path))
        let reason = try String(contentsOf: URL(fileURLWithPath: stranger.path + ".reason"), encoding: .utf8)
        #expect(reason.contains("code: bad-signature") && reason.contains("body not kept"))
        #expect(try BatchFiles.quarantineCount(in: quarantine) == 2)
    }

    @Test func theByteCapKeepsTheReasonButNotTheBody() throws {
        let folder = try TemporaryDirectory("quarantine-bytes")
        defer { folder.remove() }
        let quarantine = try folder.folder("quarantine")
        // A sparse file whose size is the whole cap: no disk is used.
        let filler = quarantine.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        try handle.truncate(atOffset: UInt64(Limits.quarantineBytesMax))
        try handle.close()
        let kept = try #require(try BatchFiles.quarantineUpload(
            label: "3-signed.fsb", bytes: Self.bytes, in: quarantine,
            error: BatchDecodingError(.decryptionFailed("tag")), atMilliseconds: 3))
        #expect(!FileManager.default.fileExists(atPath: kept.path))
        #expect(try String(contentsOf: URL(fileURLWithPath: kept.path + ".reason"), encoding: .utf8).contains("limit \(Limits.quarantineBytesMax)"))
    }

    @Test func theEntryCapStopsStoringAtAll() throws {
        let folder = try TemporaryDirectory("quarantine-count")
        defer { folder.remove() }
        let quarantine = try folder.folder("quarantine")
        for index in 0..<Limits.quarantineEntryCountMax {
            _ = FileManager.default.createFile(atPath: quarantine.appendingPathComponent("\(index).reason").path, contents: Data("x".utf8))
        }
        let kept = try BatchFiles.quarantineUpload(label: "4.fsb", bytes: Self.bytes, in: quarantine,
                                                   error: BatchDecodingError(.malformedPayload("x")), atMilliseconds: 4)
        #expect(kept == nil)
        #expect(try BatchFiles.quarantineCount(in: quarantine) == Limits.quarantineEntryCountMax)
    }

    @Test func theCapsAreConsistentWithTheBatchLimits() {
        #expect(Limits.quarantineBytesMax >= Limits.batchFileBytesMax, "one largest authenticated batch always fits")
        #expect(Limits.quarantineEntryCountMax >= 1)
    }
}
