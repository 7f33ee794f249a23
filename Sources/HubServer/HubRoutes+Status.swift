import BatchWire
import Foundation
import HubCore
import ReplicaStore
import Hummingbird
import LedgerCore
import SyncAPI

extension HubRoutes {
    /// `GET /v1/status`.
    struct StatusBody: Encodable {
        struct NodeBody: Encodable {
            var node: String
            /// Changes the hub holds for the node that it has not acknowledged (its lag).
            var outbox: Int
            var sentPosition: Int64
            var ackedPosition: Int64
            var receivedPosition: Int64
            var pending: Int
            var registryVersionApplied: Int64?
            var registryVersionCurrent: Int64?
            /// The release the node runs as far as the hub knows (issue 10): 1 until it announces one, unless enrolled
            /// with another; `releaseAnnounced` false when it has announced none.
            var release: Int
            var releaseAnnounced: Bool
            var version: String?
            /// Changes held for the node until it upgrades (PROTOCOL.md §11.4).
            var heldChanges: Int
        }

        var hub: String
        var versionVector: [String: Int64]
        var vouchers: Int
        var outbox: Int
        var inbox: Int
        var pending: Int
        var rejected: Int
        var quarantine: Int
        var nodes: [NodeBody]
        /// Open security alerts: refusals whose signature verified, until an operator clears them (`hub alerts`).
        var securityAlerts: [SecurityAlert]
        /// Links whose verified batches failed to apply (storage, I/O), and which of them are blocked.
        var failingLinks: [LinkFailure]
        var blockedLinks: [String]
    }

    static func statusBody(_ hub: Hub) throws -> StatusBody {
        let status = try hub.store.status()
        let registry = Dictionary(try hub.storage.registryVersions().map { ($0.peer, ($0.applied, $0.current)) },
                                  uniquingKeysWith: { first, _ in first })
        let releases = Dictionary(try hub.storage.officeReleases().map { ($0.org.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        let nodes = status.peers.map { peer in
            StatusBody.NodeBody(node: peer.peer, outbox: peer.outbox, sentPosition: peer.sentPosition, ackedPosition: peer.ackedPosition,
                                receivedPosition: peer.receivedPosition, pending: peer.pending,
                                registryVersionApplied: registry[peer.peer]?.0, registryVersionCurrent: registry[peer.peer]?.1,
                                release: releases[peer.peer]?.release ?? 1, releaseAnnounced: releases[peer.peer]?.announced ?? false,
                                version: releases[peer.peer]?.version, heldChanges: releases[peer.peer]?.heldChanges ?? 0)
        }
        let health = try hub.linkHealth()
        return StatusBody(hub: status.org, versionVector: status.versionVector, vouchers: status.vouchers, outbox: status.outbox,
                          inbox: status.inbox, pending: status.pending, rejected: status.rejected,
                          quarantine: try BatchFiles.quarantineCount(in: hub.directory.quarantine), nodes: nodes,
                          securityAlerts: health.openAlerts, failingLinks: health.failingLinks,
                          blockedLinks: try hub.blockedLinks().map(\.peer))
    }

    static func status(service: HubService) async throws -> Response {
        let hub = service.hub
        return try jsonResponse(try await BlockingWork.read { try statusBody(hub) })
    }

    /// `GET /healthz`: 200 when the replica answers a read, else 503.
    static func health(service: HubService) async throws -> Response {
        let hub = service.hub
        do {
            _ = try await BlockingWork.read { try hub.store.versionVector() }
            return try jsonResponse(["status": "ok", "hub": hub.org.rawValue])
        } catch {
            return try jsonResponse(["status": "unavailable", "hub": hub.org.rawValue], status: .serviceUnavailable)
        }
    }

    /// `GET /metrics`: refreshes the per-node lag gauges and the bank instructions' from the replica, then renders every
    /// metric.
    static func metrics(service: HubService) async throws -> Response {
        let hub = service.hub
        let body = try await BlockingWork.read { try statusBody(hub) }
        let bank = try await BlockingWork.read { try hub.storage.bankInstructionSummary() }
        let now = service.clocks.nowMilliseconds()
        let province = try await BlockingWork.read { (try hub.store.lastReceived(), try hub.store.operationsFigures()) }
        let today = BusinessDate.fromDaysSinceEpoch(Int((now / 1_000 + 8 * 3_600) / 86_400))  // the day in China (UTC+8)
        var transit = TransitAging.buckets.map { (age: $0.key, slips: 0, fen: Int64(0)) }
        for slip in province.1.transitSlips {
            guard let date = BusinessDate(slip.date) else { continue }
            let index = TransitAging.bucket(ageDays: today.daysSinceEpoch - date.daysSinceEpoch)
            transit[index].slips += 1
            transit[index].fen = transit[index].fen.addingReportingOverflow(slip.amount).overflow ? .max : transit[index].fen + slip.amount
        }
        service.metrics.setProvince(lastExchangeAgeSeconds: province.0.mapValues { max(0, now - $0) / 1_000 },
                                    pendingFromNode: Dictionary(body.nodes.map { ($0.node, $0.pending) }, uniquingKeysWith: max),
                                    quarantinedFiles: body.quarantine, transit: transit, openFindings: province.1.openFindings)
        service.metrics.setCloseAttempts(try await BlockingWork.read { try hub.store.closeAttempts() })
        service.metrics.setProcess()
        service.metrics.setBankInstructions(bank.counts, oldestUnconfirmedSeconds: bank.oldestUnconfirmedSentMilliseconds.map { max(0, now - $0) / 1_000 } ?? 0)
        service.metrics.setLinkHealth(openAlertsByLink: Dictionary(grouping: body.securityAlerts, by: \.link).mapValues(\.count),
                                      failingLinks: body.failingLinks, blockedLinks: Set(body.blockedLinks),
                                      knownLinks: body.nodes.map(\.node))
        for node in body.nodes {
            service.metrics.setNodeLag(node: node.node, changeCount: node.outbox)
            service.metrics.setNodeRelease(node: node.node, release: node.release, heldChanges: node.heldChanges)
            if let applied = node.registryVersionApplied, let current = node.registryVersionCurrent {
                service.metrics.setNodeRegistryLag(node: node.node, versionCount: max(0, current - applied))
            }
        }
        return Response(status: .ok, headers: [.contentType: HubAPI.metricsMediaType],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: service.metrics.render())))
    }
}
