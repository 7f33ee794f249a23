import BatchWire
import Foundation
import LedgerCore
import Logging
import ReplicaStore

/// Runs a `SyncSessionStateMachine` against a node and a transport: the thin I/O driver of STYLE.md R6.
///
/// ```swift
/// let report = await SyncSession.run(node: node, transport: httpTransport, limits: SyncLimits(), clock: ContinuousClock())
/// print(report.summary)
/// ```
public enum SyncSession {
    /// Pushes the node's outbox to the hub, then pulls until the hub has nothing more to send. Never throws: how the
    /// session ended is in the report's `outcome`, with what it moved.
    /// - Parameters:
    ///   - clock: waits between retries (inject a test clock to run retries instantly).
    ///   - random: draws the jitter of each wait (`SyncLimits.jittered`: half to all of the machine's delay).
    ///   - logger: one debug line per exchange.
    public static func run<C: Clock<Duration>>(node: Node, transport: some HubTransport, limits: SyncLimits, clock: C,
                                              random: any RandomNumberGenerator = SystemRandomNumberGenerator(),
                                              logger: Logger = Logger(label: "fundsync.sync")) async -> SyncReport {
        var random = AnyRandomNumberGenerator(random)
        var machine = SyncSessionStateMachine(limits: limits)
        var action = machine.start()
        while true {
            switch action {
            case .sealOutbox:
                do {
                    action = machine.outboxSealed(try node.sealedBatches())
                } catch {
                    action = machine.failedLocally("this node could not seal its outbox: \(error)")
                }
            case .upload(let batch):
                do {
                    let answer = try await transport.upload(batch)
                    logger.debug("uploaded batch", metadata: ["bytes": "\(batch.count)", "answer": "\(answer)"])
                    action = machine.uploadSucceeded(answer)
                } catch {
                    logger.debug("upload failed", metadata: ["error": "\(error)"])
                    action = machine.uploadFailed(error)
                }
            case .download:
                do {
                    action = machine.downloadSucceeded(try await transport.downloadNext())
                } catch {
                    logger.debug("download failed", metadata: ["error": "\(error)"])
                    action = machine.downloadFailed(error)
                }
            case .importBatch(let batch):
                action = importBatch(batch, into: node, machine: &machine, logger: logger)
            case .wait(let milliseconds):
                do {
                    try await clock.sleep(for: .milliseconds(SyncLimits.jittered(milliseconds, using: &random)))
                    action = machine.retryDelayElapsed()
                } catch {
                    action = machine.failedLocally("the sync was cancelled")
                }
            case .finish(let report):
                return report
            }
        }
    }

    static func importBatch(_ batch: [UInt8], into node: Node, machine: inout SyncSessionStateMachine,
                            logger: Logger) -> SyncSessionStateMachine.Action {
        let label = (try? BatchEnvelope.parse(batch)).map {
            BatchFiles.fileName(sender: $0.header.sender, recipient: $0.header.recipient, batchSequence: $0.header.batchSequence)
        } ?? "download.\(BatchFiles.fileExtension)"
        do {
            switch try node.exchange.importBytes(batch, label: label) {
            case .success(let received):
                logger.debug("imported batch", metadata: ["batch": "\(label)", "applied": "\(received.outcome.applied)"])
                if received.outcome.isAlreadyApplied { return machine.importFinished(.alreadyApplied) }
                return machine.importFinished(.applied(changeCount: received.outcome.applied + received.outcome.released))
            case .failure(let error):
                logger.warning("refused a batch from the hub", metadata: ["batch": "\(label)", "reason": "\(error.name)"])
                return machine.importFinished(.refused(reason: error.name, message: error.description))
            }
        } catch {
            return machine.failedLocally("this node could not import \(label): \(error)")
        }
    }
}
