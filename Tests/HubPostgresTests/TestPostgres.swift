import SyncTesting

/// The suites' name for the test kit's throwaway database (`SyncTesting.TestPostgresServer`).
typealias TestPostgres = TestPostgresServer
