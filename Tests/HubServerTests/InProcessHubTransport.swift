import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent

/// A `HubTransport` that calls an in-process hub, with scripted faults: the sync loop tested without sockets.
final class InProcessHubTransport: HubTransport, @unchecked Sendable {
    // @unchecked: `faults` and the counters are touched under `lock`.
    enum Fault {
        /// The request never reaches the hub.
        case unreachable
        /// The hub applies the upload, then the answer is lost.
        case answerLostAfterApply
        /// The request is lost after it was sent, before the hub saw it.
        case lostBeforeHub
        /// The hub answers 503.
        case serverFailure
        /// One byte of the downloaded batch is flipped on the way.
        case flipByte
    }

    let hub: Hub
    let node: OrgCode
    private let lock = NSLock()
    private var uploadFaults: [Fault]
    private var downloadFaults: [Fault]
    private(set) var uploadAttemptCount = 0
    private(set) var downloadAttemptCount = 0

    init(hub: Hub, node: OrgCode, uploadFaults: [Fault] = [], downloadFaults: [Fault] = []) {
        self.hub = hub
        self.node = node
        self.uploadFaults = uploadFaults
        self.downloadFaults = downloadFaults
    }

    private func nextFault(upload: Bool) -> Fault? {
        lock.withLock {
            if upload {
                uploadAttemptCount += 1
                return uploadFaults.isEmpty ? nil : uploadFaults.removeFirst()
            }
            downloadAttemptCount += 1
            return downloadFaults.isEmpty ? nil : downloadFaults.removeFirst()
        }
    }

    func upload(_ batch: [UInt8]) async throws(HubTransportError) -> UploadAnswer {
        switch nextFault(upload: true) {
        case .unreachable?: throw HubTransportError(.unreachable, message: "connection refused")
        case .lostBeforeHub?: throw HubTransportError(.uncertain, message: "timeout after the whole batch was sent")
        case .serverFailure?: throw HubTransportError(.serverFailure(status: 503), message: "busy")
        case .answerLostAfterApply?:
            _ = try? hub.exchange.importBytes(batch, label: "upload.fsb")
            throw HubTransportError(.uncertain, message: "timeout after the whole batch was sent")
        case .flipByte?, nil:
            break
        }
        do {
            switch try hub.exchange.importBytes(batch, label: "upload.fsb") {
            case .success(let (_, outcome)):
                return outcome.isAlreadyApplied ? .alreadyApplied : .applied(changeCount: outcome.changeCount)
            case .failure(let error):
                throw HubTransportError(.refused(status: 403, reason: error.name), message: error.description)
            }
        } catch let error as HubTransportError {
            throw error
        } catch {
            throw HubTransportError(.serverFailure(status: 500), message: "\(error)")
        }
    }

    func downloadNext() async throws(HubTransportError) -> [UInt8]? {
        let fault = nextFault(upload: false)
        switch fault {
        case .unreachable?: throw HubTransportError(.unreachable, message: "connection refused")
        case .serverFailure?: throw HubTransportError(.serverFailure(status: 503), message: "busy")
        default: break
        }
        do {
            guard var batch = try hub.sealNextForPull(by: node) else { return nil }
            if case .flipByte? = fault { batch[batch.count / 2] ^= 0x01 }
            if case .answerLostAfterApply? = fault { throw HubTransportError(.uncertain, message: "answer lost") }
            return batch
        } catch let error as HubTransportError {
            throw error
        } catch {
            throw HubTransportError(.serverFailure(status: 500), message: "\(error)")
        }
    }
}
