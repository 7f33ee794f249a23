import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing

/// Issue 6/6, "accounts are not all digits": `hub account add --kind bank` took only 6–34 digits, so an IBAN or a
/// `BLZ/account` could not be registered, and the refusal did not say how to fix it. Goal: an IBAN is accepted with its
/// check digits verified, a bank's own format when declared `other`, Chinese numbers as before; each refusal says which
/// scheme to use; the account reaches the node concerned. Method: the hub's registry call and one delivery.
@Suite struct BankAccountSchemeTests {
    @Test func ibansAndDeclaredFormatsAreRegisteredAndTravel() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let hub = province.hub, county = OrgCode("340121")!
        try hub.putAccount(AccountRecord(id: "DE89370400440532013000", org: county, kind: .bank, code: "DE89370400440532013000",
                                         name: "EUR account", currency: CurrencyCode("EUR")!, status: .active))
        try hub.putAccount(AccountRecord(id: "37040044/0532013000", org: county, kind: .bank, code: "37040044/0532013000",
                                         name: "BLZ account", currency: CurrencyCode("EUR")!, status: .active), scheme: .other)
        try hub.putAccount(AccountRecord(id: "6217000012345678901", org: county, kind: .bank, code: "6217000012345678901",
                                         name: "ICBC", currency: .cny, status: .active))
        try province.deliverFromHub()
        let node = province.node("340121")
        #expect(try node.store.read { try $0.account("DE89370400440532013000") }?.currency.code == "EUR")
        #expect(try node.store.read { try $0.account("37040044/0532013000") } != nil)

        let wrongCheck = #expect(throws: RegistryError.self) {
            try hub.putAccount(AccountRecord(id: "DE88370400440532013000", org: county, kind: .bank, code: "DE88370400440532013000",
                                             name: "typo", currency: CurrencyCode("EUR")!, status: .active))
        }
        #expect(wrongCheck?.description.lowercased().contains("check") == true, "\(String(describing: wrongCheck))")
        let undeclared = #expect(throws: RegistryError.self) {
            try hub.putAccount(AccountRecord(id: "37040044/0532013001", org: county, kind: .bank, code: "37040044/0532013001",
                                             name: "BLZ", currency: CurrencyCode("EUR")!, status: .active))
        }
        #expect(undeclared?.description.contains("--account-scheme other") == true, "\(String(describing: undeclared))")
        let spaced = #expect(throws: RegistryError.self) {
            try hub.putAccount(AccountRecord(id: "x", org: county, kind: .bank, code: "de89 3704 0044 0532 0130 00",
                                             name: "spaced", currency: CurrencyCode("EUR")!, status: .active))
        }
        #expect(spaced?.description.contains("DE89370400440532013000") == true, "the normal form is named: \(String(describing: spaced))")
    }
}
