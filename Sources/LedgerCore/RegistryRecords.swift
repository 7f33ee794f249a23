/// An org unit of the tree province → city → county/subsidiary. Hub-owned.
public struct OrgUnit: Hashable, Sendable {
    public enum Level: String, Hashable, Sendable, CaseIterable {
        case province, city, county, subsidiary
        /// 预算单位 (D0, 3/6 item 9): a unit under a county with accounts and staff and no node of its own; the county's
        /// clerks keep its books, so its vouchers are that county node's changes.
        case budgetUnit = "budget_unit"
    }

    public var code: OrgCode
    /// `nil` only for the root (the province, whose node is the hub).
    public var parent: OrgCode?
    public var name: String
    public var level: Level

    public init(code: OrgCode, parent: OrgCode?, name: String, level: Level) {
        self.code = code
        self.parent = parent
        self.name = name
        self.level = level
    }
}

/// A status in the account registry. Only `active` accounts may be posted to.
public enum AccountStatus: String, Hashable, Sendable, CaseIterable {
    case active, frozen, closed
}

/// What an account is: an external bank account, an internal account at the fund centre (2242.01–.04, 1013,
/// 1533), or a ledger subject (bank deposits, funds in transit, intercompany current accounts).
public enum AccountKind: String, Hashable, Sendable, CaseIterable {
    case bank, `internal`, subject
}

/// An account in the hub's registry, replicated to the node of its org (and its ancestors' nodes).
///
/// `id` is unique in the network: `<org>:<code>` for internal accounts and subjects (`340122:2242.02`), and the bank
/// account number for bank accounts.
public struct AccountRecord: Hashable, Sendable {
    public var id: String
    public var org: OrgCode
    public var kind: AccountKind
    public var code: String
    public var name: String
    public var currency: CurrencyCode
    public var status: AccountStatus

    public init(id: String, org: OrgCode, kind: AccountKind, code: String, name: String,
                currency: CurrencyCode, status: AccountStatus) {
        self.id = id
        self.org = org
        self.kind = kind
        self.code = code
        self.name = name
        self.currency = currency
        self.status = status
    }
}

/// Algorithms a node key may use. Numbers are the wire ids of `Protocol/PROTOCOL.md` §3.
public enum SignatureAlgorithm: UInt8, Hashable, Sendable, CaseIterable {
    case ed25519 = 1
    case sm2sm3 = 2

    public var name: String {
        switch self {
        case .ed25519: "ed25519"
        case .sm2sm3: "sm2-sm3"
        }
    }
}

/// A node's (or the hub's) public signing key, enrolled at the hub. Hub-owned.
public struct NodeKeyRecord: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable { case active, revoked }

    /// Hex of the first 8 bytes of SHA-256 over the key's SubjectPublicKeyInfo DER.
    public var keyID: String
    public var org: OrgCode
    public var algorithm: SignatureAlgorithm
    /// The public key as PEM (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout` writes it.
    public var publicKeyPEM: String
    public var status: Status

    public init(keyID: String, org: OrgCode, algorithm: SignatureAlgorithm, publicKeyPEM: String, status: Status) {
        self.keyID = keyID
        self.org = org
        self.algorithm = algorithm
        self.publicKeyPEM = publicKeyPEM
        self.status = status
    }
}
