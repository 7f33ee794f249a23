import Foundation
import LedgerCore

/// Batch files on disk: names, bounded reads, atomic writes, and the quarantine for refused files.
///
/// Files are carried by hand between offices, so everything here assumes the file may be anything: empty, huge,
/// a photo, or a batch meant for someone else.
public enum BatchFiles {
    /// File-name extension of batch files.
    public static let fileExtension = "fsb"

    /// `<sender>-to-<recipient>-<sequence>.fsb`, the sequence zero-padded to six digits so files sort in order.
    public static func fileName(sender: OrgCode, recipient: OrgCode, batchSequence: UInt64) -> String {
        let digits = String(batchSequence)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "\(sender.rawValue)-to-\(recipient.rawValue)-\(padded).\(fileExtension)"
    }

    /// Reads a file, refusing before reading anything if it is larger than a batch may be.
    public static func read(_ url: URL) throws -> [UInt8] {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= Limits.batchFileBytesMax else {
            throw BatchDecodingError(.fileTooLarge(sizeBytes: size, sizeBytesMax: Limits.batchFileBytesMax))
        }
        return [UInt8](try Data(contentsOf: url))
    }

    /// Writes `bytes` to `url` through a temporary file in the same folder and a rename, after an fsync, so a
    /// reader (or a power cut) never sees a half-written batch.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    /// The files an `import` at `recipient` covers: named files as given, and from named folders the `.fsb` files
    /// whose name says they are addressed to `recipient`, in name order. A carried folder (a USB stick) usually
    /// holds files for several offices; those for others are left where they are, for their own office.
    public static func expand(_ paths: [URL], recipient: OrgCode) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path.path])
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path.path)
                    .filter { $0.hasSuffix(".\(fileExtension)") && !$0.hasPrefix(".") && $0.contains("-to-\(recipient.rawValue)-") }
                    .sorted()
                files += names.map { path.appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Moves a refused file into `quarantine` and writes `<name>.reason` beside it with the reason, so that a
    /// person can see what was refused and why. Returns the quarantined file's location.
    @discardableResult
    public static func quarantine(_ file: URL, in quarantine: URL, reasonCode: String, reason: String,
                                  atMilliseconds: Int64) throws -> URL {
        try FileManager.default.createDirectory(at: quarantine, withIntermediateDirectories: true)
        var target = quarantine.appendingPathComponent(file.lastPathComponent)
        var attempt = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = quarantine.appendingPathComponent("\(file.lastPathComponent).\(attempt)")
            attempt += 1
        }
        do {
            try FileManager.default.moveItem(at: file, to: target)
        } catch {
            // A read-only medium: keep a copy instead of losing the evidence.
            try FileManager.default.copyItem(at: file, to: target)
        }
        let text = "file: \(file.path)\ncode: \(reasonCode)\nreason: \(reason)\nrefused_at_ms: \(atMilliseconds)\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: target.path + ".reason"))
        return target
    }

    /// How many refused files `quarantine` holds.
    public static func quarantineCount(in quarantine: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: quarantine.path)) ?? []).filter { $0.hasSuffix(".reason") }.count
    }
}
