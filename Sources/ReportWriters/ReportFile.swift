import Foundation

/// Writes finished report bytes to disk, atomically, so a reader (or Excel) never sees half a file.
enum ReportFile {
    static func write(_ data: Data, to url: URL) throws(ReportWritingError) {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ReportWritingError(.fileWriteFailed(path: url.path, reason: "\(error)"))
        }
    }
}
