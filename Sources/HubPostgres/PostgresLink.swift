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

    /// Runs `statements` in order, sending each as soon as the server is ready for it rather than waiting for the
    /// caller between them (postgres-nio queues them on the connection), and returns when all have answered. Fails
    /// with the first statement's error, naming its index (`failedAt`): the statements after a failed one inside a
    /// transaction are refused by the server anyway.
    public func executeAll(_ statements: [(sql: String, values: [StoreValue])]) throws {
        guard !statements.isEmpty else { return }
        guard !connection.isClosed else { throw PostgresStoreError.connection("the connection to \(host) is closed") }
        let eventLoop = connection.eventLoop
        var answers: [EventLoopFuture<PostgresQueryMetadata>] = []
        answers.reserveCapacity(statements.count)
        for statement in statements {
            answers.append(connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: try Self.bindings(statement.values)),
                                            logger: logger, { _ in }))
        }
        let all = eventLoop.makePromise(of: [Result<PostgresQueryMetadata, any Error>].self)
        EventLoopFuture.whenAllComplete(answers, on: eventLoop).cascade(to: all)
        let seconds = answerTimeout.nanoseconds / 1_000_000_000
        let deadline = eventLoop.scheduleTask(in: answerTimeout) {
            all.fail(PostgresStoreError.connection("no answer from \(self.host) within \(seconds) s"))
        }
        defer { deadline.cancel() }
        let results: [Result<PostgresQueryMetadata, any Error>]
        do {
            results = try all.futureResult.wait()
        } catch {
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
            throw error
        }
        for (index, result) in results.enumerated() {
            guard case .failure(let error) = result else { continue }
            throw PostgresStoreError.failedAt(index, Self.translated(error, statement: statements[index].sql))
        }
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
        for statement in try Self.insertStatements(rows, into: table, columns: columns) { try execute(statement.sql, statement.values) }
    }

    /// The multi-row `INSERT`s of `insert`, each followed by `suffix` (an `ON CONFLICT` clause), for a caller that sends
    /// them itself (`executeAll`).
    public static func insertStatements(_ rows: [[StoreValue]], into table: String, columns: [String], alias: String? = nil,
                                        suffix: String = "") throws -> [(sql: String, values: [StoreValue])] {
        let width = columns.count
        let perStatement = max(1, min(1_000, 60_000 / max(1, width)))
        let head = "INSERT INTO \(sqlQuoted(table))\(alias.map { " AS \($0)" } ?? "") (\(columns.map(sqlQuoted).joined(separator: ", "))) VALUES "
        var statements: [(sql: String, values: [StoreValue])] = []
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
            statements.append((sql + suffix, values))
            start += perStatement
        }
        return statements
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

    static func bindings(_ values: [StoreValue]) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): try bindings.append(number)
            case .text(let text): try bindings.append(text)
            case .blob(let data): try bindings.append(ByteBuffer(bytes: data))
            }
        }
        return bindings
    }

    /// A postgres-nio error as the store reports it: the server's refusal with its SQLSTATE, or a connection failure.
    static func translated(_ error: any Error, statement: String) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        if let error = error as? PSQLError, let info = error.serverInfo {
            return .server(sqlState: info[.sqlState] ?? "?", message: info[.message] ?? "?", statement: statement)
        }
        return .connection(describe(error))
    }

    private func run(_ sql: String, _ values: [StoreValue], onRow: (@Sendable (PostgresRow) throws -> Void)?) throws -> PostgresQueryMetadata {
        let query = PostgresQuery(unsafeSQL: sql, binds: try Self.bindings(values))
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
