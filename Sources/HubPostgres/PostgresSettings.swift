import Foundation

/// Where the hub's PostgreSQL store is and how to log in, from a libpq-style connection string:
///
/// ```
/// postgres://fundsync@db-a.example:5432,db-b.example:5432/fundsync?target_session_attrs=read-write&sslmode=require
/// ```
///
/// Several hosts mean a primary and its standbys: the link tries them in order and keeps the first that accepts
/// writes (`target_session_attrs=read-write`, the default), so after a standby is promoted the same string finds it.
///
/// **The password is never part of the string** (a string shows in `ps`, shell history and logs): it comes from a
/// file readable by its owner only (`--password-file`) or from the environment (`FUNDSYNC_PG_PASSWORD`, then
/// libpq's `PGPASSWORD`). A string that carries one is refused.
public struct PostgresSettings: Sendable, Equatable {
    public struct Host: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var port: Int
        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
        public var description: String { name.contains(":") ? "[\(name)]:\(port)" : "\(name):\(port)" }
    }

    /// Which server a link may settle on.
    public enum SessionTarget: String, Sendable {
        /// Only a primary (a server that is not in recovery and accepts writes); the hub's own store.
        case readWrite = "read-write"
        /// Any server, a standby included (checks and reports may read from a standby).
        case any
    }

    /// TLS to the server; the names are libpq's `sslmode` values that mean something here.
    public enum TLSMode: String, Sendable {
        case disable
        /// Encrypted, the server's certificate not checked (libpq's `require`).
        case require
        /// Encrypted, the certificate checked against the system's trust store and the host name.
        case verifyFull = "verify-full"
    }

    public var hosts: [Host]
    public var user: String
    public var database: String
    public var password: String?
    public var target: SessionTarget
    public var tls: TLSMode
    /// Seconds to wait for each host before trying the next.
    public var connectTimeoutSeconds: Int
    /// Seconds to wait for the answer to one statement (`answer_timeout`, FundSync's own setting, default 30) before
    /// the link gives the connection up: a server that vanished without closing it (a machine that lost power, a
    /// cut network) must fail the hub's transaction, not hang it. A synchronous commit whose standby is gone waits
    /// this long too, then fails.
    public var answerTimeoutSeconds: Int

    /// The string without the password (there is none in it), for messages and the hub's config.
    public let connectionString: String

    /// Parses `string` and finds the password.
    /// - Parameters:
    ///   - passwordFile: a file holding the password (one line); it must not be readable by group or others.
    ///   - environment: where `FUNDSYNC_PG_PASSWORD` or `PGPASSWORD` may be (the process environment by default).
    /// - Throws: `PostgresStoreError` naming what is wrong with the string or the file.
    public init(_ string: String, passwordFile: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let scheme: String
        if string.hasPrefix("postgres://") { scheme = "postgres://" } else if string.hasPrefix("postgresql://") { scheme = "postgresql://" } else {
            throw PostgresStoreError.malformedConnectionString("it must start with postgres:// or postgresql://")
        }
        var rest = Substring(string.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var authority = rest
        var user = ""
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if userInfo.contains(":") { throw PostgresStoreError.passwordInConnectionString }
            user = try Self.decoded(userInfo, what: "user name")
        }
        guard !authority.isEmpty else { throw PostgresStoreError.malformedConnectionString("it names no host") }
        hosts = try authority.split(separator: ",", omittingEmptySubsequences: false).map(Self.host)
        guard hosts.count <= 16 else { throw PostgresStoreError.malformedConnectionString("it names \(hosts.count) hosts; at most 16") }
        database = try Self.decoded(path, what: "database name")
        target = .readWrite
        tls = .disable
        connectTimeoutSeconds = 5
        answerTimeoutSeconds = 30
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw PostgresStoreError.malformedConnectionString("'\(pair)' is not name=value") }
            let name = String(parts[0]), value = try Self.decoded(parts[1], what: String(parts[0]))
            switch name {
            case "target_session_attrs":
                guard let chosen = SessionTarget(rawValue: value) else {
                    throw PostgresStoreError.malformedConnectionString("target_session_attrs must be read-write or any, not '\(value)'")
                }
                target = chosen
            case "sslmode":
                guard let chosen = TLSMode(rawValue: value) else {
                    throw PostgresStoreError.malformedConnectionString("sslmode must be disable, require or verify-full, not '\(value)'")
                }
                tls = chosen
            case "connect_timeout":
                guard let seconds = Int(value), (1...300).contains(seconds) else {
                    throw PostgresStoreError.malformedConnectionString("connect_timeout must be 1 to 300 seconds, not '\(value)'")
                }
                connectTimeoutSeconds = seconds
            case "answer_timeout":
                guard let seconds = Int(value), (1...3_600).contains(seconds) else {
                    throw PostgresStoreError.malformedConnectionString("answer_timeout must be 1 to 3600 seconds, not '\(value)'")
                }
                answerTimeoutSeconds = seconds
            case "user":
                user = value
            case "password":
                throw PostgresStoreError.passwordInConnectionString
            default:
                throw PostgresStoreError.malformedConnectionString("unknown setting '\(name)' (known: target_session_attrs, sslmode, connect_timeout, answer_timeout, user)")
            }
        }
        if user.isEmpty { user = environment["PGUSER"] ?? "fundsync" }
        if database.isEmpty { database = user }
        self.user = user
        password = try Self.password(file: passwordFile, environment: environment)
        connectionString = string
    }

    /// The same server list and login, another database (a throwaway database per test or simulated run).
    public func database(_ name: String) -> PostgresSettings {
        var settings = self
        settings.database = name
        return settings
    }

    private static func host(_ text: Substring) throws -> Host {
        guard !text.isEmpty else { throw PostgresStoreError.malformedConnectionString("an empty host in the host list") }
        var name: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresStoreError.malformedConnectionString("'\(text)': no closing ]") }
            name = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw PostgresStoreError.malformedConnectionString("'\(text)': expected :port after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            name = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            name = text
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || ".-_:%".contains($0) }) else {
            throw PostgresStoreError.malformedConnectionString("'\(name)' is not a host name or address")
        }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw PostgresStoreError.malformedConnectionString("'\(portText)' is not a port (1 to 65535)")
            }
            port = number
        }
        return Host(name: String(name), port: port)
    }

    private static func decoded(_ text: Substring, what: String) throws -> String {
        guard let value = String(text).removingPercentEncoding else {
            throw PostgresStoreError.malformedConnectionString("the \(what) '\(text)' has a bad %-escape")
        }
        guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw PostgresStoreError.malformedConnectionString("the \(what) holds a control character")
        }
        return value
    }

    private static func password(file: String?, environment: [String: String]) throws -> String? {
        if let file {
            var status = stat()
            guard stat(file, &status) == 0 else { throw PostgresStoreError.passwordFile(file, "cannot be read (errno \(errno))") }
            guard status.st_mode & 0o077 == 0 else {
                throw PostgresStoreError.passwordFile(file, "is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw PostgresStoreError.passwordFile(file, "cannot be read as UTF-8 text")
            }
            let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) } ?? ""
            guard !password.isEmpty else { throw PostgresStoreError.passwordFile(file, "is empty") }
            return password
        }
        return environment["FUNDSYNC_PG_PASSWORD"] ?? environment["PGPASSWORD"]
    }
}
