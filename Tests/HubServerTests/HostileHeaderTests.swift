import BatchWire
import Foundation
import HTTPTypes
import HubServer
import Hummingbird
import HummingbirdTesting
import Testing
import SyncAPI

/// Regression tests of issue 2/6 ("trust at every boundary") for the HTTP headers a stranger can send.
///
/// Goal: no header value, however extreme, traps the hub. Method: each hostile request runs in an exit test (a
/// child process), so a trap shows as a failed expectation instead of killing the test run.
@Suite struct HostileHeaderTests {
    /// Finding 2: `time=-9223372036854775808` made `abs(now - time)` overflow in the pull authorizer, and one
    /// unauthenticated request killed the hub. It must be refused with 401 like any other bad time.
    /// Every extreme time runs in one child process (captured values would need the exit test's capture list).
    @Test func anExtremePullTimeIsRefusedNotATrap() async throws {
        await #expect(processExitsWith: .success) {
            for time in ["-9223372036854775808", "9223372036854775807", "-1", "0"] {
            let fixture = try HubRouterTests.Fixture()
            let header = "v1 key=\(fixture.node.signingKey.publicKey.keyID) time=\(time) nonce=000102030405060708090a0b0c0d0e0f sig=AAAA"
            try await fixture.test { client in
                let response = try await client.execute(uri: HubAPI.nextBatchPath(org: HubRouterTests.county), method: .get,
                                                        headers: [HTTPField.Name(HubAPI.pullAuthorizationHeader)!: header])
                guard response.status == .unauthorized else { exit(2) }
            }
            }
        }
    }
}
