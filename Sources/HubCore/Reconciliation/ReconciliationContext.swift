import Foundation
import LedgerCore
import ReplicaStore

/// The data one reconciliation run works on: the org tree with levels, the accounts by kind, the period.
struct ReconciliationContext {
    let hub: Hub
    let from: BusinessDate
    let through: BusinessDate
    let orgs: [OrgCode: OrgUnit]
    let accounts: [AccountRecord]
    /// The branches: every unit with an internal current deposit (`hub:2242.02.B`) at the hub, computed once.
    let branches: [OrgCode]

    init(hub: Hub, from: BusinessDate, through: BusinessDate) throws {
        self.hub = hub
        self.from = from
        self.through = through
        orgs = Dictionary(uniqueKeysWithValues: try hub.store.read { try $0.orgUnits() }.map { ($0.code, $0) })
        accounts = try hub.storage.allAccounts()
        let prefix = "\(hub.org.rawValue):\(LedgerAccounts.internalCurrentDeposit)."
        branches = accounts.filter { $0.id.hasPrefix(prefix) }.compactMap { OrgCode(String($0.id.dropFirst(prefix.count))) }.sorted()
    }

    var storage: any HubStorage { hub.storage }
    var days: [BusinessDate] { from.through(through) }

    /// The consolidation level a unit's difference first affects.
    func level(of org: OrgCode) -> String {
        switch orgs[org]?.level {
        case .province?: "province"
        case .city?: "city"
        default: "county"
        }
    }

    /// `org` and the units below it.
    func subtree(of root: OrgCode) -> [OrgCode] {
        orgs.keys.filter { code in
            var current: OrgCode? = code
            var seen = 0
            while let node = current, seen < 64 {
                if node == root { return true }
                current = orgs[node]?.parent
                seen += 1
            }
            return false
        }.sorted()
    }

    func finding(_ check: ReconciliationCheck, org: OrgCode, level: String? = nil, subject: String, date: BusinessDate,
                 expected: Int64?, actual: Int64?, _ message: String) -> StoredFinding {
        StoredFinding(id: "\(check.rawValue):\(org.rawValue):\(subject):\(date)", check: check.rawValue, org: org.rawValue,
                      level: level ?? self.level(of: org), subject: subject, date: date.description, expected: expected,
                      actual: actual, message: message)
    }

    static func yuan(_ fen: Int64) -> String { AmountMinorUnits(fen).description }
}
