import BatchExchange
import BatchWire
import Foundation
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore
import SyncAPI

/// The route handlers.
enum HubRoutes {}

extension HubRoutes {
    /// What the hub did with an accepted upload.
    struct UploadBody: Encodable {
        /// `applied` or `already-applied`.
        var result: String
        var sender: String
        var batchSequence: UInt64
        var changeCount: Int
        var applied: Int
        var rejected: Int
        var duplicates: Int
        var waiting: Int
        var released: Int
        var acknowledged: Int
        /// Changes reusing an id the hub holds with other content: a fork of their origin, not applied (a security alert).
        var forks: Int
    }

    /// `POST /v1/batches`: verify, apply, answer. The body is read only up to the limit (413 beyond it); a refused
    /// batch is quarantined by the hub and answered 4xx with its reason.
    static func uploadBatch(_ request: Request, context: some RequestContext, service: HubService) async throws -> Response {
        let sizeBytesMax = service.configuration.requestBodyBytesMax
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > sizeBytesMax {
            throw HubAPIError.bodyTooLarge(sizeBytesMax: sizeBytesMax)
        }
        var request = request
        let bytes = [UInt8](buffer: try await request.collectBody(upTo: sizeBytesMax))
        service.metrics.batchesReceived.increment()
        let label = uploadLabel(bytes, number: service.nextUploadNumber())
        let hub = service.hub
        // Each node has its own budget of uploads, keyed by the signer that verified (a cheap header check here; the
        // import verifies everything again). An unauthenticated upload is refused by the import as before.
        if let sender = try await BlockingWork.run({ try hub.exchange.authenticatedSender(of: bytes) }),
           let retryAfter = service.uploadRate.take(sender, nowNanoseconds: service.clocks.uptimeNanoseconds()) {
            service.metrics.uploadRateLimited()
            throw HubAPIError.tooManyUploads(node: sender.rawValue, retryAfterSeconds: retryAfter)
        }
        let started = service.clocks.uptimeNanoseconds()
        // At most `importConcurrencyMax` uploads (and `importBytesMax` bytes) are held at once; past
        // `importWaitingCountMax` waiting, 503 `busy`. Each is opened on its own, in parallel, and applied in the next
        // group commit with the uploads and pulls that arrived beside it.
        let result: Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError>
        do {
            result = try await applyInGroup(bytes, label: label, service: service)
        } catch let error as HubAPIError where error.reason == "busy" {
            service.metrics.uploadBusy()
            throw error
        }
        switch result {
        case .failure(let error):
            service.metrics.batchRefused(reason: error.name)
            context.logger.notice("refused an upload", metadata: ["upload": "\(label)", "reason": "\(error.name)"])
            throw error
        case .success(let (header, outcome)):
            service.metrics.applyDuration.recordNanoseconds(Int64(clamping: service.clocks.uptimeNanoseconds() &- started))
            service.metrics.changesReceived.increment(by: Int64(outcome.changeCount))
            service.metrics.changesApplied.increment(by: Int64(outcome.applied + outcome.released))
            service.metrics.changesRejected.increment(by: Int64(outcome.rejected))
            if outcome.isAlreadyApplied { service.metrics.batchesAlreadyApplied.increment() } else { service.metrics.batchesApplied.increment() }
            let body = UploadBody(result: outcome.isAlreadyApplied ? "already-applied" : "applied", sender: header.sender.rawValue,
                                  batchSequence: header.batchSequence, changeCount: outcome.changeCount, applied: outcome.applied,
                                  rejected: outcome.rejected, duplicates: outcome.duplicates, waiting: outcome.waiting,
                                  released: outcome.released, acknowledged: outcome.acknowledged, forks: outcome.forks)
            return try jsonResponse(body)
        }
    }

    /// Takes a turn at the import gate, opens the upload and applies it in the next group commit.
    private static func applyInGroup(_ bytes: [UInt8], label: String, service: HubService) async throws
        -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> {
        let hub = service.hub
        return try await service.importGate.withTurn(bytes: bytes.count) {
            () async throws -> Result<(header: BatchHeader, outcome: ReceiveOutcome), BatchDecodingError> in
            let started = service.clocks.uptimeNanoseconds()
            let opened = try await BlockingWork.run { try hub.exchange.openBytes(bytes, label: label) }
            service.metrics.openDuration.recordNanoseconds(Int64(clamping: service.clocks.uptimeNanoseconds() &- started))
            switch opened {
            case .failure(let error):
                return .failure(error)
            case .success(let opened):
                switch await service.groupCommit.submit(.receive(opened)) {
                case .success(.received(let outcome)): return .success((opened.header, outcome))
                case .success(.sealed): preconditionFailure("the group commit answered an upload with a sealed batch")
                case .failure(let error): throw error
                }
            }
        }
    }

    /// The name a refused upload is kept under in the quarantine: its standard file name when the header parses.
    static func uploadLabel(_ bytes: [UInt8], number: Int) -> String {
        guard let header = try? BatchEnvelope.parse(bytes).header else { return "upload-\(number).\(BatchFiles.fileExtension)" }
        return "upload-\(number)-" + BatchFiles.fileName(sender: header.sender, recipient: header.recipient, batchSequence: header.batchSequence)
    }

    static func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
