import BatchWire
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

/// `fundsync-bench nodes N1,N2,…`: how the hub's cost grows with the number of enrolled nodes (5/6). For each N, a
/// fresh hub enrols N county nodes (with a bank account and an income subject each, as a real county has), then
/// receives one small batch (1 voucher + its balance report, the everyday case) from each of up to 300 of them,
/// straight into the receive path. Prints the enrolment time and the mean cost of one small batch; a flat per-batch
/// cost from 100 to 3,000 nodes means nothing on the path scans the nodes.
enum ScaleBenchmark {
    static func run(nodeCounts: [Int]) throws {
        Benchmark.say("Scale benchmark: enrolment and per-batch apply cost by number of nodes")
        var perBatch: [(Int, Double)] = []
        for nodes in nodeCounts {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-scale-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: root) }
            let hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: OrgCode("340000")!,
                                         name: "Anhui", clock: Benchmark.LiveClock())
            let enrolSeconds = try Benchmark.measure { try ReconciliationBenchmark.enrol(nodes, at: hub) }
            Benchmark.say(Benchmark.row("enrol \(nodes) nodes (2 accounts each)", "\(Benchmark.seconds(enrolSeconds)) s",
                                        "(\(Benchmark.rate(nodes, enrolSeconds)) nodes/s)"))
            let sample = Array(stride(from: 0, to: nodes, by: max(1, nodes / 300)).prefix(300))
            let day = BusinessDate("2026-12-01")!
            let batches = try sample.map { try smallBatch(node: $0, day: day, hub: hub) }
            let applySeconds = try Benchmark.measure {
                for batch in batches {
                    let outcome = try hub.store.receive(batch, policy: hub.replicaPolicy)
                    precondition(outcome.applied == batch.changes.count, "applied \(outcome.applied) of \(batch.changes.count): \(outcome)")
                }
            }
            let milliseconds = applySeconds * 1000 / Double(batches.count)
            perBatch.append((nodes, milliseconds))
            Benchmark.say(Benchmark.row("one small batch at \(nodes) nodes", String(format: "%.2f ms", milliseconds),
                                        "(\(batches.count) batches of 2 changes, each its own transaction)"))
        }
        if let first = perBatch.first, let last = perBatch.last, perBatch.count > 1 {
            Benchmark.say(Benchmark.row("per-batch cost, \(last.0) vs \(first.0) nodes", String(format: "%.2f×", last.1 / first.1), "(flat = 1.00)"))
        }
    }

    /// One node's everyday batch: a voucher of income and the day's balance report that agrees with it.
    static func smallBatch(node: Int, day: BusinessDate, hub: Hub) throws -> IncomingBatch {
        let org = OrgCode(ReconciliationBenchmark.code(node))!, bank = "62\(org)0000001"
        let voucher = Voucher(id: "\(org)-V1", org: org, date: day, currency: .cny, memo: "income", preparer: "cashier",
                              lines: [VoucherLine(account: bank, side: .debit, amount: AmountMinorUnits(12_345)),
                                      VoucherLine(account: "\(org):6001", side: .credit, amount: AmountMinorUnits(12_345))])
        let report: [String: FieldValue] = ["org": .text(org.rawValue), "account": .text(bank), "date": .text(day.description),
                                            "balance": .integer(12_345), "preparer": .text("cashier")]
        var changes: [(change: Change, record: ArraySlice<UInt8>)] = []
        for (counter, (table, key, fields)) in [(ReplicatedTable.voucher, voucher.id, voucher.fields),
                                                (.balanceReport, "\(org):\(bank):\(day)", report)].enumerated() {
            var deps = VersionVector()
            deps.advance(org, to: Int64(counter))
            let change = Change(id: ChangeID(origin: org, counter: Int64(counter + 1)), deps: deps, table: table.rawValue, key: key,
                                operation: .insert, businessDate: day.description, createdAtMilliseconds: 0, fields: fields)
            changes.append((change, ChangeCodec.encode(change)[...]))
        }
        let sent = try hub.storage.registryVersions().first { $0.peer == org.rawValue }?.current ?? 0
        return IncomingBatch(sender: org, batchSequence: 1, firstStreamPosition: 1, ackStreamPosition: 0,
                             ackVector: VersionVector([hub.org: sent]), fileHash: "bench-\(org)", changes: changes)
    }
}
