import BatchWire
import Foundation
import BatchExchange
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// A crash injected in the middle of an import: the transaction is abandoned and the database reopened.
struct SimulatedCrash: Error {}

/// Set when an injected crash happened, so the simulator knows to reopen the office whichever path reported it.
final class CrashSwitch: @unchecked Sendable {
    var crashed = false
}

/// Wraps an office's policy and throws `SimulatedCrash` when the import reaches change number `crashAt`.
final class CrashingPolicy: ReplicaPolicy {
    let base: any ReplicaPolicy
    let crashAt: Int?
    let crash: CrashSwitch
    var reviewed = 0

    init(base: any ReplicaPolicy, crashAt: Int?, crash: CrashSwitch) {
        self.base = base
        self.crashAt = crashAt
        self.crash = crash
    }

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        if let crashAt, reviewed == crashAt {
            crash.crashed = true
            throw SimulatedCrash()
        }
        reviewed += 1
        return try base.review(change, from: peer, in: transaction)
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {
        try base.didReceive(change, verdict: verdict, in: transaction)
    }

    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] {
        try base.recipients(of: change, in: transaction)
    }

    func receivesEveryChange(of origin: OrgCode) -> Bool { base.receivesEveryChange(of: origin) }
}

extension Simulator {
    /// Every office exports what it has for its link; faults decide what the network does with each batch.
    func exchange(faulty: Bool) throws {
        for code in codes {
            let office = code.rawValue
            if faulty, network.isPartitioned(office, on: day) { continue }
            if faulty, random.chance(configuration.partitionProbabilityPercent) {
                let days = Int.random(in: 1...configuration.partitionDaysMax, using: &random)
                network.partitionedUntil[office] = day + days
                counts.partitions += 1
                record("\(office) goes offline for \(days) day(s)")
                continue
            }
            var up = true, down = true
            if faulty, random.chance(configuration.oneWayProbabilityPercent) {
                if random.chance(50) { up = false } else { down = false }
                counts.oneWayDays += 1
            }
            if up { try send(try nodes[code]!.sealedBatches(), to: Self.province.rawValue, from: office, faulty: faulty) }
            if down { try send(try hub.exchange.sealAll(for: code), to: office, from: "hub", faulty: faulty) }
        }
    }

    func send(_ batches: [[UInt8]], to recipient: String, from sender: String, faulty: Bool) throws {
        guard !batches.isEmpty else { return }
        if faulty, random.chance(configuration.crashAfterExportProbabilityPercent) {
            counts.crashesAfterExport += 1
            record("\(sender) crashed after exporting \(batches.count) batch(es) to \(recipient): they never left")
            return
        }
        for (index, bytes) in batches.enumerated() {
            var copies = 1
            if faulty, random.chance(configuration.dropProbabilityPercent) {
                counts.dropped += 1
                record("lost: \(sender) → \(recipient) batch \(index + 1)")
                copies = 0
            } else if faulty, random.chance(configuration.duplicateProbabilityPercent) {
                counts.duplicated += 1
                copies = 2
            }
            for _ in 0..<copies {
                let delay = faulty ? Int.random(in: 0...configuration.delayDaysMax, using: &random) : 0
                if delay > 0 { counts.delayed += 1 }
                // Online or on a USB stick: the same bytes, through the matching import path.
                let carriedOnStick = random.chance(50)
                network.send(Message(deliverOnDay: day + delay, recipient: recipient, bytes: bytes, label: "\(sender)-to-\(recipient)",
                                     carriedOnStick: carriedOnStick))
            }
        }
    }

    /// Delivers every batch due today, in shuffled order, with crashes in the middle of imports.
    func deliverDue() throws {
        for message in network.takeDue(by: day, using: &random) {
            if message.recipient == Self.province.rawValue { try deliverToHub(message) } else { try deliverToNode(message) }
        }
    }

    /// Where a crash is injected in an import of `bytes`: a change index, or `nil` for none. Only the unverified
    /// header's change count is read here; the import itself verifies everything.
    func crashPoint(_ bytes: [UInt8]) -> Int? {
        guard configuration.faults, let changeCount = try? Int(BatchEnvelope.parse(bytes).header.changeCount), changeCount > 0,
              random.chance(configuration.crashDuringImportProbabilityPercent) else { return nil }
        return Int.random(in: 0..<changeCount, using: &random)
    }

    func deliverToHub(_ message: Message) throws {
        let crashAt = crashPoint(message.bytes)
        if try deliver(message, through: hub.exchange, office: "hub", crashAt: crashAt) {
            hub = try Hub.open(directory: hub.directory, clock: clocks[Self.province]!)
            try attachHubStore?(hub.store, false)
        }
    }

    func deliverToNode(_ message: Message) throws {
        guard let code = OrgCode(message.recipient), let node = nodes[code] else { return }
        let crashAt = crashPoint(message.bytes)
        if try deliver(message, through: node.exchange, office: code.rawValue, crashAt: crashAt) {
            nodes[code] = try Node.open(directory: node.directory, clock: clocks[code]!).running(asRelease: release(of: code))
        }
    }

    /// Imports one message through the shipped path — `BatchExchange.importBytes` as the HTTP server does, or
    /// `importFiles` from an inbox folder as `fundsync import` does — with a crash injected through the policy hook.
    /// Refused batches land in the office's quarantine, as they would in the binary.
    /// - Returns: true when the office crashed (the transaction was abandoned; the caller reopens the office).
    func deliver(_ message: Message, through exchange: BatchExchange, office: String, crashAt: Int?) throws -> Bool {
        let crash = CrashSwitch()
        var exchange = exchange
        exchange.policyHook = { base in CrashingPolicy(base: base, crashAt: crashAt, crash: crash) }
        var refusal: String?
        do {
            if message.carriedOnStick {
                let inbox = root.appendingPathComponent("inbox-\(office)", isDirectory: true)
                try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
                let file = inbox.appendingPathComponent("\(message.label)-\(counts.delivered).fsb")
                try Data(message.bytes).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                switch exchange.importFiles([file])[0] {
                case .received, .skipped: break
                case .refused(_, let error, _): refusal = error.description
                case .failed(_, let text): if !crash.crashed { noteFailedImport(office, message, text) }
                }
            } else if case .failure(let error) = try exchange.importBytes(message.bytes, label: "\(message.label).fsb") {
                refusal = error.description
            }
        } catch is SimulatedCrash {
        } catch {
            // Not the batch's fault and not an injected crash: the hub could not apply a verified batch. In the binary
            // the file waits and the link counts towards blocked; here the batch is simply not delivered (its changes
            // stay in the sender's outbox), and the liveness invariants judge whether the stream recovers.
            noteFailedImport(office, message, String(describing: error))
        }
        counts.delivered += 1
        if message.label.hasSuffix("-forged") { forgedOriginsDelivered += 1 }
        if message.carriedOnStick { counts.deliveredAsFiles += 1 }
        if let refusal {
            counts.refusedBatches += 1
            record("\(office) refused \(message.label): \(refusal)")
        }
        guard crash.crashed else { return false }
        counts.crashesDuringImport += 1
        record("\(office) crashed importing \(message.label) at change \(crashAt ?? 0); reopened")
        return true
    }
}

extension Simulator {
    func noteFailedImport(_ office: String, _ message: Message, _ text: String) {
        counts.failedImports += 1
        record("\(office) could not apply \(message.label): \(text)")
    }
}
