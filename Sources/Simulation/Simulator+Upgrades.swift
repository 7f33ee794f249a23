import Foundation
import LedgerCore
import NodeAgent
import ReplicaStore

/// Issue 10, a network upgraded over several days: counties that start on the release before this one
/// (`SimulationConfiguration.olderReleasePercent`) run the compatibility writer — they announce no release, sign
/// nothing and refuse, as that release did, whatever it cannot represent — until their upgrade day; the hub runs this
/// release throughout. On its day a county installs this build: its next batch announces the release and the hub
/// sends what it held for it. Its people sign again once their certificates (held for it until then) have arrived.
/// The invariants then include that no county ever refused a change for its release: nothing was sent too early, so
/// nothing was dropped.
extension Simulator {
    /// The release `code` runs (this build's for every county when no older release was asked for).
    func release(of code: OrgCode) -> Int { releases[code] ?? FundSyncRelease.number }

    /// Morning: the counties whose upgrade day has come install this build; counties that upgraded and now hold their
    /// people's certificates start signing.
    func upgradeDueNodes() throws {
        for code in codes where release(of: code) < FundSyncRelease.number {
            if let due = upgradeDays[code], due <= day { try upgrade(code, why: "on its upgrade day") }
        }
        for code in codes.filter(unsignedOffices.contains) where release(of: code) >= 2 {
            guard let node = nodes[code], try holdsCertificates(of: code, at: node) else { continue }
            unsignedOffices.remove(code)
            node.store.signer = keyring
            record("\(code) signs with its people's keys from today")
        }
    }

    /// Moves `code` to this build's release (its store, keys and clock are unchanged).
    func upgrade(_ code: OrgCode, why: String) throws {
        let held = try hub.storage.heldChanges(for: code)
        counts.changesHeldAtUpgrade += held.count
        releases[code] = FundSyncRelease.number
        upgradeDays[code] = nil
        if let node = nodes[code] { nodes[code] = node.running(asRelease: FundSyncRelease.number) }
        counts.upgrades += 1
        let tables = Dictionary(grouping: held, by: \.table).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
        record("\(code) upgraded to release \(FundSyncRelease.number) \(why); the hub held \(held.count) change(s) for it\(held.isEmpty ? "" : ": " + tables)")
    }

    /// True when the county's replica holds a certificate for every person of its own staff.
    func holdsCertificates(of code: OrgCode, at node: Node) throws -> Bool {
        try node.store.read { reader in
            let own = try reader.staffIDs().filter { $0.hasPrefix("\(code.rawValue)-") }
            let certified = Set(try reader.allStaffCertificates().map(\.staff))
            return !own.isEmpty && own.allSatisfy(certified.contains)
        }
    }
}
