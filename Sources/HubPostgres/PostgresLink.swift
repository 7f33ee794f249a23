import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import ReplicaStore

/// One connection to the hub's PostgreSQL store, used synchronously.
///
/// Why synchronous: the store's callers (the copy, the checks, GRDB's read transaction that a copy streams from)
/// are synchronous, like the SQLite store's. The link waits on postgres-nio's event-loop futures, whose I/O runs on
/// NIO's own threads, so waiting never needs a Swift-concurrency thread that the waiter might be holding. It must
/// not be used from an event-loop thread.
///
/// **Failover.** `connect` tries the hosts of the settings in order and keeps the first that answers and, for a
/// `read-write` target, is not a standby (`SHOW transaction_read_only` is `off`). After a standby is promoted, a new
/// `connect` with the same string finds it; a link whose server went away fails its next statement
/// (`PostgresStoreError.connection`) and the caller connects again.
public final class PostgresLink: @unchecked Sendable {
    // @unchecked: the connection is used by one caller at a time (the link's contract), and postgres-nio's
    // connection is itself thread-safe.
    let connection: PostgresConnection
    let logger: Logger
    /// The host the link settled on.
    public let host: PostgresSettings.Host

    /// How long one statement may wait for its answer (`PostgresSettings.answerTimeoutSeconds`).
    let answerTimeout: TimeAmount

    private init(connection: PostgresConnection, host: PostgresSettings.Host, answerTimeoutSeconds: Int, logger: Logger) {
        self.connection = connection
        self.host = host
        self.answerTimeout = .seconds(Int64(answerTimeoutSeconds))
        self.logger = logger
    }

    private var closed = false

