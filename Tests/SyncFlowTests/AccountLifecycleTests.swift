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
        try province.hub.checkAccountRequest(request, by: "hub-fundmanager", note: nil)
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
        try province.hub.checkAccountRequest(close, by: "hub-fundmanager", note: nil)
        let refused = #expect(throws: TreasuryError.self) { try province.hub.decideAccountRequest(close, approve: true, by: "hub-manager", reason: nil) }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("can be closed only at zero"), "\(String(describing: refused))")

        // The income account is made the unit's basic account; then a second basic account is refused.
        let change = try node.requestAccount(action: "change", account: BusinessProvince.income(Self.county), details: ["class": "basic"],
                                             date: Self.monday, signatures: BusinessProvince.clerks(Self.county))
        let second = try node.requestAccount(action: "open", account: "6228480000000000001", details: ["class": "basic", "purpose": "expense"],
                                             date: Self.monday, signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        for request in [change, second] { try province.hub.checkAccountRequest(request, by: "hub-fundmanager", note: nil) }
        try province.hub.decideAccountRequest(change, approve: true, by: "hub-manager", reason: nil)
        #expect(throws: TreasuryError.self, "one basic account per unit") {
            try province.hub.decideAccountRequest(second, approve: true, by: "hub-manager", reason: nil)
        }
    }

    /// Opening, changing or closing an account takes two steps (D4): a fund manager checks, then the fund-centre manager
    /// approves; the approval says who checked.
    @Test func anAccountRequestIsCheckedByAFundManagerThenApprovedByTheCentreManager() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, node = province.node(Self.county)
        let request = try node.requestAccount(action: "open", account: "6228480000000000003", details: ["purpose": "expense", "class": "special"],
                                              date: Self.monday, signatures: BusinessProvince.clerks(Self.county))
        try province.sync(Self.county)
        #expect(throws: TreasuryError.self, "not checked yet") { try hub.decideAccountRequest(request, approve: true, by: "hub-manager", reason: nil) }
        #expect(throws: RegistryError.self, "a cashier does not check") { try hub.checkAccountRequest(request, by: "hub-cashier", note: nil) }
        try hub.putStaff(StaffMember(id: "hub-both", org: TestProvince.province, name: "both", roles: [.fundManager, .fundCentreManager]))
        try hub.checkAccountRequest(request, by: "hub-both", note: "licence and bank letter seen")
        #expect(throws: LedgerRuleViolation.self, "who checked does not approve") {
            try hub.decideAccountRequest(request, approve: true, by: "hub-both", reason: nil)
        }
        try hub.checkAccountRequest(request, by: "hub-fundmanager", note: "licence and bank letter seen")
        try hub.decideAccountRequest(request, approve: true, by: "hub-manager", reason: "special account for the flood fund")
        try province.base.deliverFromHub()
        let transition = try node.store.documents(.transition).first { $0["doc_id"] == request && $0["to_state"] == "approved" }
        #expect(transition?["reason"] == "special account for the flood fund; checked by hub-fundmanager: licence and bank letter seen")
        #expect(throws: TreasuryError.self, "decided: no more checks") { try hub.checkAccountRequest(request, by: "hub-fundmanager", note: nil) }
    }

    /// The annual inspection (年检) is a dated task: due a year after the last one (or after the account's first use),
    /// overdue in the report once that day has passed, and pushed down with the account.
    @Test func anAnnualInspectionIsDueAYearLaterAndShowsOverdueInTheReport() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, expense = BusinessProvince.expense(Self.county)
        try hub.recordInspection(expense, on: BusinessDate("2025-11-20")!, by: "hub-fundmanager")
        #expect(throws: RegistryError.self, "a cashier does not record it") { try hub.recordInspection(expense, on: Self.monday, by: "hub-cashier") }
        #expect(throws: RegistryError.self, "never dated before the last") {
            try hub.recordInspection(expense, on: BusinessDate("2025-11-19")!, by: "hub-fundmanager")
        }
        let due = try #require(try hub.inspections(asOf: BusinessDate("2026-11-30")!).first { $0.account == expense })
        #expect(due.inspectedOn == "2025-11-20" && due.dueOn == "2026-11-20" && due.overdueDays == 10)
        let report = try hub.report(.inspections, from: BusinessDate("2026-11-01")!, through: BusinessDate("2026-11-30")!, org: nil).tables[0]
        let row = try #require(report.rows.first { $0[1] == .text(expense) })
        #expect(row[5] == .integer(10) && row[6] == .text("overdue 逾期"))
        try hub.recordInspection(expense, on: BusinessDate("2026-11-25")!, by: "hub-fundmanager")
        #expect(try hub.inspections(asOf: BusinessDate("2026-11-30")!).first { $0.account == expense }?.overdueDays == 0)
        try province.base.deliverFromHub()
        #expect(try province.node(Self.county).store.read { try $0.document(.account, expense) }?["inspected_on"] == .text("2026-11-25"))
    }
}

extension AccountLifecycleTests {
    /// Redefining an account with `hub account add` (its name, bank, attributes) is not a way around a freeze: the
    /// command keeps the status (a change has its own verb, authority and reason), and the freeze's history stays.
    @Test func redefiningAFrozenAccountDoesNotUnfreezeIt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub, expense = BusinessProvince.expense("340121")
        try hub.freezeAccount(expense, reason: "court order", by: "hub-manager", decidedOn: BusinessDate("2026-11-02")!,
                              effectiveFrom: BusinessDate("2026-11-02")!)
        try hub.putAccount(AccountRecord(id: expense, org: OrgCode("340121")!, kind: .bank, code: expense, name: "renamed", currency: .cny,
                                         status: .frozen), attributes: ["purpose": .text("expense")])
        let row = try #require(try hub.store.read { try $0.document(.account, expense) })
        #expect(row["name"] == .text("renamed") && row["status"] == .text("frozen") && row["status_reason"] == .text("court order"))
    }
}
