import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 6: the account lifecycle a fund centre's audit expects. A freeze names its reason and a person
/// with the authority, takes effect from the next business day unless a later (or the same) day is stated, and is
/// never retroactive; an account is closed only with nothing in it; a unit holds one basic account.
@Suite struct AccountLifecycleTests {
    static let county = "340121"
    static let monday = BusinessDate("2026-11-09")!

    @Test func aFreezeNeedsAReasonAndAuthorityAndIsNeverRetroactive() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, account = BusinessProvince.expense(Self.county)
        #expect(throws: RegistryError.self, "no reason") {
            try hub.freezeAccount(account, reason: " ", by: "hub-manager", decidedOn: Self.monday)
        }
        #expect(throws: RegistryError.self, "a cashier has no authority to freeze") {
            try hub.freezeAccount(account, reason: "court order", by: "hub-cashier", decidedOn: Self.monday)
        }
        #expect(throws: RegistryError.self, "retroactive") {
            try hub.freezeAccount(account, reason: "court order", by: "hub-manager", decidedOn: Self.monday,
                                  effectiveFrom: BusinessDate("2026-11-06")!)
        }
        let friday = BusinessDate("2026-11-13")!
        let from = try hub.freezeAccount(account, reason: "court freezing order 2026-118", by: "hub-manager", decidedOn: friday)
        #expect(from == BusinessDate("2026-11-16")!, "the next business day after a Friday is the Monday")
        let row = try hub.store.documents(.account).first { $0["id"] == account }
        #expect(row?["status"] == "frozen" && row?["status_from"] == "2026-11-16" && row?["status_by"] == "hub-manager"
                && row?["status_reason"] == "court freezing order 2026-118", "\(String(describing: row))")
        // What was done on the decision day itself still stands: a payment dated that day is released.
        try province.base.deliverFromHub()
        let payment = try province.node(Self.county).enterPayment(account: account, payee: "Supplier", payeeAccount: "6222", amount: AmountMinorUnits(10_000),
                                                                  date: friday, purpose: "office", expenseAccount: "340121:6602",
                                                                  signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        try hub.releasePayment(payment, by: "hub-cashier", on: friday)
    }

    @Test func anAccountRequestSignedByUnregisteredPeopleIsNotApproved() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let request = try province.node(Self.county).requestAccount(
            action: "open", account: "6228480000000000002", details: ["purpose": "expense", "class": "special"], date: Self.monday,
            signatures: DocumentSignatures(preparer: "Somebody", reviewer: "340121-manager"))
        try province.sync(Self.county)
        let refused = #expect(throws: TreasuryError.self) { try province.hub.decideAccountRequest(request, approve: true, by: "hub-manager", reason: nil) }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("'Somebody' (preparer), who is not registered staff of 340121"))
        try province.hub.decideAccountRequest(request, approve: false, by: "hub-manager", reason: "signers not registered")
    }

    @Test func anAccountIsClosedOnlyAtZeroAndAUnitHoldsOneBasicAccount() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county), expense = BusinessProvince.expense(Self.county)
        let close = try node.requestAccount(action: "close", account: expense, details: [:], date: Self.monday,
                                            signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        let refused = #expect(throws: TreasuryError.self) { try province.hub.decideAccountRequest(close, approve: true, by: "hub-manager", reason: nil) }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("can be closed only at zero"), "\(String(describing: refused))")

        // The income account is made the unit's basic account; then a second basic account is refused.
        let change = try node.requestAccount(action: "change", account: BusinessProvince.income(Self.county), details: ["class": "basic"],
                                             date: Self.monday, signatures: BusinessProvince.clerks(Self.county))
        let second = try node.requestAccount(action: "open", account: "6228480000000000001", details: ["class": "basic", "purpose": "expense"],
                                             date: Self.monday, signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        try province.hub.decideAccountRequest(change, approve: true, by: "hub-manager", reason: nil)
        #expect(throws: TreasuryError.self, "one basic account per unit") {
            try province.hub.decideAccountRequest(second, approve: true, by: "hub-manager", reason: nil)
        }
    }
}
