import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// A crash injected in the middle of an import: the transaction is abandoned and the database reopened.
struct SimulatedCrash: Error {}

/// Wraps an office's policy and throws `SimulatedCrash` when the import reaches change number `crashAt`.
final class CrashingPolicy: ReplicaPolicy {
    let base: any ReplicaPolicy
    let crashAt: Int?
    var reviewed = 0

    init(base: any ReplicaPolicy, crashAt: Int?) {
        self.base = base
        self.crashAt = crashAt
    }

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        if let crashAt, reviewed == crashAt { throw SimulatedCrash() }
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
            if down { try send(try hub.sealedBatches(for: code), to: office, from: "hub", faulty: faulty) }
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
                network.send(Message(deliverOnDay: day + delay, recipient: recipient, bytes: bytes, label: "\(sender)-to-\(recipient)"))
            }
        }
    }

    /// Delivers every batch due today, in shuffled order, with crashes in the middle of imports.
    func deliverDue() throws {
        for message in network.takeDue(by: day, using: &random) {
            if message.recipient == Self.province.rawValue { try deliverToHub(message) } else { try deliverToNode(message) }
        }
    }

    func crashPoint(_ changeCount: Int) -> Int? {
        guard configuration.faults, changeCount > 0, random.chance(configuration.crashDuringImportProbabilityPercent) else { return nil }
        return Int.random(in: 0..<changeCount, using: &random)
    }

    func deliverToHub(_ message: Message) throws {
        let opened: (header: BatchHeader, changes: [DecodedChange])
        do { opened = try hub.open(message.bytes) } catch {
            counts.refusedBatches += 1
            record("hub refused \(message.label): \(error)")
            return
        }
        let crashAt = crashPoint(opened.changes.count)
        do {
            _ = try hub.store.receive(Self.incoming(opened), policy: CrashingPolicy(base: hub.replicaPolicy, crashAt: crashAt))
        } catch is SimulatedCrash {
            counts.crashesDuringImport += 1
            record("hub crashed importing \(message.label) at change \(crashAt ?? 0); reopened")
            hub = try Hub.open(directory: hub.directory, clock: clocks[Self.province]!)
        }
    }

    func deliverToNode(_ message: Message) throws {
        guard let code = OrgCode(message.recipient), let node = nodes[code] else { return }
        let opened: (header: BatchHeader, changes: [DecodedChange])
        do { opened = try node.open(message.bytes) } catch {
            counts.refusedBatches += 1
            record("\(code) refused \(message.label): \(error)")
            return
        }
        if node.hubOrg == nil { try node.store.setMeta("hub_org", opened.header.sender.rawValue) }
        let crashAt = crashPoint(opened.changes.count)
        do {
            _ = try node.store.receive(Self.incoming(opened), policy: CrashingPolicy(base: try node.replicaPolicy, crashAt: crashAt))
        } catch is SimulatedCrash {
            counts.crashesDuringImport += 1
            record("\(code) crashed importing \(message.label) at change \(crashAt ?? 0); reopened")
            nodes[code] = try Node.open(directory: node.directory, clock: clocks[code]!)
        }
    }

    static func incoming(_ opened: (header: BatchHeader, changes: [DecodedChange])) -> IncomingBatch {
        let header = opened.header
        return IncomingBatch(sender: header.sender, batchSequence: header.batchSequence, firstStreamPosition: header.firstStreamPosition,
                             ackStreamPosition: header.ackStreamPosition, ackVector: header.ackVector, fileHash: "simulated",
                             changes: opened.changes.map { ($0.change, $0.record) })
    }
}
