import Foundation

/// What can go wrong between the hub and its PostgreSQL store, each case saying what to do about it.
public enum PostgresStoreError: Error, Equatable, CustomStringConvertible {
    case malformedConnectionString(String)
    case passwordInConnectionString
    case passwordFile(String, String)
    /// No host of the list could be used; each host with why.
    case noUsableServer([String])
    /// A statement the server refused: its SQLSTATE and message.
    case server(sqlState: String, message: String, statement: String)
    case connection(String)
    /// The target already holds tables of a hub (a copy never writes over data).
    case targetNotEmpty([String])
    /// The source holds something the copy cannot carry faithfully.
    case unsupportedSchema(String)
    /// The PostgreSQL side holds no hub copied by `migrate-store`.
    case noHubInDatabase
    /// A value read back that the hub never stores (a type the copy does not map).
    case unexpectedValue(String)
    /// The store of record does not hold the commit stamp the hub's working copy started from: another writer, or a
    /// working copy that is behind or ahead of it.
    case storeOfRecordMoved(held: Int64, workingCopy: Int64)
    /// `COMMIT` was sent and no answer came (the server died): kept, and settled before the next write.
    case commitOutcomeUnknown(String)
    /// The working copy holds commits the store of record lacks: the database lost acknowledged data.
    case storeOfRecordBehind(held: Int64, workingCopy: Int64)
    /// Statement `index` of a pipelined run failed with `error` (`PostgresLink.executeAll`).
    indirect case failedAt(Int, PostgresStoreError)

    public var description: String {
        switch self {
        case .malformedConnectionString(let reason): return "the PostgreSQL connection string is not usable: \(reason)"
        case .passwordInConnectionString:
            return "the PostgreSQL connection string carries a password; put it in a file readable by you only (--password-file) or in FUNDSYNC_PG_PASSWORD"
        case .passwordFile(let path, let reason): return "the password file \(path) \(reason)"
        case .noUsableServer(let attempts): return "no PostgreSQL server of the list could be used: " + attempts.joined(separator: "; ")
        case .server(let state, let message, let statement):
            return "PostgreSQL refused a statement (SQLSTATE \(state)): \(message) [\(statement.prefix(160))]"
        case .connection(let reason): return "the connection to PostgreSQL failed: \(reason)"
        case .targetNotEmpty(let tables):
            return "the target database already holds hub tables (\(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : "")); copy into an empty database"
        case .unsupportedSchema(let reason): return "the hub's schema cannot be carried to PostgreSQL: \(reason)"
        case .noHubInDatabase: return "the PostgreSQL database holds no hub copied by migrate-store (no fundsync_sqlite_catalog table)"
        case .unexpectedValue(let reason): return "PostgreSQL returned a value the hub does not store: \(reason)"
        case .storeOfRecordMoved(let held, let workingCopy):
            return "the store of record holds commit \(held) but this hub's working copy is at \(workingCopy): another hub process writes the same database, or the working copy is stale; restart the hub (it rebuilds its working copy from PostgreSQL)"
        case .commitOutcomeUnknown(let reason):
            return "the store of record's COMMIT got no answer (\(reason)); the transaction was rolled back here and is settled with the database before the next write"
        case .failedAt(_, let error): return error.description
        case .storeOfRecordBehind(let held, let workingCopy):
            return "the store of record holds commit \(held) but the working copy holds \(workingCopy): PostgreSQL lost commits the hub acknowledged (was an asynchronous standby promoted?). Nothing was changed; copy the working copy to a new database with 'hub migrate-store --to' and point the hub there"
        }
    }
}
