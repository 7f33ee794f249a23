// swift-tools-version: 6.0
// FundSync: store-and-forward sync of a provincial treasury network's books.
// Module map and the allowed imports between modules: see docs/DESIGN.md §6 and README.md.
import Foundation
import PackageDescription

/// The commit `fundsync --version` names, read from git when the manifest is evaluated.
let gitCommit: String = {
    guard let git = Context.gitInformation else { return "unknown" }
    return git.currentCommit + (git.hasUncommittedChanges ? "-modified" : "")
}()

let package = Package(
    name: "FundSync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fundsync", targets: ["fundsync"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "BatchWire", targets: ["BatchWire"]),
        .library(name: "BatchExchange", targets: ["BatchExchange"]),
        .library(name: "ReplicaStore", targets: ["ReplicaStore"]),
        .library(name: "NodeAgent", targets: ["NodeAgent"]),
        .library(name: "HubCore", targets: ["HubCore"]),
        // The test kit (manual clock, seeded generator, test provinces, process runner), shared by the tests and the
        // simulation, as Hummingbird ships HummingbirdTesting.
        .library(name: "SyncTesting", targets: ["SyncTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // HTTP client of `fundsync sync` and `relay` (already resolved for HummingbirdTesting).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Imported directly: NIOCore/NIOHTTP1 by the CLI's HTTP client, HTTPTypes by HubServer and its tests.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // TLS for `hub serve` (HummingbirdTLS) and for the client's CA file (NIOSSL: BoringSSL, no SM2 cipher suites).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // NIOHTTPTypes: the request parts HubServer's slow-client handler reads (already resolved for Hummingbird).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // The web console (4/6): server-rendered templates, and bcrypt for the console's passphrase hashes.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // multipart/form-data for the console's bank statement upload.
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // The hub's PostgreSQL store (issue 11): the wire client for the copy, the checks and the standby.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "FSZlib", path: "Sources/FSZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // SQLite's session extension, declared by hand because <sqlite3.h> hides it; only for fundsync-bench's
        // session-extension peer (issue 5/6 item 4).
        .systemLibrary(name: "CSQLiteSession", path: "Sources/CSQLiteSession", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // The git commit of the build, for `fundsync --version` (a C define carries the string).
        .target(name: "FSBuildInfo", path: "Sources/FSBuildInfo",
                cSettings: [.define("FUNDSYNC_GIT_COMMIT", to: "\"\(gitCommit)\"")]),
        .target(name: "LedgerCore"),
        // Bank statements (camt.053, MT940, CSV) parsed into one model; pure, so it can be fuzzed alone.
        .target(name: "BankStatements", dependencies: ["LedgerCore", "ReportWriters"]),
        // Payments through the bank (7/7): ISO 20022 pain.001 instructions out, the bank's answers in, batch payment
        // lists (CSV or xlsx, through ReportWriters' readers); pure.
        .target(name: "BankPayments", dependencies: ["LedgerCore", "BankStatements", "ReportWriters"]),
        // A bank for tests and the demo (7/7): takes pain.001 from the folder link, answers pain.002, camt.054, camt.053,
        // and plants rejections, delays, drops and duplicates on request.
        // Its host-to-host door (HTTPS with client certificates) is Hummingbird over the same folders.
        .target(name: "SimulatedBank", dependencies: [
            "BankPayments", "LedgerCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Report output for people: terminal tables, CSV (UTF-8 with BOM) and real .xlsx workbooks.
        .target(name: "ReportWriters", dependencies: ["FSZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "BatchWire", dependencies: ["LedgerCore", "FSZlib", "CCrypto"]),
        // The rows a hub write transaction touches, from SQLite's pre-update hook (the PostgreSQL store of record).
        .target(name: "CSQLiteCapture", path: "Sources/CSQLiteCapture", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "ReplicaStore", dependencies: [
            "LedgerCore", "CSQLiteCapture",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The hub's data on PostgreSQL (issue 11): connection settings with failover across hosts, the schema ported
        // from the SQLite hub's catalogue, the consistent copy both ways and its checks (`hub migrate-store`).
        .target(name: "HubPostgres", dependencies: [
            "ReplicaStore", "LedgerCore", "BatchWire",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The whole trip of a batch, once: inbox and quarantine, open, receive under a policy, seal, export.
        .target(name: "BatchExchange", dependencies: ["LedgerCore", "BatchWire", "ReplicaStore"]),
        .target(name: "NodeAgent", dependencies: ["LedgerCore", "BatchWire", "BatchExchange", "ReplicaStore",
                                                  .product(name: "Logging", package: "swift-log")]),
        .target(name: "HubCore", dependencies: ["LedgerCore", "BatchWire", "BatchExchange", "ReplicaStore", "BankStatements", "BankPayments", "ReportWriters"]),
        // The hub's HTTP API in names (paths, headers, media types) and the pull authorization, shared by the server and
        // the client so the client does not import the server.
        .target(name: "SyncAPI", dependencies: ["LedgerCore", "BatchWire"]),
        // The hub's HTTP API over HubCore (Hummingbird); maps errors to HTTP status codes here only.
        .target(name: "HubServer", dependencies: [
            "HubCore", "SyncAPI", "BatchExchange", "BatchWire", "ReplicaStore", "LedgerCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The web console of the hub and of a county's node (4/6): Hummingbird pages from Mustache templates, in Chinese
        // first (catalogs in Resources/), logins with bcrypt, sessions, CSRF tokens, signed actions.
        .target(name: "WebConsole", dependencies: [
            "HubCore", "NodeAgent", "ReplicaStore", "BatchWire", "BankStatements", "LedgerCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Resources")]),
        // The client side of the hub's HTTP API (AsyncHTTPClient): the node's sync transport and the relay engine; and
        // the hub's host-to-host link to a bank (HubCore's BankLink over HTTPS with mutual TLS).
        .target(name: "HubClient", dependencies: [
            "SyncAPI", "NodeAgent", "BatchWire", "LedgerCore", "HubCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // A hub and many nodes in one process: seeded workload, simulated network and crashes, invariant checks.
        .target(name: "Simulation", dependencies: ["HubCore", "NodeAgent", "BatchExchange", "ReplicaStore", "BatchWire", "LedgerCore", "SyncTesting"]),
        .executableTarget(name: "fundsync", dependencies: [
            "FSBuildInfo", "LedgerCore", "BatchWire", "BatchExchange", "ReplicaStore", "NodeAgent", "HubCore", "ReportWriters", "HubServer",
            "HubClient", "Simulation", "WebConsole", "BankPayments", "BankStatements", "SimulatedBank", "HubPostgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "fundsync-bench", dependencies: [
            "LedgerCore", "BatchWire", "ReplicaStore", "NodeAgent", "HubCore", "HubClient", "SyncAPI", "CSQLiteSession", "HubPostgres",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "SyncTesting", dependencies: ["LedgerCore", "BatchWire", "BatchExchange", "ReplicaStore", "NodeAgent", "HubCore", "HubPostgres"],
                path: "Tests/SyncTesting"),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        .testTarget(name: "BankPaymentsTests", dependencies: ["BankPayments", "BankStatements", "LedgerCore", "SimulatedBank", "SyncTesting"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "BankStatementsTests", dependencies: ["BankStatements", "LedgerCore", "ReportWriters"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportWritersTests", dependencies: ["ReportWriters",
                                                             .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "BatchWireTests", dependencies: ["BatchWire", "LedgerCore", "HubCore", "NodeAgent", "ReplicaStore", "SyncTesting"]),
        .testTarget(name: "ReplicaStoreTests", dependencies: ["ReplicaStore", "LedgerCore", "SyncTesting"]),
        .testTarget(name: "NodeAgentTests", dependencies: ["NodeAgent", "SyncTesting"]),
        .testTarget(name: "SyncFlowTests", dependencies: ["SimulatedBank", "BankPayments", "HubCore", "NodeAgent", "ReplicaStore", "BatchWire",
                                                         "LedgerCore", "SyncTesting",
                                                         .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ReconciliationTests", dependencies: ["HubCore", "NodeAgent", "ReplicaStore", "BatchWire", "BatchExchange", "LedgerCore",
                                                              "SyncTesting", "ReportWriters"]),
        .testTarget(name: "HubServerTests", dependencies: ["HubServer", "BatchExchange", "SyncAPI", "HubClient", "HubCore", "NodeAgent", "BatchWire", "LedgerCore", "SyncTesting", "SimulatedBank", "BankPayments", "ReplicaStore",
                                                         .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                         .product(name: "Hummingbird", package: "hummingbird"),
                                                         .product(name: "HTTPTypes", package: "swift-http-types"),
                                                         .product(name: "NIOEmbedded", package: "swift-nio"),
                                                         .product(name: "NIOHTTPTypes", package: "swift-nio-extras")]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "WebConsoleTests", dependencies: [
            "WebConsole", "BatchWire", "LedgerCore", "HubCore", "ReportWriters",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "HubPostgresTests", dependencies: ["HubPostgres", "HubCore", "ReplicaStore", "LedgerCore", "SyncTesting"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SyncTesting", "BatchWire", "LedgerCore"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Scripts/fuzz): only declared when FUNDSYNC_FUZZ=1, because their only code is
// `LLVMFuzzerTestOneInput` and they link only with `--sanitize fuzzer`.
if ProcessInfo.processInfo.environment["FUNDSYNC_FUZZ"] == "1" {
    package.targets += [
        .executableTarget(name: "FuzzBatchDecoder", dependencies: ["BatchWire", "LedgerCore"], path: "Fuzz/BatchDecoder",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzStatements", dependencies: ["BankStatements"], path: "Fuzz/Statements",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzPullHeader", dependencies: ["SyncAPI"], path: "Fuzz/PullHeader",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzBankExport", dependencies: ["BankStatements"], path: "Fuzz/BankExport",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzXLSX", dependencies: ["ReportWriters"], path: "Fuzz/XLSX",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
}
