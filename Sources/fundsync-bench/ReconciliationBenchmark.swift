import BatchWire
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

/// `fundsync-bench reconcile NODES VOUCHERS`: a province of NODES county nodes and VOUCHERS vouchers at the hub
/// (income received at each county's bank account over 20 business days, with a balance report for every bank
/// account every day), then a full reconciliation and an incremental one after one more day of batches from
/// 10 nodes. Prints the seconds of each and the process's peak resident memory.
enum ReconciliationBenchmark {
    static func run(nodes: Int, vouchers: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-recon-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("Reconciliation benchmark: \(nodes) nodes, \(vouchers) vouchers over 20 business days; data in \(root.path)")
        let hub = try Hub.initialize(directory: DataDirectory(root.appendingPathComponent("hub").path), org: OrgCode("340000")!, name: "Anhui",
                                     clock: Benchmark.LiveClock())
        let setup = try Benchmark.measure { try enrol(nodes, at: hub) }
        Benchmark.say(Benchmark.row("enrol nodes with accounts", "\(Benchmark.seconds(setup)) s", ""))
        let days = businessDays(20)
        let perNode = max(1, vouchers / nodes)
        let load = try Benchmark.measure {
            for node in 0..<nodes { try receive(node: node, vouchers: perNode, days: days, firstPosition: 1, hub: hub) }
        }
        Benchmark.say(Benchmark.row("apply vouchers and reports at the hub", "\(Benchmark.rate(nodes * perNode, load)) vouchers/s", "(\(Benchmark.seconds(load)) s)"))
        let reconciler = Reconciler(hub: hub)
        var full: ReconciliationReport?
        let fullSeconds = try Benchmark.measure { full = try reconciler.run(from: days.first!, through: days.last!, incremental: false) }
        Benchmark.say(Benchmark.row("full reconciliation", "\(Benchmark.seconds(fullSeconds)) s",
                            "(\(full!.cellsRebuilt) unit-days, \(full!.findings.count) findings)"))
        precondition(full!.findings.isEmpty, "a clean province has findings: \(full!.findings.prefix(3))")
        let next = BusinessDate.fromDaysSinceEpoch(days.last!.daysSinceEpoch + 3)
        for node in 0..<10 { try receive(node: node, vouchers: 100, days: [next], firstPosition: Int64(perNode + days.count + 1), hub: hub) }
        var incremental: ReconciliationReport?
        let incrementalSeconds = try Benchmark.measure {
            incremental = try reconciler.run(from: days.first!, through: next, incremental: true)
        }
        Benchmark.say(Benchmark.row("incremental after one day of 10 nodes", "\(Benchmark.seconds(incrementalSeconds)) s",
                            "(\(incremental!.cellsRebuilt) unit-days rebuilt)"))
        Benchmark.say(Benchmark.row("peak resident memory", "\(peakResidentMegabytes()) MB", "(VmHWM of this process)"))
    }

    static func code(_ node: Int) -> String { "35\(String(format: "%04d", node))" }

    static func enrol(_ nodes: Int, at hub: Hub) throws {
        try hub.addOrgUnit(OrgUnit(code: OrgCode("340100")!, parent: hub.org, name: "City", level: .city))
        for node in 0..<nodes {
            let org = OrgCode(code(node))!
            let key = try SigningKey.generate(.ed25519)
            try hub.enroll(org: org, parent: OrgCode("340100")!, name: "County \(org)", level: .county, publicKeyPEM: key.publicKey.pem)
            try hub.putAccount(AccountRecord(id: "62\(org)0000001", org: org, kind: .bank, code: "62\(org)0000001", name: "income", currency: .cny,
                                             status: .active))
            try hub.putAccount(AccountRecord(id: "\(org):6001", org: org, kind: .subject, code: "6001", name: "Income", currency: .cny, status: .active))
        }
    }

    static func businessDays(_ count: Int) -> [BusinessDate] {
        BusinessDate("2026-11-02")!.through(BusinessDate("2026-12-31")!).filter(\.isBusinessDay).prefix(count).map { $0 }
    }

    /// One node's changes straight into the hub's receive path (no files: this measures reconciliation, not I/O):
    /// vouchers spread over `days`, then a balance report per day equal to the books.
    static func receive(node: Int, vouchers: Int, days: [BusinessDate], firstPosition: Int64, hub: Hub) throws {
        let org = OrgCode(code(node))!, bank = "62\(org)0000001"
        var changes: [(change: Change, record: ArraySlice<UInt8>)] = []
        var counter = firstPosition, running: Int64 = 0
        func add(_ table: ReplicatedTable, _ key: String, _ date: BusinessDate, _ fields: [String: FieldValue]) {
            var deps = VersionVector()
            deps.advance(org, to: counter - 1)
            let change = Change(id: ChangeID(origin: org, counter: counter), deps: deps, table: table.rawValue, key: key, operation: .insert,
                                businessDate: date.description, createdAtMilliseconds: 0, fields: fields)
            changes.append((change, ChangeCodec.encode(change)[...]))
            counter += 1
        }
        for (dayIndex, day) in days.enumerated() {
            let count = vouchers / days.count + (dayIndex < vouchers % days.count ? 1 : 0)
            for index in 0..<count {
                let amount = Int64(10_000 + (index * 37) % 90_000)
                running += amount
                let voucher = Voucher(id: "\(org)-V\(counter)", org: org, date: day, currency: .cny, memo: "income", preparer: "cashier",
                                      lines: [VoucherLine(account: bank, side: .debit, amount: AmountMinorUnits(amount)),
                                              VoucherLine(account: "\(org):6001", side: .credit, amount: AmountMinorUnits(amount))])
                add(.voucher, voucher.id, day, voucher.fields)
            }
            let previous = try hub.storage.reconBalance(bank, through: day.description)
            add(.balanceReport, "\(org):\(bank):\(day)", day, ["org": .text(org.rawValue), "account": .text(bank), "date": .text(day.description),
                                                                "balance": .integer(previous + running), "preparer": .text("cashier")])
        }
        // The node acknowledges everything the hub sent it (its registry), as a real node's batch would.
        let sent = try hub.storage.registryVersions().first { $0.peer == org.rawValue }?.current ?? 0
        let outcome = try hub.store.receive(IncomingBatch(sender: org, batchSequence: UInt64(firstPosition), firstStreamPosition: UInt64(firstPosition),
                                                          ackStreamPosition: 0, ackVector: VersionVector([hub.org: sent]), fileHash: "bench",
                                                          changes: changes),
                                                policy: hub.replicaPolicy)
        precondition(outcome.applied == changes.count, "hub applied \(outcome.applied) of \(changes.count): \(outcome)")
    }

    static func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
