import BatchWire
import Foundation
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting

/// A dishonest office in the simulation (2/6, "a hostile office"): the last county, whose software is not ours any more.
/// On some days it attacks, through the same network and the same import path as everyone else:
/// - **forged origin**: it takes an honest county's batch in flight, re-signs that county's changes with its own valid
///   key and sends them to the hub first (what issue 2/6 finding 1 was about);
/// - **replay**: it sends another office's batch again, unchanged;
/// - **over the cap**: its own replica gets a voucher above `Limits.amountMinorUnitsMax` per line, bypassing the node's
///   checks, and it travels like any other change;
/// - **unknown key**: it signs a batch with a key the hub never enrolled.
///
/// The invariant (`InvariantChecker`, 7): no honest office's change is lost or altered by any of it, every honest
/// office's books still agree with the hub's, and only the dishonest office's link carries security alerts.
extension Simulator {
    /// The dishonest office of a Byzantine run: the last county.
    var dishonest: OrgCode? { configuration.byzantine ? codes.last : nil }

    func byzantineDay() throws {
        guard let villain = dishonest, random.chance(configuration.byzantineActProbabilityPercent) else { return }
        switch Int.random(in: 0..<5, using: &random) {
        case 0: try forgeOrigin(by: villain)
        case 1: replayForeignBatch(by: villain)
        case 2: try postAboveTheCap(at: villain)
        case 4: try forgeReviewerSignature(at: villain)
        default: try signWithUnknownKey(by: villain)
        }
    }

    /// Re-signs an honest county's changes in flight to the hub with the villain's own key.
    func forgeOrigin(by villain: OrgCode) throws {
        let candidates = network.inFlight.filter { $0.recipient == Self.province.rawValue && !$0.label.hasPrefix(villain.rawValue) }
        guard !candidates.isEmpty else { return }
        let victim = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        let records = try BatchEnvelope.parse(victim.bytes).decodeChanges().map { Array($0.record) }
        guard !records.isEmpty else { return }
        let forged = try BatchSealer.seal(
            BatchAddressing(sender: villain, recipient: Self.province, batchSequence: UInt64.random(in: 1...1_000, using: &random),
                            firstStreamPosition: 1, ackStreamPosition: 0, ackVector: VersionVector(),
                            createdAtMilliseconds: clocks[villain]!.nowMilliseconds()),
            records: records, signingKey: nodes[villain]!.signingKey)
        network.send(Message(deliverOnDay: day, recipient: Self.province.rawValue, bytes: forged, label: "\(villain)-forged",
                             carriedOnStick: random.chance(50)))
        counts.forgedOrigins += 1
        record("BYZANTINE \(villain) re-signed \(records.count) change(s) of \(victim.label) as its own")
    }

    /// Sends another office's batch again, unchanged (harmless by design: it is signed by its writer).
    func replayForeignBatch(by villain: OrgCode) {
        let candidates = network.inFlight.filter { !$0.label.hasPrefix(villain.rawValue) }
        guard !candidates.isEmpty else { return }
        var copy = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        copy.deliverOnDay = day + Int.random(in: 0...configuration.delayDaysMax, using: &random)
        network.send(copy)
        counts.replayedForeignBatches += 1
        record("BYZANTINE \(villain) replayed \(copy.label)")
    }

    /// Writes a voucher above the per-line cap straight into the villain's replica, as software without our checks would.
    func postAboveTheCap(at villain: OrgCode) throws {
        let node = nodes[villain]!
        let amount = AmountMinorUnits(Limits.amountMinorUnitsMax + Int64.random(in: 1...1_000, using: &random))
        let voucher = Voucher(id: "\(villain)-VX\(day)-\(counts.overCapVouchers)", org: villain, date: today, currency: .cny,
                              memo: "more than the cap", preparer: "\(villain)-cashier",
                              lines: [VoucherLine(account: WorldBuilder.income(villain), side: .debit, amount: amount),
                                      VoucherLine(account: "\(villain):6001", side: .credit, amount: amount)])
        try node.store.write(policy: try node.replicaPolicy) { transaction in
            _ = try transaction.appendLocal(table: .voucher, key: voucher.id, operation: .insert, businessDate: today.description,
                                            fields: voucher.fields)
        }
        counts.overCapVouchers += 1
        record("BYZANTINE \(villain) booked \(voucher.id) for \(amount) per line, above the cap")
    }

    /// A clerk signs for the reviewer with a key of their own making (4/6): the voucher names the manager as reviewer,
    /// and the reviewer's signature is by a key the hub never certified. The hub must reject it (`signer-unknown`).
    func forgeReviewerSignature(at villain: OrgCode) throws {
        let node = nodes[villain]!
        let id = "\(villain)-VF\(day)-\(forgedSignatureVouchers.count)"
        let amount = AmountMinorUnits(Int64.random(in: 100...100_000, using: &random))
        let voucher = Voucher(id: id, org: villain, date: today, currency: .cny, memo: "reviewed, says the clerk", preparer: "\(villain)-cashier",
                              lines: [VoucherLine(account: WorldBuilder.income(villain), side: .debit, amount: amount),
                                      VoucherLine(account: "\(villain):6001", side: .credit, amount: amount)],
                              reviewer: "\(villain)-manager")
        let version = try node.store.read { try $0.registryVersion() }
        let fields = voucher.fields
        func signature(_ role: SigningRole, _ staff: String, _ key: SigningKey) throws -> PersonalSignature {
            let message = DocumentSigning.message(table: "voucher", key: id, origin: villain, role: role, staff: staff,
                                                  keyID: key.publicKey.keyID, registryVersion: version, fields: fields)
            return PersonalSignature(role: role, staff: staff, keyID: key.publicKey.keyID, registryVersion: version, signature: try key.sign(message[...]))
        }
        var signed = fields
        signed["signatures"] = PersonalSignature.field([
            try signature(.preparer, "\(villain)-cashier", try PersonalKeys.key(for: "\(villain)-cashier")),
            try signature(.reviewer, "\(villain)-manager", try SigningKey.ed25519(seed: random.bytes32())),
        ])
        try node.store.write(policy: try node.replicaPolicy) { transaction in
            _ = try transaction.appendLocal(table: .voucher, key: id, operation: .insert, businessDate: today.description, fields: signed)
        }
        forgedSignatureVouchers.append(id)
        counts.forgedSignatures += 1
        record("BYZANTINE \(villain) forged its manager's signature on \(id)")
    }

    /// Signs a batch of its own with a key the hub never enrolled.
    func signWithUnknownKey(by villain: OrgCode) throws {
        let stranger = try SigningKey.ed25519(seed: random.bytes32())
        let bytes = try BatchSealer.seal(
            BatchAddressing(sender: villain, recipient: Self.province, batchSequence: 1, firstStreamPosition: 0, ackStreamPosition: 0,
                            ackVector: VersionVector(), createdAtMilliseconds: clocks[villain]!.nowMilliseconds()),
            records: [], signingKey: stranger)
        network.send(Message(deliverOnDay: day, recipient: Self.province.rawValue, bytes: bytes, label: "\(villain)-stranger",
                             carriedOnStick: random.chance(50)))
        counts.unknownKeyBatches += 1
        record("BYZANTINE \(villain) signed a batch with an unenrolled key")
    }
}
