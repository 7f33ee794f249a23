import BatchWire
import Foundation
import HubCore
import HTTPTypes
import Hummingbird
import LedgerCore
import SyncAPI

extension HubRoutes {
    /// `GET /v1/nodes/{org}/batches/next`: the next batch for the node, sealed now (it carries the hub's current
    /// acknowledgement; encrypted for the node when it has an encryption key), or 204 when there is nothing to send. Served only to a caller that proves it holds the node's
    /// key or a key of an org unit above it (`PullAuthorization`).
    ///
    /// The hub re-sends unacknowledged changes until the node acknowledges them, so a response lost on the way costs
    /// nothing but a repeat; the node's acknowledgement (its next upload) is what moves the stream on.
    static func nextBatch(_ request: Request, context: some RequestContext, service: HubService) async throws -> Response {
        let text = context.parameters.get("org") ?? ""
        guard let node = OrgCode(text) else { throw HubAPIError.notAnOrgCode(text) }
        try service.authorizer.authorize(request.headers[HTTPField.Name(HubAPI.pullAuthorizationHeader)!], node: node,
                                         path: HubAPI.nextBatchPath(org: node.rawValue),
                                         nowMilliseconds: service.clocks.nowMilliseconds())
        let hub = service.hub
        // Sealed in the next group commit, beside the uploads and pulls that arrive with it: one transaction at most.
        let key = try await BlockingWork.run { try hub.encryptionKeyFiles.loadPeerKey(hub.encryptionKeyFiles.peerPublicKey(node)) }
        let sealed: [UInt8]?
        switch await service.groupCommit.submit(.sealNext(peer: node, encryptFor: key)) {
        case .success(.sealed(let batch)): sealed = batch
        case .success(.received): preconditionFailure("the group commit answered a pull with a received batch")
        case .failure(let error): throw error
        }
        guard let batch = sealed else {
            return Response(status: .noContent)
        }
        service.metrics.batchesSent.increment()
        var headers: HTTPFields = [.contentType: HubAPI.batchMediaType]
        if let header = try? BatchEnvelope.parse(batch).header {
            let name = BatchFiles.fileName(sender: header.sender, recipient: header.recipient, batchSequence: header.batchSequence)
            headers[HTTPField.Name(HubAPI.batchFileNameHeader)!] = name
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: batch)))
    }
}
