import NodeAgent
import Testing

/// The sync loop as a sans-IO machine: every path — retries, uncertain uploads, refusals, limits — with plain values,
/// no sockets and no disk (STYLE.md R6).
@Suite struct SyncSessionStateMachineTests {
    let limits = SyncLimits(retryAttemptCountMax: 3, retryDelayMillisecondsInitial: 100, retryDelayMillisecondsMax: 300,
                            downloadBatchCountMax: 2)
    let batchA: [UInt8] = [1, 2, 3]
    let batchB: [UInt8] = [4, 5]
    let unreachable = HubTransportError(.unreachable, message: "connection refused")
    let uncertain = HubTransportError(.uncertain, message: "read timeout")

    func finished(_ action: SyncSessionStateMachine.Action) -> SyncReport? {
        if case .finish(let report) = action { return report }
        return nil
    }

    @Test func nothingToSendAndNothingToReceiveCompletes() {
        var machine = SyncSessionStateMachine(limits: limits)
        #expect(machine.start() == .sealOutbox)
        #expect(machine.outboxSealed([]) == .download)
        #expect(finished(machine.downloadSucceeded(nil))?.outcome == .complete)
    }

    @Test func pushesEveryBatchThenPullsAndReSealsAfterEachImport() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        #expect(machine.outboxSealed([batchA, batchB]) == .upload(batchA))
        #expect(machine.uploadSucceeded(.applied(changeCount: 2)) == .upload(batchB))
        #expect(machine.uploadSucceeded(.alreadyApplied) == .download)
        #expect(machine.downloadSucceeded([9]) == .importBatch([9]))
        // The import produced an acknowledgement to send: seal again before the next download.
        #expect(machine.importFinished(.applied(changeCount: 5)) == .sealOutbox)
        #expect(machine.outboxSealed([]) == .download)
        let report = finished(machine.downloadSucceeded(nil))
        #expect(report?.outcome == .complete)
        #expect(report?.uploadedBatchCount == 1 && report?.alreadyAppliedUploadCount == 1 && report?.uploadedChangeCount == 2)
        #expect(report?.downloadedBatchCount == 1 && report?.appliedChangeCount == 5)
    }

    @Test func retriesWithExponentialBackoffThenGivesUp() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([batchA])
        #expect(machine.uploadFailed(unreachable) == .wait(milliseconds: 100))
        #expect(machine.retryDelayElapsed() == .upload(batchA))
        #expect(machine.uploadFailed(HubTransportError(.serverFailure(status: 503), message: "busy")) == .wait(milliseconds: 200))
        #expect(machine.retryDelayElapsed() == .upload(batchA))
        let report = finished(machine.uploadFailed(unreachable))
        guard case .failed(let message)? = report?.outcome else { Issue.record("expected failed, got \(String(describing: report))"); return }
        #expect(message.contains("gave up after 3 attempts"))
        #expect(report?.retryCount == 2)
    }

    @Test func aSuccessResetsTheAttemptCount() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([batchA, batchB])
        _ = machine.uploadFailed(unreachable)
        _ = machine.retryDelayElapsed()
        _ = machine.uploadFailed(unreachable)
        _ = machine.retryDelayElapsed()
        #expect(machine.uploadSucceeded(.applied(changeCount: 1)) == .upload(batchB))
        #expect(machine.uploadFailed(unreachable) == .wait(milliseconds: 100))
    }

    @Test func delaysDoubleUpToTheirMaximum() {
        let limits = SyncLimits(retryAttemptCountMax: 10, retryDelayMillisecondsInitial: 250, retryDelayMillisecondsMax: 8_000)
        #expect((1...8).map { limits.retryDelayMilliseconds(afterAttempt: $0) } == [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
        #expect(SyncLimits().retryDelayMilliseconds(afterAttempt: 1_000) == SyncLimits().retryDelayMillisecondsMax)
    }

    @Test func anUncertainUploadIsSettledByTheHubsNextBatch() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([batchA])
        // No answer after the body was sent: not re-sent blindly; the hub is asked what it has.
        #expect(machine.uploadFailed(uncertain) == .download)
        #expect(machine.downloadSucceeded([7]) == .importBatch([7]))
        #expect(machine.importFinished(.applied(changeCount: 0)) == .sealOutbox)
        // The hub's acknowledgement trimmed the outbox (or the re-seal re-sends it): settled either way.
        #expect(machine.outboxSealed([]) == .download)
        let report = finished(machine.downloadSucceeded(nil))
        #expect(report?.outcome == .complete && report?.uncertainUploadCount == 1)
    }

    @Test func anUncertainUploadWithNothingBackIsReportedUncertain() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([batchA])
        _ = machine.uploadFailed(uncertain)
        let report = finished(machine.downloadSucceeded(nil))
        #expect(report?.outcome == .uncertain)
        #expect(report?.summary.hasPrefix("uncertain: the next sync settles it by acknowledgement") == true)
    }

    @Test func uncertainUploadsAreNeverRetriedForever() {
        let limits = SyncLimits(retryAttemptCountMax: 3, retryDelayMillisecondsInitial: 100, retryDelayMillisecondsMax: 300)
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        var action = machine.outboxSealed([batchA])
        var rounds = 0
        while case .upload = action, rounds < 100 {
            rounds += 1
            action = machine.uploadFailed(uncertain)
            if action == .download {
                action = machine.downloadSucceeded([1])
                action = machine.importFinished(.alreadyApplied)
                action = machine.outboxSealed([batchA])
            }
        }
        #expect(finished(action)?.outcome == .uncertain)
        #expect(rounds == limits.retryAttemptCountMax)
    }

    @Test func aRefusalIsNotRetried() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([batchA])
        let report = finished(machine.uploadFailed(HubTransportError(.refused(status: 403, reason: "revoked-key"), message: "revoked")))
        #expect(report?.outcome == .refused(reason: "revoked-key", message: "revoked") && report?.retryCount == 0)
        var pull = SyncSessionStateMachine(limits: limits)
        _ = pull.start()
        _ = pull.outboxSealed([])
        #expect(finished(pull.downloadFailed(HubTransportError(.refused(status: 401, reason: "clock-skew"), message: "clock")))?.outcome
                == .refused(reason: "clock-skew", message: "clock"))
    }

    @Test func aBatchAlteredOnTheWayDownIsFetchedAgainABoundedNumberOfTimes() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([])
        var action = machine.downloadSucceeded([1])
        for _ in 1..<limits.retryAttemptCountMax {
            action = machine.importFinished(.refused(reason: "bad-signature", message: "altered"))
            guard case .wait = action else { Issue.record("expected a wait, got \(action)"); return }
            #expect(machine.retryDelayElapsed() == .download)
            action = machine.downloadSucceeded([1])
        }
        #expect(finished(machine.importFinished(.refused(reason: "bad-signature", message: "altered")))?.outcome
                == .refused(reason: "bad-signature", message: "altered"))
    }

    @Test func theDownloadLimitEndsTheSessionIncomplete() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        _ = machine.outboxSealed([])
        for index in 0..<limits.downloadBatchCountMax {
            _ = machine.downloadSucceeded([UInt8(index)])
            let action = machine.importFinished(.applied(changeCount: 1))
            if index + 1 < limits.downloadBatchCountMax {
                #expect(action == .sealOutbox)
                _ = machine.outboxSealed([])
            } else {
                #expect(finished(action)?.outcome == .incomplete)
            }
        }
    }

    @Test func aLocalFailureEndsTheSession() {
        var machine = SyncSessionStateMachine(limits: limits)
        _ = machine.start()
        #expect(finished(machine.failedLocally("disk full"))?.outcome == .failed("disk full"))
    }
}
