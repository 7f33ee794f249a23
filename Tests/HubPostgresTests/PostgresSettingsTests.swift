import Foundation
import HubPostgres
import Testing

/// The connection string and the password's sources: what an administrator types, and what must be refused.
@Suite struct PostgresSettingsTests {
    @Test func aMultiHostStringNamesEveryHostInOrder() throws {
        let settings = try PostgresSettings("postgres://fundsync@db-a.example:5432,10.0.0.2:5433,[::1]/treasury?target_session_attrs=read-write&connect_timeout=3",
                                            environment: [:])
        #expect(settings.hosts.map(\.description) == ["db-a.example:5432", "10.0.0.2:5433", "[::1]:5432"])
        #expect(settings.user == "fundsync")
        #expect(settings.database == "treasury")
        #expect(settings.target == .readWrite)
        #expect(settings.connectTimeoutSeconds == 3)
        #expect(settings.password == nil)
    }

    @Test func defaultsFollowLibpq() throws {
        let settings = try PostgresSettings("postgresql://db", environment: ["PGUSER": "hub"])
        #expect(settings.user == "hub")
        #expect(settings.database == "hub")
        #expect(settings.hosts == [PostgresSettings.Host(name: "db", port: 5432)])
        #expect(settings.tls == .disable)
    }

    @Test func aPasswordInTheStringIsRefused() {
        for string in ["postgres://fundsync:secret@db/fundsync", "postgres://db/fundsync?password=secret"] {
            #expect(throws: PostgresStoreError.passwordInConnectionString) { try PostgresSettings(string, environment: [:]) }
        }
    }

    @Test func malformedStringsAreRefusedWithTheReason() {
        let cases = ["mysql://db", "postgres://", "postgres://db:0/x", "postgres://db:99999/x", "postgres://db:port/x",
                     "postgres://a,,b/x", "postgres://[::1/x", "postgres://db/x?sslmode=allow", "postgres://db/x?unknown=1",
                     "postgres://db/x?connect_timeout=0", "postgres://db/x%ZZ", "postgres://d b/x", "postgres://db/x%0A"]
        for string in cases {
            #expect(throws: PostgresStoreError.self, "\(string)") { try PostgresSettings(string, environment: [:]) }
        }
    }

    @Test func thePasswordComesFromAPrivateFileOrTheEnvironment() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("password").path
        try "s3cret\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(throws: PostgresStoreError.self) { try PostgresSettings("postgres://db/x", passwordFile: file, environment: [:]) }
        chmod(file, 0o600)
        #expect(try PostgresSettings("postgres://db/x", passwordFile: file, environment: ["FUNDSYNC_PG_PASSWORD": "other"]).password == "s3cret")
        #expect(try PostgresSettings("postgres://db/x", environment: ["FUNDSYNC_PG_PASSWORD": "a", "PGPASSWORD": "b"]).password == "a")
        #expect(try PostgresSettings("postgres://db/x", environment: ["PGPASSWORD": "b"]).password == "b")
        try "\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        #expect(throws: PostgresStoreError.self) { try PostgresSettings("postgres://db/x", passwordFile: file, environment: [:]) }
        #expect(throws: PostgresStoreError.self) { try PostgresSettings("postgres://db/x", passwordFile: folder.appendingPathComponent("none").path, environment: [:]) }
    }

    @Test func noReachableServerNamesEveryHostTried() throws {
        // Two loopback ports nothing listens on: both are tried, and the error says why each was passed over.
        let settings = try PostgresSettings("postgres://fundsync@127.0.0.1:1,127.0.0.1:2/fundsync?connect_timeout=2", environment: [:])
        do {
            _ = try PostgresLink.connect(settings)
            Issue.record("connected to nothing")
        } catch let PostgresStoreError.noUsableServer(attempts) {
            #expect(attempts.count == 2)
            #expect(attempts[0].hasPrefix("127.0.0.1:1:"))
            #expect(attempts[1].hasPrefix("127.0.0.1:2:"))
        }
    }
}
