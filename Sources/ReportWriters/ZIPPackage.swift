import Foundation
import ZIPFoundation

/// Packs named parts into a ZIP archive in memory, byte-for-byte the same for the same parts.
///
/// Determinism matters for reports: the same books must give the same file, so a checksum or a `git diff` of two
/// runs shows whether anything changed. ZIP entries carry a modification time and permissions, so both are fixed
/// here (the DOS epoch 1980-01-01 00:00, the earliest time ZIP can store, and `0644`); entries keep the given order.
enum ZIPPackage {
    /// 1980-01-01T00:00:00Z: ZIP's MS-DOS timestamps cannot go earlier, and nothing real happened then.
    static let fixedModificationDate = Date(timeIntervalSince1970: 315_532_800)
    static let filePermissions: UInt16 = 0o644

    static func archive(_ parts: [(path: String, data: Data)]) throws(ReportWritingError) -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts { try add(part.data, at: part.path, to: archive) }
            guard let data = archive.data else { throw ReportWritingError(.archiveFailed(reason: "no archive data")) }
            return data
        } catch let error as ReportWritingError {
            throw error
        } catch {
            throw ReportWritingError(.archiveFailed(reason: "\(error)"))
        }
    }

    private static func add(_ data: Data, at path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             modificationDate: fixedModificationDate, permissions: filePermissions,
                             compressionMethod: .deflate) { position, size in
            let start = data.startIndex + Int(position)
            return data.subdata(in: start..<start + size)
        }
    }
}
