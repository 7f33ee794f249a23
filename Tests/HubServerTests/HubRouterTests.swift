import BatchWire
import Foundation
import HTTPTypes
import HubCore
@testable import HubServer
import Hummingbird
import HummingbirdTesting
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing
import SyncAPI

/// Every endpoint through Hummingbird's router test mode (no sockets): uploads applied, replayed, tampered and
/// oversized; pulls authorized, refused and replayed; status, health and metrics.
@Suite struct HubRouterTests {
    static let county = "340121"

    /// A province with one county that has posted one voucher, and a router over its hub.
    final class Fixture: @unchecked Sendable {
        let province: TestProvince
        let metrics = HubMetrics()
        let service: HubService

        init(requestBodyBytesMax: Int = 1 << 20, configure: (inout HubServerConfiguration) -> Void = { _ in }) throws {
            province = try TestProvince(counties: [HubRouterTests.county, "340122"])
            let clock = province.clock
            var configuration = HubServerConfiguration(requestBodyBytesMax: requestBodyBytesMax)
            configure(&configuration)
            service = HubService(hub: province.hub, configuration: configuration, metrics: metrics,
                                 clocks: HubServerClocks(nowMilliseconds: { clock.nowMilliseconds() }, uptimeNanoseconds: { 0 }))
        }

        /// A new service over the same hub, as after a restart of `hub serve` (nothing kept in memory).
        func restarted() -> HubService {
            let clock = province.clock
            return HubService(hub: province.hub, configuration: service.configuration, metrics: HubMetrics(),
                              clocks: HubServerClocks(nowMilliseconds: { clock.nowMilliseconds() }, uptimeNanoseconds: { 0 }))
        }

        var node: Node { province.node(HubRouterTests.county) }

        func postedBatch() throws -> [UInt8] {
            _ = try node.post([TestProvince.draft("340121:1002", "340121:6001", "12.50")])
            return try #require(try node.sealedBatches().first)
        }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let app = Application(router: HubServer.router(service))
            try await app.test(.router) { client in try await body(client) }
        }

        /// The admin listener's routes (status, metrics), over the same hub and metrics.
        func testAdmin(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let app = Application(router: HubServer.adminRouter(service))
            try await app.test(.router) { client in try await body(client) }
        }

        func pullHeaders(org: String = HubRouterTests.county, key: SigningKey? = nil, timeMilliseconds: Int64? = nil,
                         nonce: UInt8 = 1) throws -> HTTPFields {
            let proof = try PullAuthorization.sign(path: HubAPI.nextBatchPath(org: org), key: key ?? node.signingKey,
                                                   timeMilliseconds: timeMilliseconds ?? province.clock.nowMilliseconds(),
                                                   nonce: [UInt8](repeating: nonce, count: 16))
            return [HTTPField.Name(HubAPI.pullAuthorizationHeader)!: proof.headerValue]
        }

