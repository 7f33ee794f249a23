import LedgerCore

/// Which enrolled nodes a registry record reaches (partial replication).
///
/// - An org unit reaches the nodes of itself, of its ancestors and of its descendants (a county sees its city and
///   province; a city sees its counties).
/// - An account or a key of org O reaches the nodes of O and of O's ancestors; the hub's own keys reach everyone.
/// - A rejection reaches only the origin of the rejected change.
struct RegistryScope {
    let hub: OrgCode
    let parents: [OrgCode: OrgCode]
    let nodes: Set<OrgCode>

    init(hub: OrgCode, units: [OrgUnit], nodes: Set<OrgCode>) {
        self.hub = hub
        var parents: [OrgCode: OrgCode] = [:]
        for unit in units { if let parent = unit.parent { parents[unit.code] = parent } }
        self.parents = parents
        self.nodes = nodes
    }

    /// `code` and its ancestors, nearest first. Stops on a cycle.
    func lineage(of code: OrgCode) -> [OrgCode] {
        var chain = [code]
        var current = code
        while let parent = parents[current], !chain.contains(parent) {
            chain.append(parent)
            current = parent
        }
        return chain
    }

    func isWithin(_ code: OrgCode, subtreeOf root: OrgCode) -> Bool { lineage(of: code).contains(root) }

    /// Nodes that receive the org unit `code`.
    func nodesForOrgUnit(_ code: OrgCode) -> [OrgCode] {
        nodes.filter { node in isWithin(node, subtreeOf: code) || isWithin(code, subtreeOf: node) }.sorted()
    }

    /// Nodes that receive a record owned by org `owner` (an account or a key).
    func nodesForOwnedRecord(_ owner: OrgCode) -> [OrgCode] {
        if owner == hub { return nodes.sorted() }
        return nodes.filter { isWithin(owner, subtreeOf: $0) }.sorted()
    }
}
