import LedgerCore

/// Which enrolled nodes a registry record reaches (partial replication).
///
/// - An org unit reaches the nodes of itself, of its ancestors and of its descendants (a county sees its city and
///   province; a city sees its counties).
/// - An account or a key of org O reaches the nodes of O and of O's ancestors; the hub's own keys reach everyone.
/// - A rejection reaches only the origin of the rejected change.
struct RegistryScope: Sendable {
    let hub: OrgCode
    private(set) var parents: [OrgCode: OrgCode]
    private(set) var children: [OrgCode: Set<OrgCode>]
    private(set) var nodes: Set<OrgCode>

    init(hub: OrgCode, units: [OrgUnit], nodes: Set<OrgCode>) {
        self.hub = hub
        parents = [:]
        children = [:]
        self.nodes = nodes
        for unit in units { setParent(of: unit.code, to: unit.parent) }
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

    /// `code`'s descendants (not `code` itself). Stops on a cycle.
    func descendants(of code: OrgCode) -> Set<OrgCode> {
        var found: Set<OrgCode> = []
        var queue = Array(children[code] ?? [])
        while let next = queue.popLast() {
            guard next != code, found.insert(next).inserted else { continue }
            queue.append(contentsOf: children[next] ?? [])
        }
        return found
    }

    /// Nodes that receive the org unit `code`: those on its lineage and those below it. Walks the tree around
    /// `code`, never every node (5/6).
    func nodesForOrgUnit(_ code: OrgCode) -> [OrgCode] {
        Set(lineage(of: code).filter(nodes.contains)).union(descendants(of: code).filter(nodes.contains)).sorted()
    }

    /// Nodes that receive a record owned by org `owner` (an account or a key): the nodes on `owner`'s lineage.
    func nodesForOwnedRecord(_ owner: OrgCode) -> [OrgCode] {
        if owner == hub { return nodes.sorted() }
        return lineage(of: owner).filter(nodes.contains).sorted()
    }

    // MARK: Keeping up with the registry

    mutating func setParent(of code: OrgCode, to parent: OrgCode?) {
        if let old = parents[code] { children[old]?.remove(code) }
        parents[code] = parent
        if let parent { children[parent, default: []].insert(code) }
    }

    /// Folds one applied structure change into the view; false when it cannot be folded in (a key deleted: the org
    /// may still have another), so the caller builds the view again.
    mutating func incorporate(_ change: Change) -> Bool {
        switch change.replicatedTable {
        case .orgUnit?:
            guard let code = OrgCode(change.key) else { return false }
            if change.operation == .delete {
                setParent(of: code, to: nil)
                return true
            }
            guard case .text(let text)? = change.fields["parent"] else {
                setParent(of: code, to: nil)
                return change.fields["parent"] == nil || change.fields["parent"] == .null
            }
            guard let parent = OrgCode(text) else { return false }
            setParent(of: code, to: parent)
            return true
        case .nodeKey?:
            guard change.operation != .delete, case .text(let text)? = change.fields["org"], let org = OrgCode(text) else { return false }
            if org != hub { nodes.insert(org) }
            return true
        default:
            return false
        }
    }
}
