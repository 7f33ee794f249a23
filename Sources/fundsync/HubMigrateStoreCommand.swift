import ArgumentParser
import Foundation
import HubPostgres
import ReplicaStore

/// `fundsync hub migrate-store`: moves a hub's data between its SQLite replica and a PostgreSQL database, then proves
/// the two hold the same: every table's row count and fingerprint, the autoincrement counters, the version vector
/// and the balances per office and account.
struct HubMigrateStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the hub's data to PostgreSQL (or back), then check both hold the same.",
        discussion: """
            The hub must not be serving while it is copied (the office lock is taken; `hub serve` holds it). The copy is
            one transaction on each side: the database gets the whole hub or nothing, and a database that already
            holds hub tables is refused. The check reads both stores afresh and names every table, vector entry or
            balance that differs; the command fails if any does. The password never goes on the command line: use
            --password-file (mode 600) or FUNDSYNC_PG_PASSWORD.

            Examples:
              fundsync hub migrate-store --data hub --to "postgres://fundsync@db-a:5432,db-b:5432/fundsync" --password-file /etc/fundsync/pg.pass
              fundsync hub migrate-store --data hub --check "postgres://fundsync@db-a:5432,db-b:5432/fundsync?target_session_attrs=any"
              fundsync hub migrate-store --from "postgres://fundsync@db-a/fundsync" --data hub-from-postgres
            """)

    @Option(name: .customLong("data"), help: ArgumentHelp("The hub's data folder (with --from: a new folder to write).", valueName: "DIR"))
    var data: String
    @Option(name: .customLong("to"), help: ArgumentHelp("Copy the hub in --data into this empty PostgreSQL database.", valueName: "URL"))
    var to: String?
    @Option(name: .customLong("from"), help: ArgumentHelp("Copy the hub held in this PostgreSQL database into a new replica in --data.", valueName: "URL"))
    var from: String?
    @Option(name: .customLong("check"), help: ArgumentHelp("Copy nothing; compare the hub in --data with this database.", valueName: "URL"))
    var check: String?
    @Option(name: .customLong("password-file"), help: ArgumentHelp("A file (mode 600) holding the database password.", valueName: "FILE"))
    var passwordFile: String?
    @Flag(name: .customLong("json"), help: "Print the check as JSON.")
    var json = false
    @Flag(name: .customLong("store-of-record"), help: ArgumentHelp(
        "With --to: make the database the hub's store of record (DIR/store.json): from then on every write commits there first."))
    var storeOfRecord = false

    func validate() throws {
        guard [to, from, check].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --to, --from and --check")
        }
        if storeOfRecord && to == nil { throw ValidationError("--store-of-record goes with --to") }
    }

    func run() throws {
        let directory = DataDirectory(data)
        if let from {
            let link = try PostgresLink.connect(try PostgresSettings(from, passwordFile: passwordFile))
            try PrivateFiles.makeFolder(directory.root)
            let summary = try HubStoreCopy.copy(from: link, toReplicaAt: directory.replica.path)
            // The copy is a hub on SQLite alone now, not a working copy of that database.
            try ReplicaStore.clearStoreOfRecordMark(ofReplicaAt: directory.replica.path)
            print("copied \(summary.totalRows) rows of \(summary.tables.count) tables from \(link.host) into \(directory.replica.path) "
                  + "in \(String(format: "%.2f", summary.seconds)) s")
            let store = try ReplicaStore.open(path: directory.replica.path, clock: SystemClock())
            try report(HubStoreCheck.compare(store, link))
            print("the replica has no keys: copy private.key, public.key and the encryption keys from the hub's old folder into \(data)")
            return
        }
        let url = to ?? check ?? ""
        let lock = try OfficeLock(directory, purpose: "hub migrate-store")
        defer { withExtendedLifetime(lock) {} }
        let hub = try openHub(data)
        if storeOfRecord {
            guard try HubStoreConfiguration.read(directory) == nil else {
                throw CLIError("\(data) already has a store of record (\(HubStoreConfiguration.file(in: directory).path))")
            }
            let settings = try PostgresSettings(url, passwordFile: passwordFile)
            let mirror: PostgresStoreOfRecord
            do {
                mirror = try HubStoreOfRecord.seed(hub.store, settings: settings)
            } catch {
                // Nothing was attached: the replica goes on alone, unmarked.
                try ReplicaStore.clearStoreOfRecordMark(ofReplicaAt: directory.replica.path)
                throw error
            }
            try HubStoreConfiguration(postgres: settings.connectionString, passwordFile: passwordFile.map { URL(fileURLWithPath: $0).path })
                .write(directory)
            print("\(settings.connectionString) is the hub's store of record from now on (\(HubStoreConfiguration.file(in: directory).path))")
            mirror.close()
        }
        let link = try PostgresLink.connect(try PostgresSettings(url, passwordFile: passwordFile))
        if to != nil && !storeOfRecord {
            let summary = try HubStoreCopy.copy(from: hub.store, to: link)
            let rate = summary.seconds > 0 ? Int(Double(summary.totalRows) / summary.seconds) : summary.totalRows
            print("copied \(summary.totalRows) rows of \(summary.tables.count) tables into \(link.host) "
                  + "in \(String(format: "%.2f", summary.seconds)) s (\(rate) rows/s)")
        }
        try report(HubStoreCheck.compare(hub.store, link))
    }

    private func report(_ result: HubStoreCheck) throws {
        if json {
            let object: [String: Any] = [
                "passed": result.passed,
                "differences": result.differences,
                "tables": result.tables.map { ["table": $0.table, "rows": $0.sqlite.rows, "fingerprint": $0.sqlite.digest,
                                               "postgresRows": $0.postgres?.rows ?? -1, "postgresFingerprint": $0.postgres?.digest ?? "",
                                               "matches": $0.matches] as [String: Any] },
                "vector": result.sqliteVector,
                "balances": result.sqliteBalances.count,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
        } else {
            for table in result.tables where !table.matches || table.sqlite.rows > 0 {
                print("\(table.matches ? "same" : "DIFFERS")  \(table.table.padding(toLength: 24, withPad: " ", startingAt: 0)) "
                      + "\(String(table.sqlite.rows).leftPadded(8)) rows  \(table.sqlite.digest.prefix(16))")
            }
            let empty = result.tables.filter { $0.matches && $0.sqlite.rows == 0 }.count
            print("\(result.tables.count) tables compared (\(empty) empty in both); version vector: \(result.sqliteVector.count) origins; "
                  + "balances: \(result.sqliteBalances.count / 2) office/account/side totals")
        }
        guard result.passed else {
            for difference in result.differences { writeError("differs: \(difference)") }
            throw ExitCode(1)
        }
        if !json { print("ok: both stores hold the same hub (row counts, fingerprints, counters, vector and balances)") }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
