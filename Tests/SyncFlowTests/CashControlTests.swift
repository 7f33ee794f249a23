import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 1: cash control. Release 1 released a ¥2.5m payment from an account holding ¥1.73m, let the hub's
/// account go negative through allocations, paid a person ¥60,000 out of an income account, and took any subject as
/// the expense side. Money now leaves only within the available balance (book balance less payments entered or
/// released and not yet booked), from an account that may pay, against an expense subject of the paying unit, and a
/// payment of more than ¥50,000 to an individual names its basis. The node checks first; the hub again.
@Suite struct CashControlTests {
    static let county = "340121"
    static var expense: String { BusinessProvince.expense(county) }
    static var clerks: DocumentSignatures { BusinessProvince.clerks(county) }
    static let day = BusinessDate("2026-11-02")!

    static func pay(_ node: Node, _ amount: String, from account: String? = nil, expense: String = "340121:6602",
                    payee: PayeeKind = .organisation, basis: String? = nil) throws -> String {
        try node.enterPayment(account: account ?? Self.expense, payee: "Hefei Road Works", payeeAccount: "6222000011112222",
                              amount: try AmountMinorUnits.parsing(amount, scale: 2), date: day, purpose: "works",
                              expenseAccount: expense, signatures: clerks, payeeKind: payee, basis: basis)
    }

