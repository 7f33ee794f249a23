import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting

/// The simulated province: two cities, K counties with bank accounts and subjects, staff, the approval table,
/// rates, sweep plans; then a first fault-free exchange so every node has its registry.
struct WorldBuilder {
    let simulator: Simulator

    static let collection = "9558801001100000001"
    static let hubBank = "662800012345678901"
    static func income(_ code: OrgCode) -> String { "95588\(code.rawValue)10000001" }
    static func expense(_ code: OrgCode) -> String { "66\(code.rawValue)2000000002" }

    func build() throws {
        let hub = simulator.hub, province = Simulator.province, from = Simulator.start
        for (code, name) in [("340100", "Hefei"), ("340200", "Wuhu")] {
            try hub.addOrgUnit(OrgUnit(code: OrgCode(code)!, parent: province, name: name, level: .city))
        }
        for (id, purpose) in [(Self.collection, "collection"), (Self.hubBank, "general")] {
            try hub.putAccount(AccountRecord(id: id, org: province, kind: .bank, code: id, name: purpose, currency: .cny, status: .active),
                               attributes: ["purpose": .text(purpose)])
        }
        for (id, role) in [("hub-manager", StaffRole.fundCentreManager), ("hub-cashier", .fundCentreCashier), ("hub-supervisor", .fundCentreSupervisor),
                           ("hub-accountant", .cashier), ("hub-fundmanager", .fundManager)] {
            try hub.putStaff(StaffMember(id: id, org: province, name: id, roles: [role]))
        }
        for index in 0..<simulator.configuration.nodes { try addCounty(index) }
        for category in ["business", "administrative"] {
            for tier in ApprovalTier.allCases {
                let role: StaffRole = tier == .upTo100k ? .financeManager : tier == .upTo500k ? .unitHead : .fundCentreManager
                for basis in ApprovalBasis.allCases {
                    try hub.putApprovalRule(ApprovalRule(category: category, tier: tier, basis: basis, approverRole: role), effectiveFrom: from)
                }
            }
        }
        for (kind, percent) in [(RateKind.currentDeposit, "0.72"), (.overdraft, "5.0"), (.shortLoan, "4.35"), (.longLoan, "4.9"), (.overduePenalty, "6.5")] {
            try hub.putRate(RateEntry(kind: kind, effectiveFrom: BusinessDate("2026-01-01")!, rate: AnnualRate(percent: percent)!, dayCount: .actual360))
        }
        for (kind, percent) in [(RateKind.fixed3Months, "1.71"), (.fixed6Months, "1.89"), (.fixed1Year, "1.98")] {
            try hub.putRate(RateEntry(kind: kind, effectiveFrom: BusinessDate("2026-01-01")!, rate: AnnualRate(percent: percent)!, dayCount: .actual365))
        }
        try hub.putParameter("cashier_release_limit", value: "50000.00", effectiveFrom: from)
        // The key ceremony: every person's key, certified by the key officer (the officer's own by the supervisor).
        let keyring = PersonalKeyring()
        for id in try hub.store.read({ try $0.staffIDs() }) {
            let key = try PersonalKeys.key(for: id)
            keyring.add(key, for: id)
            try hub.certifyStaffKey(staff: id, publicKey: key.publicKey, validUntil: BusinessDate("2027-12-31")!,
                                    by: id == "hub-manager" ? "hub-supervisor" : "hub-manager")
        }
        simulator.keyring = keyring
        try simulator.exchange(faulty: false)
        try simulator.deliverDue()
        try simulator.exchange(faulty: false)
        try simulator.deliverDue()
    }

    func addCounty(_ index: Int) throws {
        let city = index % 2 == 0 ? "3401" : "3402"
        let code = OrgCode("\(city)\(String(format: "%02d", 21 + index / 2))")!
        let skew = Int64(Int.random(in: -simulator.configuration.clockSkewHoursMax...simulator.configuration.clockSkewHoursMax,
                                    using: &simulator.random)) * 3_600_000
        let clock = SkewedClock(time: simulator.time, skewMilliseconds: simulator.configuration.faults ? skew : 0)
        let node = try Node.initialize(directory: DataDirectory(simulator.root.appendingPathComponent(code.rawValue).path), org: code,
                                       hubKeyPEM: simulator.hub.signingKey.publicKey.pem, clock: clock,
                                       signingKey: try SigningKey.ed25519(seed: simulator.random.bytes32()))
        let hub = simulator.hub
        // Issue 10: some counties start on the release before and upgrade on a day of the run (drawn only when asked for).
        var release = FundSyncRelease.number
        if simulator.configuration.olderReleasePercent > 0, simulator.random.chance(simulator.configuration.olderReleasePercent) {
            release = FundSyncRelease.oldestReadable
            simulator.upgradeDays[code] = Int.random(in: 1...simulator.configuration.days, using: &simulator.random)
            simulator.unsignedOffices.insert(code)
            simulator.counts.olderReleaseNodes += 1
        }
        simulator.releases[code] = release
        try hub.enroll(org: code, parent: OrgCode("\(city)00")!, name: "County \(code)", level: .county, publicKeyPEM: node.signingKey.publicKey.pem,
                       release: release)
        for (id, purpose) in [(Self.income(code), "income"), (Self.expense(code), "expense")] {
            try hub.putAccount(AccountRecord(id: id, org: code, kind: .bank, code: id, name: purpose, currency: .cny, status: .active),
                               attributes: ["purpose": .text(purpose)])
        }
        for subject in ["1002", "1012", "3001.01", "6001", "6602", "6011", "6411"] {
            try hub.putAccount(AccountRecord(id: "\(code):\(subject)", org: code, kind: .subject, code: subject, name: subject, currency: .cny,
                                             status: .active))
        }
        for (suffix, role) in [("cashier", StaffRole.cashier), ("manager", .financeManager), ("head", .unitHead)] {
            try hub.putStaff(StaffMember(id: "\(code)-\(suffix)", org: code, name: "\(code) \(suffix)", roles: [role]))
        }
        try hub.putSweepPlan(account: Self.income(code), collectionAccount: Self.collection, mode: "floor", retained: AmountMinorUnits(10_000),
                             frequency: "daily", effectiveFrom: Simulator.start)
        simulator.nodes[code] = node.running(asRelease: release)
        simulator.clocks[code] = clock
    }
}
