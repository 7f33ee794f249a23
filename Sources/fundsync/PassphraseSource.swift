import Foundation

/// Where the CLI gets a person's passphrase (4/6): never from an argument, where `ps` and the shell history would
/// show it. In order: the file descriptor `FUNDSYNC_PASSPHRASE_FD` (a script that pipes it in), the file
/// `FUNDSYNC_PASSPHRASE_FILE` (readable by its owner only, as ssh demands of a key), or a prompt on the terminal.
///
/// A descriptor or file holds either one line — the passphrase of whoever signs — or one line per person,
/// `<staff id><TAB><passphrase>`, for a terminal where several people sign one document (preparer and reviewer).
struct PassphraseSource {
    private var lines: [String]?
    let origin: String
    /// A file is read again when it has no line for a person (a key agent outlives the file's first version).
    private var file: String?

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PassphraseSource {
        if let text = environment["FUNDSYNC_PASSPHRASE_FD"] {
            guard let fd = Int32(text), fd > 2 else { throw CLIError("FUNDSYNC_PASSPHRASE_FD '\(text)' is not a file descriptor above 2") }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
            let data = try handle.readToEnd() ?? Data()
            return PassphraseSource(lines: Self.lines(data), origin: "file descriptor \(fd)")
        }
        if let path = environment["FUNDSYNC_PASSPHRASE_FILE"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw CLIError("\(path) may be read by others (mode \(String(mode, radix: 8))); a passphrase file must be chmod 600")
            }
            return PassphraseSource(lines: try Self.read(path), origin: path, file: path)
        }
        return PassphraseSource(lines: nil, origin: "the terminal")
    }

    static func read(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        return lines(data)
    }

    static func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    /// The passphrase of `staff`.
    /// - Throws: when the source has none for them, or there is no terminal to ask.
    func passphrase(for staff: String, purpose: String) throws -> String {
        if var lines {
            if let file, !lines.contains(where: { $0.hasPrefix(staff + "\t") }) { lines = try Self.read(file) }
            for line in lines {
                let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0] == staff { return String(parts[1]) }
            }
            if lines.count == 1, !lines[0].contains("\t") { return lines[0] }
            throw CLIError("\(origin) has no passphrase for \(staff) (one line per person: staff id, a TAB, the passphrase)")
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError("no terminal to ask \(staff)'s passphrase: set FUNDSYNC_PASSPHRASE_FD or FUNDSYNC_PASSPHRASE_FILE")
        }
        guard let typed = getpass("\(staff) 的口令 (passphrase) to \(purpose): ") else { throw CLIError("no passphrase typed") }
        return String(cString: typed)
    }
}