    static func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let violation as LedgerRuleViolation {
            return violation.name
        } catch {
            return "\(error)"
        }
    }

    @Test func aPaymentAboveTheAvailableBalanceIsRefusedAndEnteredOnesReserveIt() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)  // ¥5,000,000.00 in the expense account
        #expect(Self.code { _ = try Self.pay(node, "5000000.01") } == "insufficient-funds")
        _ = try Self.pay(node, "3000000.00")
        #expect(Self.code { _ = try Self.pay(node, "2000000.01") } == "insufficient-funds", "the entered payment holds ¥3m")
        _ = try Self.pay(node, "2000000.00")
        let available = try node.store.read { try $0.availableBalance(Self.expense, through: Self.day, excludingPayment: nil) }
        #expect(available == .zero)
    }

    @Test func theHubRefusesToReleaseWhatItsBooksSayIsNotThere() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)
        let payment = try Self.pay(node, "4000000.00")
        // Later the county books ¥3m out of the same account by hand; the hub sees both.
        try node.post([VoucherDraft(date: Self.day.description, memo: "transfer out", preparer: "340121-cashier",
                                    lines: [.init(account: "340121:6602", debit: "3000000.00"), .init(account: Self.expense, credit: "3000000.00")],
                                    reviewer: "340121-manager")])
        try province.sync(Self.county)
        let refused = Self.code { try province.hub.releasePayment(payment, by: "hub-supervisor") }
        #expect(refused == "insufficient-funds", "¥4m from ¥2m available at the hub")
        try node.post([VoucherDraft(date: Self.day.description, memo: "transfer back", preparer: "340121-cashier",
                                    lines: [.init(account: Self.expense, debit: "2000000.00"), .init(account: "340121:6602", credit: "2000000.00")],
                                    reviewer: "340121-manager")])
        try province.sync(Self.county)
        try province.hub.releasePayment(payment, by: "hub-supervisor")
    }

    @Test func anIncomeAccountDoesNotPayAndAnExpenseAccountDoesNotSweep() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county), income = BusinessProvince.income(Self.county)
        try node.post([VoucherDraft(date: Self.day.description, memo: "income", preparer: "340121-cashier",
                                    lines: [.init(account: income, debit: "100000.00"), .init(account: "340121:6001", credit: "100000.00")],
                                    reviewer: "340121-manager")])
        #expect(Self.code { _ = try Self.pay(node, "60000.00", from: income, payee: .individual, basis: "decision 12") } == "account-may-not-pay")
        #expect(Self.code {
            _ = try node.sweep(account: Self.expense, date: Self.day, amount: AmountMinorUnits(100), advice: "SW", signatures: Self.clerks)
        } == "not-permitted")
        #expect(Self.code {
            _ = try node.sweep(account: income, date: Self.day, amount: AmountMinorUnits(10_000_001), advice: "SW", signatures: Self.clerks)
        } == "insufficient-funds", "a sweep cannot take more than ¥100,000.00 from the income account")
    }

    @Test func theExpenseSideIsAnExpenseSubjectOfThePayingUnit() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)
        #expect(Self.code { _ = try Self.pay(node, "100.00", expense: "340121:3001.01") } == "not-an-expense-subject")
        #expect(Self.code { _ = try Self.pay(node, "100.00", expense: "340121:6011") } == "not-an-expense-subject", "interest income")
        #expect(Self.code { _ = try Self.pay(node, "100.00", expense: "340121:6411") } == nil, "interest expense is one")
        #expect(SubjectCode.isExpense("5001") && SubjectCode.isExpense("6602.01") && !SubjectCode.isExpense("6001") && !SubjectCode.isExpense("1002"))
    }

    @Test func aPaymentToAPersonAboveFiftyThousandNeedsItsBasis() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county)
        #expect(Self.code { _ = try Self.pay(node, "50000.01", payee: .individual) } == "payment-basis-required")
        #expect(Self.code { _ = try Self.pay(node, "50000.01", payee: .individual, basis: "  ") } == "payment-basis-required")
        #expect(Self.code { _ = try Self.pay(node, "50000.00", payee: .individual) } == nil, "¥50,000.00 itself needs none")
        #expect(Self.code { _ = try Self.pay(node, "60000.00", payee: .individual, basis: "compensation decision 2026-118") } == nil)
        #expect(Self.code { _ = try Self.pay(node, "60000.00", payee: .organisation) } == nil)
    }

    /// A node that skipped its own checks (a dishonest or older office): the hub rejects the payment on arrival.
    @Test func theHubRejectsAPaymentThatBreaksTheRulesWhateverTheNodeChecked() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let node = province.node(Self.county), income = BusinessProvince.income(Self.county)
        try node.store.write(policy: try node.replicaPolicy) { transaction in
            _ = try transaction.appendLocal(table: .payment, key: "340121-P000077", operation: .insert, businessDate: Self.day.description, fields: [
                "org": .text(Self.county), "account": .text(income), "payee": .text("A person"), "payee_account": .text("6222"),
                "amount": .integer(6_000_000), "purpose": .text("cash"), "expense_account": .text("340121:6602"),
                "state": .text("entered"), "payee_kind": .text("individual"), "basis": .null, "date": .text(Self.day.description),
                "preparer": .text("340121-cashier"), "reviewer": .text("340121-manager"),
            ])
        }
        try province.sync(Self.county)
        let codes = try province.hub.store.rejectedChanges().compactMap(\.code)
        #expect(codes == ["account-may-not-pay"], "\(codes)")
    }

    @Test func anAllocationThatWouldOverdrawTheHubsAccountIsRefused() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        // The hub's expense account keeps ¥1,000,000.00; the rest goes to the collection account (the hub's own voucher).
        try province.hub.postOwnVoucher([VoucherLine(account: BusinessProvince.hubCollection, side: .debit, amount: AmountMinorUnits(9_900_000_000)),
                                         VoucherLine(account: BusinessProvince.hubExpense, side: .credit, amount: AmountMinorUnits(9_900_000_000))],
                                        date: Self.day, memo: "transfer between the hub's accounts",
                                        signatures: DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager"))
        let application = try county.submitApplication(category: "business", amount: AmountMinorUnits(200_000_000),
                                                       reason: "large claim payout", date: Self.day, signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: "claim verified")
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: Self.day, sourceAccount: BusinessProvince.hubExpense,
                                                              preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        #expect(Self.code { _ = try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-1") } == "insufficient-funds",
                "¥2,000,000.00 from the ¥1,000,000.00 the hub's expense account holds")
        #expect(try province.hub.store.read { try $0.bookBalance(BusinessProvince.hubExpense, through: Self.day) } == AmountMinorUnits(100_000_000))
    }
}