        deinit { province.remove() }
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test func anUploadIsAppliedAndItsReplayIsAlreadyApplied() async throws {
        let fixture = try Fixture()
        let batch = try fixture.postedBatch()
        try await fixture.test { client in
            let first = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
            #expect(first.status == .ok)
            let answer = Self.json(first)
            #expect(answer["result"] as? String == "applied" && answer["applied"] as? Int == 2 && answer["sender"] as? String == "340121",
                    "the voucher and the release announcement (§6.28)")
            let replay = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
            #expect(replay.status == .ok)
            #expect(Self.json(replay)["result"] as? String == "already-applied")
        }
        #expect(try fixture.province.hub.store.versionVector()[OrgCode("340121")!] == 2)
    }

    @Test func aTamperedUploadIsRefusedWithItsReasonAndQuarantined() async throws {
        let fixture = try Fixture()
        var batch = try fixture.postedBatch()
        batch[batch.count - 20] ^= 0x40  // inside the signature
        let tampered = batch
        try await fixture.test { client in
            let response = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: tampered))
            #expect(response.status == .forbidden)
            let answer = Self.json(response)
            #expect(answer["result"] as? String == "refused" && answer["reason"] as? String == "bad-signature")
            #expect((answer["message"] as? String)?.contains("altered") == true)
            let garbage = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(string: "not a batch at all"))
            #expect(garbage.status == .unprocessableContent)
            #expect(Self.json(garbage)["reason"] as? String == "not-a-batch")
        }
        // Both refusals are recorded, but neither body is stored: nothing proves who sent them (2/6, finding 4).
        let quarantine = fixture.province.hub.directory.quarantine
        #expect(try BatchFiles.quarantineCount(in: quarantine) == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: quarantine.path).allSatisfy { $0.hasSuffix(".reason") })
        #expect(try fixture.province.hub.store.versionVector()[OrgCode("340121")!] == 0)
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let fixture = try Fixture(requestBodyBytesMax: 1_024)
        let body = [UInt8](repeating: 0x42, count: 4_096)
        try await fixture.test { client in
            // Declared too large: refused before the body is read.
            let declared = try await client.execute(uri: HubAPI.batchesPath, method: .post, headers: [.contentLength: "4096"],
                                                    body: ByteBuffer(bytes: body))
            #expect(declared.status == .contentTooLarge)
            #expect(Self.json(declared)["reason"] as? String == "body-too-large")
            // Not declared (chunked): refused once the limit is crossed.
            let streamed = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: body))
            #expect(streamed.status == .contentTooLarge)
        }
        #expect(try BatchFiles.quarantineCount(in: fixture.province.hub.directory.quarantine) == 0)
    }

    @Test func aNodePullsItsNextBatchOnlyWithItsOwnSignature() async throws {
        let fixture = try Fixture()
        let batch = try fixture.postedBatch()
        let path = HubAPI.nextBatchPath(org: Self.county)
        let other = fixture.province.node("340122").signingKey
        try await fixture.test { client in
            _ = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.status == .unauthorized && Self.json(anonymous)["reason"] as? String == "authorization-missing")
            #expect(anonymous.headers[.wwwAuthenticate] != nil)
            let neighbour = try await client.execute(uri: path, method: .get, headers: try fixture.pullHeaders(key: other))
            #expect(neighbour.status == .forbidden && Self.json(neighbour)["reason"] as? String == "not-entitled")
            let hourAgo = fixture.province.clock.nowMilliseconds() - 3_600_000
            let stale = try await client.execute(uri: path, method: .get, headers: try fixture.pullHeaders(timeMilliseconds: hourAgo))
            #expect(stale.status == .unauthorized && Self.json(stale)["reason"] as? String == "clock-skew")
            // A proof signed for another node's path does not verify for this one.
            let forged = try fixture.pullHeaders(org: "340122", nonce: 9)
            let wrongPath = try await client.execute(uri: path, method: .get, headers: forged)
            #expect(wrongPath.status == .unauthorized && Self.json(wrongPath)["reason"] as? String == "bad-signature")

            let headers = try fixture.pullHeaders(nonce: 2)
            let served = try await client.execute(uri: path, method: .get, headers: headers)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == HubAPI.batchMediaType)
            let name = try #require(served.headers[HTTPField.Name(HubAPI.batchFileNameHeader)!])
            #expect(name.hasPrefix("340000-to-340121-"))
            let bytes = [UInt8](buffer: served.body)
            // 2/6 finding 5: the node gave the hub an encryption key, so what it pulls is sealed for it, as a file would be.
            let version = try BatchEnvelope.parse(bytes).header.formatVersion
            #expect(version == 2, "a pulled batch for a node with an encryption key is encrypted (format version 2)")
            guard case .success(let received) = try fixture.node.exchange.importBytes(bytes, label: name) else {
                Issue.record("the node refused the hub's batch"); return
            }
            #expect(received.outcome.acknowledged == 2, "the voucher and the release announcement")
            let replayed = try await client.execute(uri: path, method: .get, headers: headers)
            #expect(replayed.status == .unauthorized && Self.json(replayed)["reason"] as? String == "replayed")
            // Nothing more to send: the hub's acknowledgement went out with the batch above.
            let nothing = try await client.execute(uri: path, method: .get, headers: try fixture.pullHeaders(nonce: 3))
            #expect(nothing.status == .noContent)
            let notAnOrg = try await client.execute(uri: "/v1/nodes/bad%20org/batches/next", method: .get)
            #expect(notAnOrg.status == .notFound)
        }
    }

    @Test func aRelayOfficeAboveTheCountyMayPullForIt() async throws {
        let fixture = try Fixture()
        let relay = try SigningKey.generate(.ed25519)
        try fixture.province.hub.enroll(org: TestProvince.city, parent: TestProvince.province, name: "Hefei", level: .city,
                                        publicKeyPEM: relay.publicKey.pem)
        try fixture.province.hub.putAccount(AccountRecord(id: "340121:1001", org: OrgCode("340121")!, kind: .subject, code: "1001",
                                                          name: "Cash", currency: .cny, status: .active))
        try await fixture.test { client in
            let served = try await client.execute(uri: HubAPI.nextBatchPath(org: Self.county), method: .get,
                                                  headers: try fixture.pullHeaders(key: relay))
            #expect(served.status == .ok)
            // The relay cannot pull for the province above it.
            let upward = try await client.execute(uri: HubAPI.nextBatchPath(org: "340000"), method: .get,
                                                  headers: try fixture.pullHeaders(org: "340000", key: relay, nonce: 4))
            #expect(upward.status == .forbidden)
        }
        try fixture.province.hub.revokeKey(relay.publicKey.keyID)
        try await fixture.test { client in
            let revoked = try await client.execute(uri: HubAPI.nextBatchPath(org: Self.county), method: .get,
                                                   headers: try fixture.pullHeaders(key: relay, nonce: 5))
            #expect(revoked.status == .forbidden && Self.json(revoked)["reason"] as? String == "revoked-key")
        }
    }

    /// 2/6 finding 4: the pull-nonce cap was shared by every node, so one node's many pulls gave all others 503.
    @Test func oneNodesManyPullsDoNotStopAnotherNodesPull() async throws {
        let fixture = try Fixture { $0.pullNonceCountMaxPerKey = 3 }
        let other = fixture.province.node("340122").signingKey
        try await fixture.test { client in
            let path = HubAPI.nextBatchPath(org: Self.county)
            for nonce in 1...3 as ClosedRange<UInt8> {
                let pulled = try await client.execute(uri: path, method: .get, headers: try fixture.pullHeaders(nonce: nonce))
                #expect(pulled.status == .ok || pulled.status == .noContent)
            }
            let fourth = try await client.execute(uri: path, method: .get, headers: try fixture.pullHeaders(nonce: 4))
            #expect(fourth.status == .tooManyRequests && Self.json(fourth)["reason"] as? String == "too-many-pulls")
            let neighbour = try await client.execute(uri: HubAPI.nextBatchPath(org: "340122"), method: .get,
                                                     headers: try fixture.pullHeaders(org: "340122", key: other, nonce: 11))
            #expect(neighbour.status == .ok || neighbour.status == .noContent, "340122 is not limited by 340121's pulls: \(neighbour.status) \(Self.json(neighbour))")
        }
    }

    /// 2/6 finding 4: nonces lived only in memory, so a pull captured before a restart could be replayed after it.
    @Test func aPullCapturedBeforeARestartCannotBeReplayedAfterIt() async throws {
        let fixture = try Fixture()
        let captured = try fixture.pullHeaders(nonce: 7)
        try await fixture.test { client in
            let first = try await client.execute(uri: HubAPI.nextBatchPath(org: Self.county), method: .get, headers: captured)
            #expect(first.status == .ok || first.status == .noContent)
        }
        fixture.province.clock.advance(milliseconds: 1_000)
        let app = Application(router: HubServer.router(fixture.restarted()))
        try await app.test(.router) { client in
            let replayed = try await client.execute(uri: HubAPI.nextBatchPath(org: Self.county), method: .get, headers: captured)
            #expect(replayed.status == .unauthorized && Self.json(replayed)["reason"] as? String == "signed-before-restart",
                    "a proof signed before the restart is refused after it")
            let fresh = try await client.execute(uri: HubAPI.nextBatchPath(org: Self.county), method: .get,
                                                 headers: try fixture.pullHeaders(nonce: 8))
            #expect(fresh.status == .ok || fresh.status == .noContent, "a freshly signed pull works")
        }
    }

    @Test func statusHealthAndMetricsDescribeTheHub() async throws {
        let fixture = try Fixture()
        let batch = try fixture.postedBatch()
        var tampered = batch
        tampered[40] ^= 0xFF
        let altered = tampered
        try await fixture.test { client in
            _ = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
            _ = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: batch))
            _ = try await client.execute(uri: HubAPI.batchesPath, method: .post, body: ByteBuffer(bytes: altered))
            let health = try await client.execute(uri: HubAPI.healthPath, method: .get)
            #expect(health.status == .ok && Self.json(health)["status"] as? String == "ok")
            // 2/6 finding 8: the batch API does not tell anyone the province's status or metrics.
            #expect(try await client.execute(uri: HubAPI.statusPath, method: .get).status == .notFound)
            #expect(try await client.execute(uri: HubAPI.metricsPath, method: .get).status == .notFound)
        }
        try await fixture.testAdmin { client in
            let status = try await client.execute(uri: HubAPI.statusPath, method: .get)
            #expect(status.status == .ok)
            let body = Self.json(status)
            #expect(body["hub"] as? String == "340000")
            #expect((body["versionVector"] as? [String: Int])?["340121"] == 2)
            #expect(body["quarantine"] as? Int == 1)
            let nodes = body["nodes"] as? [[String: Any]] ?? []
            #expect(Set(nodes.compactMap { $0["node"] as? String }) == ["340121", "340122"])
            // Issue 10: each node's release as the hub knows it; 340121 announced it with its upload.
            let announcing = nodes.first { $0["node"] as? String == "340121" } ?? [:]
            #expect(announcing["release"] as? Int == 2 && announcing["releaseAnnounced"] as? Bool == true && announcing["heldChanges"] as? Int == 0,
                    "\(announcing)")
            // A flipped byte proves nothing about its sender: no security alert, no failing link.
            #expect((body["securityAlerts"] as? [Any])?.isEmpty == true && (body["blockedLinks"] as? [Any])?.isEmpty == true)

            let metrics = try await client.execute(uri: HubAPI.metricsPath, method: .get)
            #expect(metrics.status == .ok && metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(decoding: metrics.body.readableBytesView, as: UTF8.self)
            for line in ["fundsync_hub_batches_received_total 3", "fundsync_hub_batches_applied_total 1",
                         "fundsync_hub_batches_already_applied_total 1", "fundsync_hub_changes_received_total 4",
                         "fundsync_hub_changes_applied_total 2", "fundsync_hub_apply_duration_seconds_count 2",
                         "fundsync_hub_node_lag_changes{node=\"340121\"}", "fundsync_hub_batches_refused_total{reason=",
                         "fundsync_hub_security_alerts_open{node=\"340121\"} 0", "fundsync_stream_blocked{node=\"340121\"} 0",
                         "fundsync_hub_node_release{node=\"340121\"} 2", "fundsync_hub_node_held_changes{node=\"340121\"} 0"] {
                #expect(text.contains(line), "metrics lack \(line):\n\(text)")
            }
            // Every family says what it is (8: "# HELP on every family"), and the build and the banks are there.
            let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
            let helped = Set(text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
            #expect(families.count > 15 && families.allSatisfy { helped.contains($0) }, "families without HELP: \(families.filter { !helped.contains($0) })")
            #expect(text.contains("fundsync_build_info{") && text.contains("fundsync_hub_bank_instructions{state=\"sent\"} 0")
                    && text.contains("fundsync_hub_bank_instruction_unconfirmed_oldest_seconds 0"), "\(text)")
            // The requests by route pattern and status, the province's business gauges, the process.
            for line in ["fundsync_http_requests_total{listener=\"api\",route=\"/v1/batches\",method=\"POST\",status=\"",
                         "fundsync_http_request_duration_seconds_count{listener=\"api\",route=\"/v1/batches\"} 3",
                         "fundsync_http_requests_total{listener=\"admin\",route=\"/v1/status\",method=\"GET\",status=\"200\"} 1",
                         "fundsync_hub_quarantined_files 1", "fundsync_hub_node_last_exchange_age_seconds{node=\"340121\"}",
                         "fundsync_hub_node_pending_changes{node=\"340121\"} 0", "fundsync_hub_funds_in_transit_fen{age=\"0-2\"} 0",
                         "process_resident_memory_bytes ", "process_open_fds ", "process_cpu_seconds_total "] {
                #expect(text.contains(line), "metrics lack \(line):\n\(text)")
            }
            // The business gauges say what the hub's own status says.
            func sample(_ series: String) -> Double? {
                text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
            }
            #expect(sample("fundsync_hub_quarantined_files") == Double(body["quarantine"] as? Int ?? -1))
            for node in nodes {
                let name = node["node"] as? String ?? "", outbox = node["outbox"] as? Int ?? -1, pending = node["pending"] as? Int ?? -1
                #expect(sample("fundsync_hub_node_lag_changes{node=\"\(name)\"}") == Double(outbox), "lag of \(name)")
                #expect(sample("fundsync_hub_node_pending_changes{node=\"\(name)\"}") == Double(pending), "pending of \(name)")
            }
            // Prometheus's own parser and linter read it without a complaint (promtool, installed by Scripts/test).
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") {
                let linted = try runProcess("/usr/bin/promtool", ["check", "metrics"], input: Data(text.utf8))
                #expect(linted.status == 0, "promtool check metrics: \(linted.stdout)\(linted.stderr)")
            } else {
                Issue.record("promtool is missing: Scripts/test installs the prometheus package")
            }
        }
    }

    /// The bank gauges (7/7, read by 8's alerts): instructions by state, and how long the oldest unanswered one waits.
    @Test func theBankGaugesSayWhatWaitsForTheBank() {
        let metrics = HubMetrics(version: "2.0.0", commit: "abc123")
        metrics.setBankInstructions(["sent": 2, "settled": 40], oldestUnconfirmedSeconds: 7_200)
        metrics.setCloseAttempts([CloseAttempt(period: "2026-11", atMilliseconds: 0, passed: false, reasonCount: 2)])
        let text = metrics.render()
        #expect(text.contains("fundsync_hub_period_close_failed{period=\"2026-11\"} 1") && text.contains("fundsync_hub_period_close_reasons{period=\"2026-11\"} 2"))
        for line in ["fundsync_hub_bank_instructions{state=\"sent\"} 2", "fundsync_hub_bank_instructions{state=\"settled\"} 40",
                     "fundsync_hub_bank_instructions{state=\"rejected\"} 0", "fundsync_hub_bank_instruction_unconfirmed_oldest_seconds 7200",
                     "fundsync_build_info{version=\"2.0.0\",commit=\"abc123\"} 1",
                     "# HELP fundsync_hub_bank_instruction_unconfirmed_oldest_seconds Age of the oldest instruction"] {
            #expect(text.contains(line), "metrics lack \(line):\n\(text)")
        }
    }

    @Test func unknownPathsAnswer404AsJSON() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/v1/nothing", method: .get)
            #expect(response.status == .notFound)
        }
    }
}
