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
    ///
    /// The size is taken from the opened file itself, so a symbolic link is judged by what it points to, and the
    /// read stops one byte past the limit, so a file that grows, a device or a pipe can never make it read more.
    public static func read(_ url: URL) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        guard size <= UInt64(Limits.batchFileBytesMax) else {
            throw BatchDecodingError(.fileTooLarge(sizeBytes: Int(clamping: size), sizeBytesMax: Limits.batchFileBytesMax))
        }
        try handle.seek(toOffset: 0)
        let data = try handle.read(upToCount: Limits.batchFileBytesMax + 1) ?? Data()
        guard data.count <= Limits.batchFileBytesMax else {
            throw BatchDecodingError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: Limits.batchFileBytesMax))
        }
        return [UInt8](data)
    }

    /// `text` with every control character (a newline, an escape code) written as `\n`, `\u{1B}` and so on, so a
    /// file name can never forge a line of output or of a `.reason` file, nor drive a terminal.
    public static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator {
                    result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
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

    /// Keeps a copy of a refused file in `quarantine` and writes `<name>.reason` beside it with the reason, so that
    /// a person can see what was refused and why. Returns the quarantined copy's location.
    ///
    /// The original is never moved or deleted: it may be any file a clerk named (`/etc/passwd`), another office's
    /// file on a shared stick, or a link. Only the bytes that were read are kept (`bytes`, at most a batch's size);
    /// a file that could not be read at all is kept as its reason alone. The copy's name is the original's with
    /// every character outside `[A-Za-z0-9._-]` replaced by `_`, and the reason file escapes control characters.
    @discardableResult
    public static func quarantine(_ file: URL, bytes: [UInt8]?, in quarantine: URL, reasonCode: String, reason: String,
                                  atMilliseconds: Int64) throws -> URL {
        try FileManager.default.createDirectory(at: quarantine, withIntermediateDirectories: true)
        let name = safeName(file.lastPathComponent)
        var target = quarantine.appendingPathComponent(name)
        var attempt = 1
        while FileManager.default.fileExists(atPath: target.path) || FileManager.default.fileExists(atPath: target.path + ".reason") {
            target = quarantine.appendingPathComponent("\(name).\(attempt)")
            attempt += 1
        }
        if let bytes { try writeAtomically(bytes, to: target) }
        let text = "file: \(printable(file.path))\ncode: \(printable(reasonCode))\nreason: \(printable(reason))\n"
            + "refused_at_ms: \(atMilliseconds)\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: target.path + ".reason"))
        return target
    }

    /// Keeps a refused HTTP upload in `quarantine` within `Limits.quarantineEntryCountMax` entries and
    /// `Limits.quarantineBytesMax` bytes: `bytes` (nil for an unauthenticated refusal) only while the byte cap allows,
    /// the `.reason` only while the entry cap allows. Returns where it was kept, or nil when the quarantine is full.
    @discardableResult
    public static func quarantineUpload(label: String, bytes: [UInt8]?, in quarantine: URL, error: BatchDecodingError,
                                        atMilliseconds: Int64) throws -> URL? {
        let usage = try quarantineUsage(in: quarantine)
        guard usage.entries < Limits.quarantineEntryCountMax else { return nil }
        var kept = bytes
        var note = bytes == nil ? "; body not kept (the signature did not verify, so nothing proves who sent it)" : ""
        if let body = bytes, usage.bytes + body.count > Limits.quarantineBytesMax {
            kept = nil
            note = "; body not kept (the quarantine holds \(usage.bytes) bytes, limit \(Limits.quarantineBytesMax))"
        }
        return try self.quarantine(URL(fileURLWithPath: "/upload/\(label)"), bytes: kept, in: quarantine, reasonCode: error.name,
                                   reason: error.description + note, atMilliseconds: atMilliseconds)
    }

    /// Entries (`.reason` files) and bytes (all files) in `quarantine`. A folder that cannot be read throws: it is
    /// never taken for an empty one, which would lift the caps.
    static func quarantineUsage(in quarantine: URL) throws -> (entries: Int, bytes: Int) {
        guard FileManager.default.fileExists(atPath: quarantine.path) else { return (0, 0) }
        let names = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
        var bytes = 0
        for name in names {
            let size = try FileManager.default.attributesOfItem(atPath: quarantine.appendingPathComponent(name).path)[.size] as? NSNumber
            bytes += size?.intValue ?? 0
        }
        return (names.filter { $0.hasSuffix(".reason") }.count, bytes)
    }

    /// A file name that is safe in a folder listing and a shell: `[A-Za-z0-9._-]` kept, anything else `_`, at most
    /// 128 bytes, never starting with a dot.
    static func safeName(_ name: String) -> String {
        var safe = String(name.unicodeScalars.prefix(128).map { scalar -> Character in
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "_"
        })
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return safe.isEmpty ? "_" : safe
    }

    /// How many refused files `quarantine` holds (0 before the first refusal created the folder).
    /// - Throws: when the folder exists but cannot be read: status must not say "nothing refused" then.
    public static func quarantineCount(in quarantine: URL) throws -> Int {
        guard FileManager.default.fileExists(atPath: quarantine.path) else { return 0 }
        return try FileManager.default.contentsOfDirectory(atPath: quarantine.path).filter { $0.hasSuffix(".reason") }.count
    }
}
