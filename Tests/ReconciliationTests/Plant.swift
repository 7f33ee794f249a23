import BatchExchange
import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting

/// Writes a county's documents the way a buggy or half-finished office could, bypassing the node's own helpers,
/// so reconciliation has something real to find.
struct Plant {
    let province: BusinessProvince
    let county: String

    /// The county's replica policy for raw writes: everything it writes goes to the hub.
    struct RawPolicy: ReplicaPolicy {
        let hub: OrgCode
        func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict { .apply }
        func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {}
        func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] { [hub] }
        func receivesEveryChange(of origin: OrgCode) -> Bool { false }
    }

    var node: Node { province.node(county) }
    var income: String { BusinessProvince.income(county) }

    func raw(_ body: (ReplicaTransaction) throws -> Void) throws {
        try node.store.write(policy: RawPolicy(hub: TestProvince.province)) { try body($0) }
    }

    func slipFields(_ amount: Int64, _ day: BusinessDate) -> [String: FieldValue] {
        ["kind": .text("sweep_up"), "issuer": .text(county), "receiver": .text("340000"), "date": .text(day.description),
         "amount": .integer(amount), "currency": .text("CNY"), "bank_account": .text(income), "bank_advice": .text("PLANTED"),
         "memo": .null, "related": .null, "issuer_entries": .null, "receiver_entries": .null,
         "preparer": .text("\(county)-cashier"), "reviewer": .text("\(county)-manager"), "approver": .null]
    }

    /// A properly booked sweep whose bank receipt never comes.
    func agedInTransit(on day: BusinessDate) throws {
        _ = try node.sweep(account: income, date: day, amount: AmountMinorUnits(15_000), advice: "AGED", signatures: BusinessProvince.clerks(county))
    }

    /// A slip sent to the hub with no booking of the county's own side.
    func oneSidedSlip(on day: BusinessDate) throws {
        try raw { transaction in
            try transaction.appendLocal(table: .slip, key: "\(county)-S2026-900001", operation: .insert, businessDate: day.description,
                                        fields: slipFields(300_000, day))
        }
    }

    /// A slip of ¥5,000 that the county booked (and the bank paid) as ¥4,500.
    func amountMismatch(on day: BusinessDate) throws {
        let slip = "\(county)-S2026-900002"
        try raw { transaction in
            try transaction.appendLocal(table: .slip, key: slip, operation: .insert, businessDate: day.description, fields: slipFields(500_000, day))
            try transaction.appendLocal(table: .bankJournal, key: "\(county)-B900002", operation: .insert, businessDate: day.description, fields: [
                "org": .text(county), "account": .text(income), "date": .text(day.description), "direction": .text("payment"),
                "amount": .integer(450_000), "advice": .text("MISMATCH"), "counterparty": .null, "memo": .null, "slip": .text(slip),
                "preparer": .text("\(county)-cashier"), "reviewer": .null,
            ])
            let voucher = Voucher(id: "\(county)-V900002", org: OrgCode(county)!, date: day, currency: .cny, memo: "sweep", preparer: "\(county)-cashier",
                                  lines: JournalEntries.sweepAtBranch(branch: OrgCode(county)!, bankAccount: income, AmountMinorUnits(450_000)),
                                  source: "slip:\(slip)")
            try transaction.appendLocal(table: .voucher, key: voucher.id, operation: .insert, businessDate: day.description, fields: voucher.fields)
        }
    }

    /// Two changes exported as two batches of one change each; only the second reaches the hub.
    func counterGap(on day: BusinessDate) throws {
        try node.submitForecast(period: "2026-11-H2", date: day, amounts: ["claims": AmountMinorUnits(100_000)],
                                signatures: BusinessProvince.clerks(county))
        try node.submitApplication(category: "business", amount: AmountMinorUnits(20_000_000), reason: "claims", date: day,
                                   signatures: BusinessProvince.clerks(county))
        let batches = try node.store.prepareExport(to: TestProvince.province, changeCountMax: 1)
        let second = try require(batches.last)
        let folder = try province.base.root.folder("gap")
        let file = try BatchInbox.writeBatch(BatchAddressing(sender: node.org, recipient: TestProvince.province, batchSequence: second.batchSequence,
                                                             firstStreamPosition: second.firstStreamPosition, ackStreamPosition: second.ackStreamPosition,
                                                             ackVector: second.ackVector, createdAtMilliseconds: 0),
                                             records: second.records, signingKey: node.signingKey, folder: folder)
        try expectReceived(province.hub.exchange.importFiles([file]))
    }

    /// A statement of the hub's collection account with every receipt the hub booked, plus one it did not.
    static func statementWithUnbookedEntry(_ province: BusinessProvince) throws {
        let account = BusinessProvince.hubCollection
        let journal = try province.hub.store.documents(.bankJournal).filter { $0["account"] == account }
        var lines = ["record,account,currency,statement_id,sequence_number,date,value_date,amount,bank_reference,customer_reference,counterparty,narrative,bank_transaction_code",
                     "OPEN,\(account),CNY,2026-11-W1,1,2026-11-02,,0.00,,,,,"]
        var total: Int64 = 0
        for entry in journal {
            let amount = Int64(entry["amount"]!)!
            total += amount
            lines.append("ENTRY,\(account),CNY,2026-11-W1,,\(entry["date"]!),,\(AmountMinorUnits(amount)),\(entry["advice"]!),,,sweep,")
        }
        lines.append("ENTRY,\(account),CNY,2026-11-W1,,2026-11-05,,1234.56,UNKNOWN-77,,Somebody,transfer in,")
        total += 123_456
        lines.append("CLOSE,\(account),CNY,2026-11-W1,,2026-11-06,,\(AmountMinorUnits(total)),,,,,")
        let url = province.base.root.url.appendingPathComponent("statement.csv")
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        try province.hub.importStatements(url)
    }
}

struct MissingBatch: Error {}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingBatch() }
    return value
}
