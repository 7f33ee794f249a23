import BatchWire
import Foundation
import HubCore
import LedgerCore
import ReplicaStore

/// `fundsync-bench province [DAYS] [VOUCHERS_PER_DAY]`: the province of 5/6 — 1 hub, 16 cities and 105 counties as
/// nodes, 26,000 budget units, 50,000 accounts and 100,000 staff imported from one registry file — and DAYS business
/// days (default 1) of VOUCHERS_PER_DAY vouchers (default 500,000) written by the counties for their budget units, in
/// 4 exchanges per node per day, each day ending with a balance report of every bank account that moved. Prints the
/// registry import, the enrolment, each day's apply, the incremental reconciliation after each day, a full
/// reconciliation of the whole period, the peak resident memory and the hub database's size.
///
/// Batches go straight into the hub's receive path (no files, no signatures): this measures the hub's storage,
/// rules and reconciliation at a province's scale, not transport.
enum ProvinceBenchmark {
    static let cityCount = 16, countyCount = 105

    /// - Parameter budgetUnitCount: 26,000 for the province; smaller for a quick look (accounts and staff scale with it:
    ///   12 of 13 units have a bank account, each has an expense subject, and there are about 4 people per unit).
    /// - Parameter attach: connects the new hub to a store of record before anything is written (`store-of-record`).
    static func run(days dayCount: Int, vouchersPerDay: Int, budgetUnitCount: Int = 26_000,
                    attach: ((ReplicaStore) throws -> Void)? = nil, finish: ((ReplicaStore) throws -> Void)? = nil) throws {
        let bankAccountCount = budgetUnitCount * 12 / 13, staffCount = budgetUnitCount * 50 / 13
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-province-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        Benchmark.say("Province benchmark: \(cityCount) cities and \(countyCount) counties as nodes, \(budgetUnitCount) budget units, "
                      + "\(dayCount) day(s) of \(vouchersPerDay) vouchers; data in \(root.path)")
        let hubFolder = root.appendingPathComponent("hub")
        let hub = try Hub.initialize(directory: DataDirectory(hubFolder.path), org: OrgCode("340000")!, name: "Anhui", clock: Benchmark.LiveClock())
        try attach?(hub.store)
        let cities = (1...cityCount).map { OrgCode("34\(String(format: "%02d", $0))00")! }
        let counties = (0..<countyCount).map { OrgCode("\(cities[$0 % cityCount].rawValue.prefix(4))\(String(format: "%02d", 21 + $0 / cityCount))")! }
        let enrolSeconds = try Benchmark.measure {
            for city in cities {
                try hub.enroll(org: city, parent: hub.org, name: "City \(city)", level: .city,
                               publicKeyPEM: try SigningKey.generate(.ed25519).publicKey.pem)
            }
            for (index, county) in counties.enumerated() {
                try hub.enroll(org: county, parent: cities[index % cityCount], name: "County \(county)", level: .county,
                               publicKeyPEM: try SigningKey.generate(.ed25519).publicKey.pem)
            }
        }
        Benchmark.say(Benchmark.row("enrol \(cityCount + countyCount) nodes", "\(Benchmark.seconds(enrolSeconds)) s", ""))

        // The registry file, as a vendor would hand it over.
        var csv = RegistryImportFile.header.joined(separator: ",") + "\n"
        var units: [(code: String, county: OrgCode, bank: String?)] = []
        for index in 0..<budgetUnitCount {
            let county = counties[index % countyCount]
            let code = "\(county.rawValue)\(String(format: "%04d", index / countyCount))"
            let bank = index < bankAccountCount ? "62\(String(format: "%017d", index))" : nil
            units.append((code, county, bank))
            csv += "unit,\(code),\(county.rawValue),Budget unit \(code),budget_unit,,,\n"
            if let bank { csv += "account,\(bank),\(code),zero-balance account,bank,\(bank),CNY,\n" }
            csv += "account,\(code):5001,\(code),operating expenses,subject,5001,,\n"
        }
        for index in 0..<staffCount {
            let unit = units[index % budgetUnitCount].code
            csv += "staff,\(unit)-p\(index / budgetUnitCount),\(unit),Person \(index),,,,\(index % 2 == 0 ? "cashier" : "finance_manager")\n"
        }
        let bytes = Data(csv.utf8)
        csv = ""
        var summary = RegistryImportSummary()
        let importSeconds = try Benchmark.measure { summary = try hub.importRegistry(try RegistryImportFile.parse(bytes)) }
        Benchmark.say(Benchmark.row("registry import", "\(Benchmark.seconds(importSeconds)) s",
                                    "(\(summary.unitsAdded) units, \(summary.accountsAdded) accounts, \(summary.staffAdded) staff; file \(bytes.count / 1_048_576) MiB)"))

        let days = ReconciliationBenchmark.businessDays(dayCount)
        let banked = units.filter { $0.bank != nil }
        var counters: [OrgCode: Int64] = [:], positions: [OrgCode: Int64] = [:], balances: [String: Int64] = [:]
        let reconciler = Reconciler(hub: hub)
        var totalApply = 0.0
        for day in days {
            var applySeconds = 0.0, applied = 0
            var moved: [OrgCode: Set<Int>] = [:]
            // Each node's batches acknowledge the registry it has from the hub, as a real node's do.
            let registry = Dictionary(try hub.storage.registryVersions().map { ($0.peer, $0.current) }, uniquingKeysWith: max)
            for exchange in 0..<4 {
                var perCounty: [OrgCode: [Int]] = [:]
                let share = vouchersPerDay / 4 + (exchange < vouchersPerDay % 4 ? 1 : 0)
                for voucher in 0..<share {
                    let unit = (voucher * 7 + exchange * 13) % banked.count
                    perCounty[banked[unit].county, default: []].append(unit)
                }
                for county in counties {
                    var changes: [(change: Change, record: ArraySlice<UInt8>)] = []
                    func add(_ table: ReplicatedTable, _ key: String, _ fields: [String: FieldValue]) {
                        let counter = (counters[county] ?? 0) + 1
                        counters[county] = counter
                        var deps = VersionVector()
                        deps.advance(county, to: counter - 1)
                        let change = Change(id: ChangeID(origin: county, counter: counter), deps: deps, table: table.rawValue, key: key,
                                            operation: .insert, businessDate: day.description, createdAtMilliseconds: 0, fields: fields)
                        changes.append((change, ChangeCodec.encode(change)[...]))
                    }
                    for unit in perCounty[county] ?? [] {
                        let (code, _, bank) = banked[unit]
                        let salt = Int64(unit) * 37 + (counters[county] ?? 0)
                        let amount: Int64 = 10_000 + salt % 90_000
                        balances[bank!, default: 0] += amount
                        moved[county, default: []].insert(unit)
                        let voucher = Voucher(id: "\(county)-V\((counters[county] ?? 0) + 1)", org: OrgCode(code)!, date: day, currency: .cny,
                                              memo: "appropriation", preparer: "\(code)-p0",
                                              lines: [VoucherLine(account: bank!, side: .debit, amount: AmountMinorUnits(amount)),
                                                      VoucherLine(account: "\(code):5001", side: .credit, amount: AmountMinorUnits(amount))])
                        add(.voucher, voucher.id, voucher.fields)
                    }
                    if exchange == 3 {
                        for unit in (moved[county] ?? []).sorted() {
                            let (code, _, bank) = banked[unit]
                            add(.balanceReport, "\(code):\(bank!):\(day)", ["org": .text(code), "account": .text(bank!), "date": .text(day.description),
                                                                            "balance": .integer(balances[bank!] ?? 0), "preparer": .text("\(code)-p0")])
                        }
                    }
                    guard !changes.isEmpty else { continue }
                    let position = (positions[county] ?? 0) + 1
                    let batch = IncomingBatch(sender: county, batchSequence: UInt64(position), firstStreamPosition: UInt64(position),
                                              ackStreamPosition: 0, ackVector: VersionVector([hub.org: registry[county.rawValue] ?? 0]),
                                              fileHash: "bench-\(county)-\(position)", changes: changes)
                    applySeconds += try Benchmark.measure {
                        let outcome = try hub.store.receive(batch, policy: hub.replicaPolicy)
                        precondition(outcome.applied == changes.count, "applied \(outcome.applied) of \(changes.count): \(outcome)")
                    }
                    applied += changes.count
                    positions[county] = position + Int64(changes.count) - 1
                }
            }
            // The cities keep no budget units' books: their day is an acknowledgement of what the hub sent them.
            for city in cities {
                let position = (positions[city] ?? 0) + 1
                let batch = IncomingBatch(sender: city, batchSequence: UInt64(position), firstStreamPosition: UInt64(position),
                                          ackStreamPosition: 0, ackVector: VersionVector([hub.org: registry[city.rawValue] ?? 0]),
                                          fileHash: "bench-\(city)-\(position)", changes: [])
                positions[city] = position
                applySeconds += try Benchmark.measure { _ = try hub.store.receive(batch, policy: hub.replicaPolicy) }
            }
            totalApply += applySeconds
            Benchmark.say(Benchmark.row("day \(day): apply", "\(Benchmark.seconds(applySeconds)) s",
                                        "(\(Benchmark.rate(applied, applySeconds)) changes/s; \(applied) changes in \(4 * countyCount) batches)"))
            var report: ReconciliationReport?
            let incremental = try Benchmark.measure { report = try reconciler.run(from: days.first!, through: day, incremental: true) }
            Benchmark.say(Benchmark.row("day \(day): incremental reconcile", "\(Benchmark.seconds(incremental)) s",
                                        "(\(report!.cellsRebuilt) unit-days, \(report!.findings.count) findings)"))
        }
        var full: ReconciliationReport?
        let fullSeconds = try Benchmark.measure { full = try reconciler.run(from: days.first!, through: days.last!, incremental: false) }
        Benchmark.say(Benchmark.row("full reconcile of \(dayCount) day(s)", "\(Benchmark.seconds(fullSeconds)) s",
                                    "(\(full!.cellsRebuilt) unit-days, \(full!.findings.count) findings)"))
        let kinds = Dictionary(grouping: full!.findings, by: \.check).map { "\($0.key) \($0.value.count)" }.sorted()
        if !kinds.isEmpty { Benchmark.say(Benchmark.row("  findings by check", kinds.joined(separator: ", "), "")) }
        Benchmark.say(Benchmark.row("peak resident memory", "\(ReconciliationBenchmark.peakResidentMegabytes()) MB", "(VmHWM of this process)"))
        let size = try FileManager.default.contentsOfDirectory(at: hubFolder, includingPropertiesForKeys: [.fileSizeKey]).reduce(0) { total, url in
            total + ((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        Benchmark.say(Benchmark.row("hub data folder", "\(size / 1_048_576) MiB", "(\(Benchmark.seconds(totalApply)) s of apply in all)"))
        try finish?(hub.store)
    }
}
