import Foundation
import HubCore
import LedgerCore
import NodeAgent
import SyncTesting
import Testing

/// Goal: errors at the HubCore and NodeAgent boundaries keep their meaning as a code, not only as a sentence, so the
/// CLI and the console can act on them. Method: provoke one refusal of each kind and check its code and sentence.
@Suite struct BoundaryErrorCodeTests {
    @Test func aReleaseAboveTheCashiersLimitIsNotPermitted() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let payment = try province.node("340122").enterPayment(
            account: BusinessProvince.expense("340122"), payee: "Anhui Construction", payeeAccount: "6222000033334444",
            amount: AmountMinorUnits(25_000_000), date: BusinessDate("2026-11-02")!, purpose: "renovation",
            expenseAccount: "340122:6602", signatures: BusinessProvince.clerks("340122"))
        try province.sync("340122")
        let error = #expect(throws: TreasuryError.self) { try province.hub.releasePayment(payment, by: "hub-cashier") }
        #expect(error?.code == .notPermitted && error?.name == "not-permitted")
        #expect(error?.description.contains("cashier release limit") == true)
        let unknown = #expect(throws: TreasuryError.self) { try province.hub.releasePayment("340122-P999999", by: "hub-supervisor") }
        #expect(unknown?.code == .notFound, "\(String(describing: unknown))")
    }

    @Test func registryAndNodeRefusalsCarryTheirCodes() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let county = province.node("340122")
        let again = #expect(throws: RegistryError.self) {
            try province.hub.enroll(org: OrgCode("340199")!, parent: OrgCode("340100")!, name: "Copy", level: .county,
                                    publicKeyPEM: county.signingKey.publicKey.pem)
        }
        #expect(again?.code == .conflict, "\(String(describing: again))")
        let notice = #expect(throws: NodeError.self) {
            try county.explain(notice: "340000-N999999", text: "x", date: BusinessDate("2026-11-02")!,
                               signatures: BusinessProvince.clerks("340122"))
        }
        #expect(notice?.code == .notFound && notice?.name == "not-found")
        let empty = #expect(throws: NodeError.self) {
            try county.sweep(account: BusinessProvince.income("340122"), date: BusinessDate("2026-11-02")!, amount: nil,
                             advice: "SW-1", signatures: BusinessProvince.clerks("340122"))
        }
        #expect(empty?.code == .invalidValue, "\(String(describing: empty))")
    }
}
