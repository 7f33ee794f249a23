import BatchWire
import Foundation
import LedgerCore

/// A person logged in to the console: who, where, the posts they hold, their CSRF token, and the key their
/// passphrase unlocked for this session only (it is forgotten when the session ends).
public struct ConsoleSession: Sendable {
    public let id: String
    public let staff: StaffMember
    public let csrfToken: String
    public let createdAt: Int64
    public var lastSeen: Int64
    /// The person's own key, unlocked at login with the passphrase they typed; `nil` when they have no key file here.
    public let keyring: PersonalKeyring?
}

/// The sessions of one console process, in memory: a restart logs everyone out, which is what a clerk expects of
/// a server that was restarted. Ids and tokens are 32 random bytes from libcrypto; a session ends after 30 minutes
/// without a request or 8 hours after login, whichever comes first.
public final class ConsoleSessions: @unchecked Sendable {
    // `@unchecked Sendable`: every access to `sessions` holds `lock`.
    private let lock = NSLock()
    private var sessions: [String: ConsoleSession] = [:]
    public static let idleMilliseconds: Int64 = 30 * 60 * 1000
    public static let lifetimeMilliseconds: Int64 = 8 * 3600 * 1000

    public init() {}

    /// A new session for `staff`: always a new id (a session id is rotated at every login, so one planted before the
    /// login is worth nothing after it).
    public func start(_ staff: StaffMember, keyring: PersonalKeyring?, now: Int64) throws -> ConsoleSession {
        let session = ConsoleSession(id: try Self.token(), staff: staff, csrfToken: try Self.token(), createdAt: now, lastSeen: now,
                                     keyring: keyring)
        lock.withLock {
            sessions = sessions.filter { !Self.expired($0.value, now: now) }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with `id`, touched; `nil` when unknown or expired (and then forgotten).
    public func find(_ id: String, now: Int64) -> ConsoleSession? {
        lock.withLock {
            guard var session = sessions[id] else { return nil }
            if Self.expired(session, now: now) {
                sessions[id] = nil
                return nil
            }
            session.lastSeen = now
            sessions[id] = session
            return session
        }
    }

    public func end(_ id: String) {
        lock.withLock { sessions[id] = nil }
    }

    static func expired(_ session: ConsoleSession, now: Int64) -> Bool {
        now - session.lastSeen > idleMilliseconds || now - session.createdAt > lifetimeMilliseconds
    }

    static func token() throws -> String {
        Hex.lower(try SecureRandom.bytes(32))
    }
}

enum Hex {
    static func lower(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}
