import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Regression tests of issue 2/6, finding 6: `import` must not move files it does not own.
///
/// Release 1 moved every refused file into the office's quarantine: `import --data N /etc/passwd` moved
/// /etc/passwd, and `import usb/*.fsb` moved other offices' files off the stick. A refused file is now copied, and
/// the original stays where it was; a file addressed to another office is skipped and left alone; a file name with
/// a newline cannot forge a line of the `.reason` file; and the size limit is checked on what a link points to.
@Suite struct HostileFileTests {
    @Test func aRefusedFileIsCopiedIntoTheQuarantineAndTheOriginalStays() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let outside = try province.root.folder("elsewhere").appendingPathComponent("passwd")
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: outside)
        let results = province.hub.exchange.importFiles([outside])
        guard case .refused(_, let error, let kept)? = results.first else { Issue.record("not refused: \(results)"); return }
        #expect(error.name == "not-a-batch")
        #expect(FileManager.default.fileExists(atPath: outside.path), "the original is left where it was")
        #expect(try Data(contentsOf: kept) == Data(contentsOf: outside))
        #expect(FileManager.default.fileExists(atPath: kept.path), "a copy is kept in the quarantine")
    }

    @Test func aFileAddressedToAnotherOfficeIsSkippedAndLeftAlone() throws {
        let province = try TestProvince(counties: ["340121", "340122"])
        defer { province.remove() }
        try province.node("340121").post([TestProvince.draft("340121:1002", "340121:6001", "1.00")])
        let forHub = try province.export(from: "340121")
        // Carried on a stick, then imported at the other county by mistake.
        let results = province.node("340122").exchange.importFiles(forHub)
        let quarantined = try province.node("340122").store.status().quarantine
        guard case .skipped(_, let recipient)? = results.first else { Issue.record("not skipped: \(results)"); return }
        #expect(recipient == TestProvince.province)
        #expect(FileManager.default.fileExists(atPath: forHub[0].path))
        #expect(quarantined == 0)
    }

    @Test func aNewlineInAFileNameCannotForgeAReasonLine() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let folder = try province.root.folder("stick")
        let forged = folder.appendingPathComponent("x.fsb\ncode: applied\nreason: fine")
        try Data("not a batch".utf8).write(to: forged)
        let results = province.hub.exchange.importFiles([forged])
        guard case .refused(_, _, let kept)? = results.first else { Issue.record("not refused: \(results)"); return }
        let reason = try String(contentsOf: URL(fileURLWithPath: kept.path + ".reason"), encoding: .utf8)
        #expect(reason.split(separator: "\n").count == 4, "one line per field: \(reason)")
        #expect(reason.contains("x.fsb\\ncode: applied\\nreason: fine"), "the name is escaped, not dropped: \(reason)")
        #expect(kept.lastPathComponent == "x.fsb_code__applied_reason__fine")
        #expect(FileManager.default.fileExists(atPath: forged.path))
    }

    @Test func aLinkToAnOversizedFileIsRefusedOnTheTargetsSize() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let folder = try province.root.folder("stick")
        let big = folder.appendingPathComponent("big.bin")
        _ = FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(Limits.batchFileBytesMax) + 1)   // sparse: no disk used
        try handle.close()
        let link = folder.appendingPathComponent("340000-to-340000-000001.fsb")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: big)
        let results = province.hub.exchange.importFiles([link])
        guard case .refused(_, let error, _)? = results.first else { Issue.record("not refused: \(results)"); return }
        #expect(error.name == "file-too-large", "\(error)")
        #expect(FileManager.default.fileExists(atPath: link.path) && FileManager.default.fileExists(atPath: big.path))
    }
}
