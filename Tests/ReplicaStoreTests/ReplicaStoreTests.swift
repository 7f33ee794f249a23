import Foundation
import LedgerCore
import ReplicaStore
import SyncTesting
import Testing

/// A policy for store-level tests: accepts everything except vouchers whose memo is "reject", and throws (an
/// operating failure, not a rejection) for memo "explode".
struct TestPolicy: ReplicaPolicy {
    let complete: Set<OrgCode>
    let peer: OrgCode

    struct Explosion: Error {}

    func review(_ change: Change, from peer: OrgCode, in transaction: ReplicaTransaction) throws -> ChangeVerdict {
        switch change.fields["memo"]?.textValue {
        case "reject"?: return .reject(code: "test", reason: "test rejection")
        case "explode"?: throw Explosion()
        default: return .apply
        }
    }

    func didReceive(_ change: Change, verdict: ChangeVerdict, in transaction: ReplicaTransaction) throws {}
    func recipients(of change: Change, in transaction: ReplicaTransaction) throws -> [OrgCode] { [peer] }
    func receivesEveryChange(of origin: OrgCode) -> Bool { complete.contains(origin) }
}

@Suite struct ReplicaStoreTests {
    static let hub = OrgCode("340000")!
    static let county = OrgCode("340122")!

    static func hubStore(path: String? = nil) throws -> ReplicaStore {
        let store = try ReplicaStore.create(path: path, role: .hub, org: hub, clock: ManualClock())
        try store.write(policy: TestPolicy(complete: [county], peer: county)) { transaction in
            for code in ["1002", "6001"] {
                try transaction.appendLocal(table: .account, key: "340122:\(code)", operation: .insert, fields: [
                    "org": .text("340122"), "kind": .text("subject"), "code": .text(code), "name": .text(code),
                    "currency": .text("CNY"), "status": .text("active"),
                ])
            }
        }
        return store
    }

    static func voucherChange(_ counter: Int64, memo: String = "m", deps extra: [OrgCode: Int64] = [:]) -> (change: Change, record: ArraySlice<UInt8>) {
        let voucher = Voucher(id: "340122-V\(counter)", org: county, date: BusinessDate("2026-11-02")!, currency: .cny, memo: memo,
                              preparer: "p", lines: [VoucherLine(account: "340122:1002", side: .debit, amount: AmountMinorUnits(counter * 100)),
                                                     VoucherLine(account: "340122:6001", side: .credit, amount: AmountMinorUnits(counter * 100))])
        var deps = VersionVector(extra)
        deps.advance(county, to: counter - 1)
        let change = Change(id: ChangeID(origin: county, counter: counter), deps: deps, table: "voucher", key: voucher.id,
                            operation: .insert, businessDate: "2026-11-02", createdAtMilliseconds: 0, fields: voucher.fields)
        return (change, ChangeCodec.encode(change)[...])
    }

    static func batch(first: UInt64, _ changes: [(change: Change, record: ArraySlice<UInt8>)], ack: UInt64 = 0) -> IncomingBatch {
        IncomingBatch(sender: county, batchSequence: first, firstStreamPosition: first, ackStreamPosition: ack,
                      ackVector: VersionVector(), fileHash: "test", changes: changes)
    }

    let policy = TestPolicy(complete: [Self.county], peer: Self.county)

    @Test func localWriteLogsAndQueuesInOneTransaction() throws {
        let store = try Self.hubStore()
        #expect(try store.versionVector()[Self.hub] == 2)
        #expect(try store.status().outbox == 2)
        let batches = try store.prepareExport(to: Self.county)
        #expect(batches.count == 1 && batches[0].records.count == 2 && batches[0].firstStreamPosition == 1)
        #expect(try store.verify { $0 != Self.hub }.isEmpty)
    }

    @Test func eachRoleHasItsOwnSchemaAndTheHubsStorageOnlyAtTheHub() throws {
        let node = try ReplicaStore.create(path: nil, role: .node, org: Self.county, clock: ManualClock())
        let hub = try Self.hubStore()
        for table in ["recon_account_day", "recon_finding", "bank_statement", "stream_finding"] {
            #expect(try hub.canonicalDump().contains("## \(table)\n") || hub.canonicalDump().hasSuffix("## \(table)"), "\(table) at the hub")
            #expect(try !node.canonicalDump().contains("## \(table)"), "\(table) at a node")
        }
        #expect(try node.canonicalDump().contains("## difference_notice"), "replicated tables are at both")
    }

