import CSQLiteCapture
import Foundation
import GRDB

/// One row of a table named the way both stores can find it again: by SQLite's rowid (every rowid table, whether the
/// rowid is an `INTEGER PRIMARY KEY` or carried as `sqlite_rowid`), or by its primary key's values (a `WITHOUT ROWID`
/// table).
enum CapturedRowKey: Hashable {
    case rowid(Int64)
    case values([StoreValue])
}

/// Which rows the current write transaction has touched, table by table, from SQLite's pre-update hook on the
/// writer connection (`CSQLiteCapture`).
///
/// Why only *which* rows, not their values: a change the hook reports can still be undone before the commit (a
/// savepoint of a group commit rolled back, a statement that fails half-way and is undone by SQLite's statement
/// atomicity), and the hook says nothing of that. So the store of record is sent what the rows *are* at the end of
/// the transaction, read back from SQLite inside it (`ReplicaStore+StoreMirror`): a touched row that exists is
/// written whole, one that does not is deleted, and a row touched by an undone change is sent unchanged (a no-op).
///
/// Used only on the writer connection, inside its transactions, which GRDB runs one at a time.
final class RowChangeCapture: @unchecked Sendable {
    /// `WITHOUT ROWID` tables and the positions of their primary key's columns; every other table is named by rowid.
    private var keyPositions: [String: [Int]] = [:]
    private(set) var tableOrder: [String] = []
    private(set) var touched: [String: [CapturedRowKey]] = [:]
    private var seen: [String: Set<CapturedRowKey>] = [:]
    /// Keys whose first change in this transaction was an insert: the row did not exist before it, so the store of
    /// record has nothing to delete for it.
    private(set) var fresh: [String: Set<CapturedRowKey>] = [:]
    /// A value of a key that could not be read (SQLite's error code), reported when the transaction is shipped.
    private(set) var failure: String?
    /// Set once the transaction has been sent to the store of record; a row change after that is a write the store
    /// of record would miss.
    var shipped = false
    private(set) var touchedAfterShipping = false
    private var connection: OpaquePointer?

    var isEmpty: Bool { tableOrder.isEmpty }

    /// Installs the hook on `db`'s connection, naming `WITHOUT ROWID` tables by the columns of `keys`.
    func install(on db: Database, keys: [String: [Int]]) {
        keyPositions = keys
        connection = db.sqliteConnection
        fs_capture_install(db.sqliteConnection, { context, operation, table, oldRowid, newRowid, _ in
            guard let context, let table else { return }
            Unmanaged<RowChangeCapture>.fromOpaque(context).takeUnretainedValue()
                .record(operation: operation, table: String(cString: table), oldRowid: oldRowid, newRowid: newRowid)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook (the store is detached from its store of record, or closing).
    func uninstall(from db: Database) {
        fs_capture_install(db.sqliteConnection, nil, nil)
        connection = nil
    }

    /// Forgets the transaction (it committed or rolled back).
    func reset() {
        tableOrder.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
        seen.removeAll(keepingCapacity: true)
        fresh.removeAll(keepingCapacity: true)
        failure = nil
        shipped = false
        touchedAfterShipping = false
    }

    private func record(operation: Int32, table: String, oldRowid: Int64, newRowid: Int64) {
        if shipped { touchedAfterShipping = true }
        let inserting = operation == Int32(FS_CAPTURE_INSERT)
        if let positions = keyPositions[table] {
            if !inserting { note(table, readKey(positions, after: false)) }
            if operation != Int32(FS_CAPTURE_DELETE) { note(table, readKey(positions, after: true), inserted: inserting) }
        } else if inserting {
            note(table, .rowid(newRowid), inserted: true)
        } else {
            note(table, .rowid(oldRowid))
            if operation == Int32(FS_CAPTURE_UPDATE) && newRowid != oldRowid { note(table, .rowid(newRowid)) }
        }
    }

    private func note(_ table: String, _ key: CapturedRowKey?, inserted: Bool = false) {
        guard let key else { return }
        if touched[table] == nil {
            tableOrder.append(table)
            touched[table] = []
            seen[table] = []
            fresh[table] = []
        }
        if seen[table]!.insert(key).inserted {
            touched[table]!.append(key)
            if inserted { fresh[table]!.insert(key) }
        }
    }

    private func readKey(_ positions: [Int], after: Bool) -> CapturedRowKey? {
        guard let connection else { return nil }
        var values: [StoreValue] = []
        values.reserveCapacity(positions.count)
        for position in positions {
            var value = fs_capture_value()
            let code = fs_capture_read(connection, after ? 1 : 0, Int32(position), &value)
            guard code == 0 else {
                failure = "SQLite error \(code) reading a key column of a changed row"
                return nil
            }
            switch value.type {
            case 1: values.append(.integer(value.integer))
            case 3: values.append(.text(value.bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(value.length)), as: UTF8.self) } ?? ""))
            case 4: values.append(.blob(value.bytes.map { Data(bytes: $0, count: Int(value.length)) } ?? Data()))
            case 5: values.append(.null)
            default:
                failure = "a key column holds a floating-point value"
                return nil
            }
        }
        return .values(values)
    }
}