    /// Closes the connection now (a database cannot be dropped while a session is connected to it). Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        let closing: EventLoopFuture<Void> = connection.close()
        do { try closing.wait() } catch { logger.debug("closing the connection to \(host): \(error)") }
    }

    /// Closes the connection if `close` was not called (postgres-nio requires a connection closed before release).
    deinit { close() }

    /// Connects to the first usable host of `settings` (see the type's "Failover").
    /// - Throws: `PostgresStoreError.noUsableServer` with each host and why it was passed over.
    public static func connect(_ settings: PostgresSettings, logger: Logger = Logger(label: "fundsync.postgres")) throws -> PostgresLink {
        var attempts: [String] = []
        for host in settings.hosts {
            var configuration = PostgresConnection.Configuration(
                host: host.name, port: host.port, username: settings.user, password: settings.password,
                database: settings.database, tls: try tls(settings.tls))
            configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeoutSeconds))
            let connection: PostgresConnection
            do {
                connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                            configuration: configuration, id: 1, logger: logger).wait()
            } catch {
                attempts.append("\(host): \(Self.describe(error))")
                continue
            }
            let link = PostgresLink(connection: connection, host: host, answerTimeoutSeconds: settings.answerTimeoutSeconds, logger: logger)
            if settings.target == .readWrite {
                do {
                    let readOnly = try link.rows("SHOW transaction_read_only").first?.first
                    guard readOnly == .text("off") else {
                        attempts.append("\(host): a standby (read-only)")
                        continue
                    }
                } catch {
                    attempts.append("\(host): \(error)")
                    continue
                }
            }
            return link
        }
        throw PostgresStoreError.noUsableServer(attempts)
    }

    private static func tls(_ mode: PostgresSettings.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// Runs a statement that returns no rows we need.
    public func execute(_ sql: String, _ values: [StoreValue] = []) throws {
        _ = try run(sql, values, onRow: nil)
    }

    /// Runs a query and returns its rows.
    public func rows(_ sql: String, _ values: [StoreValue] = []) throws -> [[StoreValue]] {
        let collected = RowCollector()
        _ = try run(sql, values) { row in collected.rows.append(try Self.values(of: row)) }
        return collected.rows
    }

    /// Runs a query and hands each row to `body` as it arrives (for tables too large to hold).
    public func forEachRow(_ sql: String, _ values: [StoreValue] = [], _ body: @escaping @Sendable ([StoreValue]) throws -> Void) throws {
        _ = try run(sql, values) { row in try body(try Self.values(of: row)) }
    }

    /// Hands the rows of `sql` to `body` in chunks of `chunk`, through a cursor, so a large table is never held whole
    /// and `body` runs on the caller's thread (it may write to SQLite). Must run inside `transaction`.
    public func chunks(_ sql: String, chunk: Int = 2_000, _ body: ([[StoreValue]]) throws -> Void) throws {
        try execute("DECLARE fundsync_rows NO SCROLL CURSOR FOR \(sql)")
        while true {
            let rows = try rows("FETCH FORWARD \(chunk) FROM fundsync_rows")
            if rows.isEmpty { break }
            try body(rows)
            if rows.count < chunk { break }
        }
        try execute("CLOSE fundsync_rows")
    }

    /// Inserts `rows` (each in the order of `columns`) with multi-row `INSERT`s, each statement under PostgreSQL's
    /// 65,535 parameters: one round trip per statement rather than per row.
    public func insert(_ rows: [[StoreValue]], into table: String, columns: [String]) throws {
        let width = columns.count
        let perStatement = max(1, min(1_000, 60_000 / max(1, width)))
        let head = "INSERT INTO \(sqlQuoted(table)) (\(columns.map(sqlQuoted).joined(separator: ", "))) VALUES "
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(rows.count, start + perStatement)]
            var sql = head
            var values: [StoreValue] = []
            values.reserveCapacity(slice.count * width)
            for (index, row) in slice.enumerated() {
                guard row.count == width else {
                    throw PostgresStoreError.unsupportedSchema("a row of \(table) has \(row.count) values for \(width) columns")
                }
                let base = index * width
                sql += (index == 0 ? "(" : ", (") + (1...width).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
                values += row
            }
            try execute(sql, values)
            start += perStatement
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// - Parameter isolation: the SQL isolation level, e.g. `SERIALIZABLE` or `REPEATABLE READ READ ONLY`.
    public func transaction<T>(isolation: String = "READ COMMITTED", _ body: () throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(isolation)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A rollback that fails (the connection is gone) leaves nothing committed either; report the first error.
            do { try execute("ROLLBACK") } catch { logger.warning("rollback failed: \(error)") }
            throw error
        }
    }

    private func run(_ sql: String, _ values: [StoreValue], onRow: (@Sendable (PostgresRow) throws -> Void)?) throws -> PostgresQueryMetadata {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): try bindings.append(number)
            case .text(let text): try bindings.append(text)
            case .blob(let data): try bindings.append(ByteBuffer(bytes: data))
            }
        }
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        guard !connection.isClosed else { throw PostgresStoreError.connection("the connection to \(host) is closed") }
        do {
            // Waited with a deadline: a connection whose server vanished may never answer (seen when the primary is
            // killed: a statement sent as the connection closed was never failed), and the hub's writer must not hang.
            let eventLoop = connection.eventLoop
            let answer = eventLoop.makePromise(of: PostgresQueryMetadata.self)
            connection.query(query, logger: logger, onRow ?? { _ in }).cascade(to: answer)
            let seconds = answerTimeout.nanoseconds / 1_000_000_000
            let deadline = eventLoop.scheduleTask(in: answerTimeout) {
                answer.fail(PostgresStoreError.connection("no answer from \(self.host) within \(seconds) s"))
            }
            defer { deadline.cancel() }
            do {
                return try answer.futureResult.wait()
            } catch let error as PostgresStoreError {
                // The connection is in an unknown state: give it up (the caller connects again).
                let closing: EventLoopFuture<Void> = connection.close()
                closing.whenComplete { _ in }
                throw error
            }
        } catch let error as PSQLError {
            if let info = error.serverInfo {
                throw PostgresStoreError.server(sqlState: info[.sqlState] ?? "?", message: info[.message] ?? "?", statement: sql)
            }
            throw PostgresStoreError.connection(Self.describe(error))
        }
    }

    static func values(of row: PostgresRow) throws -> [StoreValue] {
        try row.map { cell -> StoreValue in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
            case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
            case .bytea:
                var buffer = try cell.decode(ByteBuffer.self)
                return .blob(buffer.readData(length: buffer.readableBytes) ?? Data())
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            default:
                throw PostgresStoreError.unexpectedValue("column \(cell.columnName) has the PostgreSQL type \(cell.dataType)")
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}

/// Rows gathered by a callback that runs on the event loop while the caller waits (one writer, then one reader).
private final class RowCollector: @unchecked Sendable {
    var rows: [[StoreValue]] = []
}