    @Test func laterStreamPositionWaitsThenIsReleased() throws {
        let store = try Self.hubStore()
        let early = try store.receive(Self.batch(first: 2, [Self.voucherChange(2)]), policy: policy)
        #expect(early.waiting == 1 && early.applied == 0)
        #expect(try store.status().pending == 1)
        let late = try store.receive(Self.batch(first: 1, [Self.voucherChange(1)]), policy: policy)
        #expect(late.applied == 2 && late.released == 1)
        #expect(try store.status().pending == 0)
        #expect(try store.versionVector()[Self.county] == 2)
        #expect(try store.verify { $0 != Self.hub }.isEmpty)
    }

    @Test func applyingTwiceIsANoOp() throws {
        let store = try Self.hubStore()
        let batch = Self.batch(first: 1, [Self.voucherChange(1), Self.voucherChange(2)])
        #expect(try store.receive(batch, policy: policy).applied == 2)
        let before = try store.balances()
        let again = try store.receive(batch, policy: policy)
        #expect(again.isAlreadyApplied && again.duplicates == 2)
        #expect(try store.balances() == before)
    }

    @Test func missingDependencyMakesAChangeWait() throws {
        let store = try Self.hubStore()
        let other = OrgCode("340121")!
        let strict = TestPolicy(complete: [Self.county, other], peer: Self.county)
        let outcome = try store.receive(Self.batch(first: 1, [Self.voucherChange(1, deps: [other: 3])]), policy: strict)
        #expect(outcome.waiting == 1 && outcome.applied == 0)
        let lenient = TestPolicy(complete: [Self.county], peer: Self.county)
        let retried = try store.receive(Self.batch(first: 2, []), policy: lenient)
        #expect(retried.released == 1, "dependencies on origins this replica does not receive completely are not waited for")
    }

    @Test func rejectedChangeIsLoggedNotApplied() throws {
        let store = try Self.hubStore()
        let outcome = try store.receive(Self.batch(first: 1, [Self.voucherChange(1, memo: "reject"), Self.voucherChange(2)]), policy: policy)
        #expect(outcome.rejected == 1 && outcome.applied == 1)
        #expect(try store.rejectedChanges().map(\.reason) == ["test rejection"])
        #expect(try store.status().vouchers == 1)
        #expect(try store.verify { $0 != Self.hub }.isEmpty)
    }

    @Test func failureMidBatchLeavesNothingBehind() throws {
        let store = try Self.hubStore()
        let before = try store.status()
        #expect(throws: TestPolicy.Explosion.self) {
            try store.receive(Self.batch(first: 1, [Self.voucherChange(1), Self.voucherChange(2, memo: "explode")]), policy: policy)
        }
        #expect(try store.status() == before)
        #expect(try store.balances().allSatisfy { $0.debitMinorUnits == 0 && $0.creditMinorUnits == 0 })
    }

    @Test func acknowledgementTrimsTheOutbox() throws {
        let store = try Self.hubStore()
        _ = try store.receive(Self.batch(first: 0, [], ack: 1), policy: policy)
        #expect(try store.status().outbox == 1)
        _ = try store.receive(Self.batch(first: 0, [], ack: 99), policy: policy)
        #expect(try store.status().outbox == 0, "an acknowledgement past what was sent is clamped")
        #expect(try store.verify { $0 != Self.hub }.isEmpty)
    }

    @Test func sqliteCommandLineSeesAWALDatabaseThatPassesIntegrityCheck() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("replica.sqlite")
        let store = try Self.hubStore(path: path)
        _ = try store.receive(Self.batch(first: 1, [Self.voucherChange(1), Self.voucherChange(2)]), policy: policy)
        let sqlite = "/usr/bin/sqlite3"
        #expect(try runProcess(sqlite, [path, "PRAGMA journal_mode;"]).stdout == "wal\n")
        #expect(try runProcess(sqlite, [path, "PRAGMA integrity_check;"]).stdout == "ok\n")
        #expect(try runProcess(sqlite, [path, "SELECT COUNT(*) FROM change_log;"]).stdout == "4\n")
        #expect(try runProcess(sqlite, [path, "SELECT SUM(amount) FROM voucher_line WHERE side = 'debit';"]).stdout == "300\n")
        let update = try runProcess(sqlite, [path, "UPDATE voucher_line SET amount = 1;"])
        #expect(update.status != 0 && update.stderr.contains("immutable"), "posted lines cannot be edited, even by hand")
        #expect(throws: (any Error).self) { _ = try ReplicaStore.create(path: path, role: .hub, org: Self.hub, clock: ManualClock()) }
    }
}
