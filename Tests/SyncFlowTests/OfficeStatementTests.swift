import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// 6/6 item 4, "statements at any office": a county imports its own bank's statement; it is matched against the
/// county's bank journal there, travels to the hub as the county's `statement` document (DECISIONS: a county
/// document, its table specified in PROTOCOL.md §6.22b), and the hub's reconciliation sees it. A county that skips its
/// own checks cannot make the hub store a statement that does not add up, nor one of another office's account.
@Suite struct OfficeStatementTests {
    static let county = "340121"
    static let day = BusinessDate("2026-11-03")!
    static var expense: String { BusinessProvince.expense(county) }
    static let hash = String(repeating: "ab", count: 32)

    /// The bank's statement of the county's expense account for 2026-11-03: the advice the county journalled, and
    /// one bank charge it did not.
    static func statement(account: String = expense, closing: Int64 = 500_000_000 - 1_200_000 - 2_500) -> StatementDocument {
        StatementDocument(org: OrgCode(county)!, account: account, currency: .cny, number: 7, page: nil, reference: "0000000000000000",
                          openingMinorUnits: 500_000_000, openingDate: day, closingMinorUnits: closing, closingDate: day, entries: [
                              .init(date: day, amountMinorUnits: -1_200_000, reference: "BOC-OUT-1", counterparty: "Supplier", narrative: "office supplies"),
                              .init(date: day, amountMinorUnits: -2_500, reference: "FEE-1103", counterparty: "", narrative: "手续费"),
                          ], format: "MT940", file: "boc-1103.sta", fileSHA256: hash)
    }

    @Test func aCountysStatementIsMatchedThereAndReachesTheHubsReconciliation() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county), hub = province.hub
        try node.recordBankAdvice(account: Self.expense, date: Self.day, direction: .payment, amount: AmountMinorUnits(1_200_000),
                                  advice: "BOC-OUT-1", counterparty: "Supplier", memo: "office supplies", slip: nil,
                                  signatures: BusinessProvince.clerks(Self.county))
        let imported = try node.importStatements([Self.statement()], signatures: DocumentSignatures(preparer: "\(Self.county)-cashier"))
        let listing = try #require(imported.first)
        #expect(listing.statement.document.key == "\(Self.expense):7:2026-11-03..2026-11-03")
        #expect(listing.matches.count == 1 && listing.unmatched.map(\.reference) == ["FEE-1103"], "the charge is not in the county's journal")

        let again = #expect(throws: NodeError.self) {
            try node.importStatements([Self.statement()], signatures: DocumentSignatures(preparer: "\(Self.county)-cashier"))
        }
        #expect(again?.code == .alreadyDone && again?.description.contains("was imported before (from boc-1103.sta)") == true)

        try province.sync(Self.county)
        #expect(try hub.store.rejectedChanges().isEmpty)
        let stored = try #require(try hub.storage.statementListing(account: Self.expense).first)
        #expect(stored.statement.importedBy == Self.county && stored.entryCount == 2 && stored.matchedCount == 1)
        #expect(stored.statement.id == listing.statement.document.key, "one identity for the statement at both offices")

        let findings = try Reconciler(hub: hub).run(from: Self.day, through: Self.day, incremental: false).findings
            .filter { $0.check == "statement" }
        #expect(findings.count == 1 && findings.first?.org == Self.county && findings.first?.actual == -2_500, "\(findings)")

        // The cashier journals the charge afterwards: matched at the county at once, and at the hub's next reconciliation.
        try node.recordBankAdvice(account: Self.expense, date: Self.day, direction: .payment, amount: AmountMinorUnits(2_500),
                                  advice: "FEE-1103", counterparty: nil, memo: "bank charge", slip: nil,
                                  signatures: BusinessProvince.clerks(Self.county))
        #expect(try node.statementListing(account: Self.expense).first?.unmatched.isEmpty == true)
        try province.sync(Self.county)
        let after = try Reconciler(hub: hub).run(from: Self.day, through: Self.day, incremental: false).findings.filter { $0.check == "statement" }
        #expect(after.isEmpty, "\(after)")
        #expect(try hub.storage.statementListing(account: Self.expense).first?.matchedCount == 2)
    }

    @Test func aCountyMayNotImportAStatementOfAnotherOfficesAccountOrOneThatDoesNotAddUp() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)
        let signatures = DocumentSignatures(preparer: "\(Self.county)-cashier")
        let other = #expect(throws: NodeError.self) {
            try node.importStatements([Self.statement(account: BusinessProvince.expense("340122"))], signatures: signatures)
        }
        // A county's replica holds no other county's accounts: to it, another office's account is no registered account.
        #expect(other?.code == .notFound && other?.description.contains("is not a registered bank account") == true, "\(String(describing: other))")
        let broken = #expect(throws: NodeError.self) { try node.importStatements([Self.statement(closing: 1)], signatures: signatures) }
        #expect(broken?.code == .invalidValue && broken?.description.contains("not the closing balance 1") == true)
        let twice = #expect(throws: NodeError.self) { try node.importStatements([Self.statement(), Self.statement()], signatures: signatures) }
        #expect(twice?.description.contains("is in the file twice") == true)
        #expect(try node.statementListing(account: nil).isEmpty, "a refused file leaves nothing behind")
    }

    /// A county that skips its own checks (dishonest, or an altered build): the hub rejects each statement with its
    /// rule, stores none of it, and the county's stream goes on.
    @Test func theHubRefusesAStatementThatBreaksARuleWhateverTheCountyChecked() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)
        var unbalanced = Self.statement().fields
        unbalanced["closing"] = .integer(999)
        var wrongKey = Self.statement().fields
        wrongKey["number"] = .integer(8)
        var overflowing = Self.statement().fields
        overflowing["entries"] = .list([FieldValue.record(["date": .text("2026-11-03"), "amount": .integer(Int64.max), "reference": .text(""),
                                                           "counterparty": .text(""), "narrative": .text("")])])
        let otherAccount = Self.statement(account: BusinessProvince.expense("340122"))
        var foreign = otherAccount.fields
        foreign["org"] = .text("340122")
        var unknownAccount = Self.statement(account: "6200000000000000009").fields
        unknownAccount["org"] = .text(Self.county)
        let planted: [(String, [String: FieldValue])] = [
            (Self.statement().key + "-1", unbalanced), (Self.statement().key, wrongKey), (Self.statement().key + "x", overflowing),
            (otherAccount.key, foreign), (Self.statement(account: "6200000000000000009").key, unknownAccount),
        ]
        try node.store.write(policy: try node.replicaPolicy) { transaction in
            for (key, fields) in planted {
                var all = fields
                all["preparer"] = .text("\(Self.county)-cashier")
                _ = try transaction.appendLocal(table: .statement, key: key, operation: .insert, businessDate: "2026-11-03", fields: all)
            }
        }
        try province.sync(Self.county)
        let codes = try province.hub.store.rejectedChanges().map { $0.code ?? "-" }
        #expect(codes == ["statement-refused", "statement-refused", "statement-refused", "wrong-origin", "unknown-account"], "\(codes)")
        #expect(try province.hub.storage.statementListing(account: nil).isEmpty, "nothing of a refused statement is kept")
        // The county's stream goes on: its next document is applied.
        try node.recordBankAdvice(account: Self.expense, date: Self.day, direction: .payment, amount: AmountMinorUnits(100),
                                  advice: "AFTER-1", counterparty: nil, memo: nil, slip: nil, signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        #expect(try province.hub.store.documents(.bankJournal).contains { $0["advice"] == "AFTER-1" })
    }
}
