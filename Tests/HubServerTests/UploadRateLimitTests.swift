import BatchWire
import Foundation
import HTTPTypes
import HubServer
import Hummingbird
import HummingbirdTesting
import LedgerCore
import NodeAgent
import SyncTesting
import SyncAPI
import Testing

/// Issue 2/6, finding 4: per-node rate limits on uploads. A node past its budget gets 429 with `Retry-After`, for itself
/// only; the budget is keyed by the signature that verified, so a stranger's upload naming a county spends nothing
/// of that county's budget.
@Suite struct UploadRateLimitTests {
    @Test func aNodePastItsBudgetGets429AndOtherNodesGoOn() async throws {
        let fixture = try HubRouterTests.Fixture { $0.uploadBurstMax = 2; $0.uploadsPerMinuteMax = 1 }
        var uploads: [[UInt8]] = []
        for amount in ["1.00", "2.00", "3.00"] {
            _ = try fixture.node.post([TestProvince.draft("340121:1002", "340121:6001", amount)])
            uploads.append(try #require(try fixture.node.sealedBatches().last))
        }
        let other = fixture.province.node("340122")
        _ = try other.post([TestProvince.draft("340122:1002", "340122:6001", "5.00")])
        let otherBatch = try #require(try other.sealedBatches().last)
        var forged = uploads[0]
        forged[forged.count - 20] ^= 0x40  // a bad signature: proves nothing about who sent it
        let stranger = forged
        let batches = uploads
        try await fixture.test { client in
            for _ in 0..<3 {
                let refused = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: stranger))
                #expect(refused.status == .forbidden, "an unauthenticated upload is refused as before and spends no budget")
            }
            for batch in batches.prefix(2) {
                let response = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
                #expect(response.status == .ok)
            }
            let limited = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batches[2]))
            #expect(limited.status == .tooManyRequests)
            #expect(HubRouterTests.json(limited)["reason"] as? String == "too-many-uploads")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let another = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: otherBatch))
            #expect(another.status == .ok, "another node's budget is its own")
        }
    }
}
