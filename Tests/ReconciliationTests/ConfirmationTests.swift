import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 3/6, item 5: the close covers level by level (多级对账). Each unit confirms its books with a signed document
/// (preparer, reviewer, its head); the hub accepts it only when its copy of the books gives the same figures, the fund
/// centre's side mirrors the unit's intercompany, and every unit below has confirmed first; `hub close` needs them all.
@Suite struct ConfirmationTests {
    static let through = BusinessDate("2026-11-30")!
    static let day = BusinessDate("2026-12-01")!

    static func signatures(_ code: String, approver: String? = nil) -> DocumentSignatures {
        BusinessProvince.clerks(code, approver: approver ?? "\(code)-head")
    }

    static func rejections(_ province: BusinessProvince, _ code: String) throws -> [String] {
        try province.node(code).store.rejectionNotices().filter { $0.table == "confirmation" }.map(\.reason)
    }

    @Test func aCountyConfirmsBeforeItsCityAndTheHubChecksTheFigures() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        try province.addUnit("340200", parent: TestProvince.province, level: .city)
        try province.addUnit("340221", parent: OrgCode("340200")!, level: .county)

        // The city first: refused at the hub, its county has not confirmed.
        let early = try province.node("340200").confirmBooks(through: Self.through, date: Self.day, signatures: Self.signatures("340200"))
        try province.sync("340200")
        #expect(try Self.rejections(province, "340200").contains { $0.contains("340221 below 340200 has not confirmed its books through 2026-11-30") })
        #expect(try province.hub.store.read { try $0.confirmedThrough(OrgCode("340200")!) } == nil, "\(early.id) did not count")

        // The county confirms; its figures are the books' (its ¥5,000,000 opening in the bank, nothing with HQ yet).
        let county = try province.node("340221").confirmBooks(through: Self.through, date: Self.day, signatures: Self.signatures("340221"))
        #expect(county.intercompany == .zero && county.bankTotal == BusinessProvince.countyOpening)
        try province.sync("340221")
        #expect(try Self.rejections(province, "340221").isEmpty)
        try province.node("340200").confirmBooks(through: Self.through, date: Self.day, signatures: Self.signatures("340200"))
        try province.sync("340200")
        #expect(try province.hub.store.read { try $0.confirmedThrough(OrgCode("340200")!) } == Self.through)
    }

    @Test func aConfirmationIsSignedByTheUnitsHeadAndMatchesBothSides() throws {
        let province = try BusinessProvince(counties: ["340121"])
        defer { province.remove() }
        let node = province.node("340121")
        #expect(throws: NodeError.self, "the finance manager is not the head") {
            try node.confirmBooks(through: Self.through, date: Self.day,
                                  signatures: DocumentSignatures(preparer: "340121-cashier", reviewer: "340121-head", approver: "340121-manager"))
        }
        #expect(throws: NodeError.self, "no approver") {
            try node.confirmBooks(through: Self.through, date: Self.day, signatures: BusinessProvince.clerks("340121"))
        }
        // The hub has paid an allocation the county has not received yet: the fund centre's 2242.02.340121 no longer
        // mirrors the county's intercompany, so the county's confirmation (sent before the slip arrived) is refused.
        let application = try node.submitApplication(category: "business", amount: AmountMinorUnits(20_000_000), reason: "claims",
                                                      date: BusinessProvince.startDate, signatures: BusinessProvince.clerks("340121"))
        try province.sync("340121")
        try province.hub.decideApplication(application.id, approve: true, approver: "hub-manager", reason: nil)
        let order = try province.hub.prepareSpecialAllocation(application: application.id, date: BusinessProvince.startDate,
                                                              sourceAccount: BusinessProvince.hubExpense, preparer: "hub-fundmanager")
        try province.hub.approveAllocation(order, approver: "hub-manager")
        try province.hub.payAllocation(order, cashier: "hub-cashier", advice: "BOC-PAY-1")
        try node.confirmBooks(through: Self.through, date: Self.day, signatures: Self.signatures("340121"))
        try expectReceived(province.hub.exchange.importFiles(province.base.export(from: "340121")))
        #expect(try province.hub.store.read { try $0.confirmedThrough(OrgCode("340121")!) } == nil)
        try province.base.deliverFromHub()
        #expect(try Self.rejections(province, "340121").contains { $0.contains("is booked on one side only") })
        // Once the slip is booked on both sides, the county confirms ¥200,000 owed by HQ... in its books: Dr 1012 / Cr 3001.01.
        let confirmed = try node.confirmBooks(through: Self.through, date: Self.day, signatures: Self.signatures("340121"))
        #expect(confirmed.intercompany == AmountMinorUnits(-20_000_000))
        try province.sync("340121")
        #expect(try province.hub.store.read { try $0.confirmedThrough(OrgCode("340121")!) } == Self.through)
    }
}
