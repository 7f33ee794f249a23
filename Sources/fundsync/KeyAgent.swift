import ArgumentParser
import Foundation
import LedgerCore
#if canImport(Glibc)
import Glibc
#endif

/// `fundsync key-agent`: holds people's keys unlocked for one working session, as ssh-agent does, so a clerk types a
/// passphrase once in the morning instead of at every command (4/6: "from a file descriptor or an agent"). Commands
/// that find `FUNDSYNC_AGENT` (the socket path) ask it to sign; the private keys never leave the agent's memory.
///
/// The socket is created mode 0600 inside a folder of mode 0700, and the agent also refuses a peer of another user
/// (`SO_PEERCRED`). The protocol is one line per request and per answer:
/// `KEY <staff>` → `OK <key id>` or `NONE`; `SIGN <staff> <message hex>` → `OK <signature hex>` or `ERR <why>`.
struct KeyAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key-agent",
        abstract: "Hold people's keys unlocked for a session and sign for the commands of this terminal (FUNDSYNC_AGENT).",
        discussion: """
            Keys are read from FUNDSYNC_KEYS (one <staff>.key per person) the first time a command asks for a person, \
            with the passphrase from the terminal, FUNDSYNC_PASSPHRASE_FD or FUNDSYNC_PASSPHRASE_FILE. Stop it to forget them.

            Example:
              FUNDSYNC_KEYS=~/.fundsync/keys fundsync key-agent --socket ~/.fundsync/agent/socket &
              export FUNDSYNC_AGENT=~/.fundsync/agent/socket
              fundsync post --data county vouchers.json     # signed by the agent
            """)
    @Option(help: ArgumentHelp("The socket to create (its folder must be yours alone, mode 0700).", valueName: "PATH")) var socket: String

    func run() throws {
        guard let signer = try KeyFolderSigner.fromEnvironment() else { throw CLIError("set FUNDSYNC_KEYS to the folder of the key files") }
        let folder = URL(fileURLWithPath: socket).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw CLIError("\(folder.path) may be entered by others (mode \(String(mode, radix: 8))); the agent's folder must be chmod 700")
        }
        let listener = try UnixSocket.listen(at: socket)
        defer { close(listener); unlink(socket) }
        FileHandle.standardOutput.write(Data("key agent listening on \(socket); export FUNDSYNC_AGENT=\(socket)\n".utf8))
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            defer { close(connection) }
            guard UnixSocket.peerIsSelf(connection) else { continue }
            while let request = UnixSocket.readLine(connection) {
                UnixSocket.writeLine(connection, Self.answer(request, signer: signer))
            }
        }
    }

    static func answer(_ request: String, signer: KeyFolderSigner) -> String {
        let parts = request.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        do {
            switch (parts.first, parts.count) {
            case ("KEY", 2):
                return try signer.keyID(for: parts[1]).map { "OK \($0)" } ?? "NONE"
            case ("SIGN", 3):
                guard let message = Hex.decode(parts[2]) else { return "ERR the message is not hex" }
                guard try signer.keyID(for: parts[1]) != nil else { return "ERR no key of \(parts[1])" }
                return "OK " + Hex.encode(try signer.sign(message, as: parts[1]))
            default:
                return "ERR unknown request"
            }
        } catch {
            return "ERR \(error)".replacingOccurrences(of: "\n", with: " ")
        }
    }
}

/// The client side: a ``StaffSigner`` that asks the agent at `FUNDSYNC_AGENT`.
final class AgentSigner: StaffSigner, @unchecked Sendable {
    // `@unchecked Sendable`: one command uses it from one thread; the descriptor is only read and written.
    private let connection: Int32

    init(socket path: String) throws {
        connection = try UnixSocket.connect(to: path)
    }

    deinit { close(connection) }

    private func ask(_ request: String) throws -> String? {
        UnixSocket.writeLine(connection, request)
        guard let answer = UnixSocket.readLine(connection) else { throw CLIError("the key agent closed the connection") }
        if answer == "NONE" { return nil }
        guard answer.hasPrefix("OK ") else { throw CLIError("key agent: \(answer.dropFirst(4))") }
        return String(answer.dropFirst(3))
    }

    func keyID(for staff: String) throws -> String? {
        // A name that could not be a key file's, or would break the one-line protocol, has no key at the agent.
        guard KeyFolderSigner.isFileName(staff), !staff.contains("\n"), !staff.contains(" ") else { return nil }
        return try ask("KEY \(staff)")
    }

    func sign(_ message: [UInt8], as staff: String) throws -> [UInt8] {
        guard let hex = try ask("SIGN \(staff) \(Hex.encode(message))"), let signature = Hex.decode(hex) else {
            throw CLIError("key agent: no signature of \(staff)")
        }
        return signature
    }
}

/// Unix-domain stream sockets, thinly: listen, connect, one line at a time.
enum UnixSocket {
    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw CLIError("socket path \(path) is longer than \(capacity - 1) bytes") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    static func listen(at path: String) throws -> Int32 {
        unlink(path)
        var address = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("cannot create a socket") }
        let previous = umask(0o177)
        defer { umask(previous) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else { close(fd); throw CLIError("cannot listen on \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    static func connect(to path: String) throws -> Int32 {
        var address = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("cannot create a socket") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw CLIError("no key agent at \(path) (FUNDSYNC_AGENT): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// True when the connected peer runs as this process's user.
    static func peerIsSelf(_ fd: Int32) -> Bool {
        // struct ucred of <sys/socket.h> (Linux), which Glibc's Swift module leaves out without _GNU_SOURCE.
        struct PeerCredentials { var pid: Int32 = 0; var uid: UInt32 = 0; var gid: UInt32 = 0 }
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return false }
        return credentials.uid == getuid()
    }

    /// Reads up to a newline; `nil` at end of stream or past 1 MiB (a message is a document's canonical bytes).
    static func readLine(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
            if bytes.count > 1 << 20 { return nil }
        }
        return nil
    }

    static func writeLine(_ fd: Int32, _ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Lower-case hexadecimal.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
