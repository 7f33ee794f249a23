import BatchExchange
import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// An in-process test province: a hub and nodes in temporary folders, with helpers to carry files between them.
///
/// Accounts per node: `ORG:1002` bank deposits, `ORG:3001.01` intercompany–HQ, `ORG:6001` income.
/// Every office is created with `algorithm` (its signing key, and the companion encryption key); the hub and the
/// nodes exchange encryption public keys at set-up, and every batch is encrypted when `encrypt` is set.
public final class TestProvince {
    public let root: TemporaryDirectory
    public let clock = ManualClock()
    public let hub: Hub
    public private(set) var nodes: [OrgCode: Node] = [:]
    public let algorithm: SignatureAlgorithm
    public let encrypt: Bool
    public static let province = OrgCode("340000")!
    public static let city = OrgCode("340100")!
    /// The hub's PostgreSQL store of record when the suites run against it (`TestHubStore.requested`).
    public let storeOfRecord: TestHubStore?

    /// - Parameter releases: counties that run an older release (the compatibility writer, `Node.running(asRelease:)`),
    ///   enrolled as such; every other county runs this build's release.
    public init(counties: [String] = ["340121", "340122"], algorithm: SignatureAlgorithm = .ed25519, encrypt: Bool = false,
                releases: [String: Int] = [:]) throws {
        self.algorithm = algorithm
        self.encrypt = encrypt
        root = try TemporaryDirectory("fundsync-province")
        hub = try Hub.initialize(directory: DataDirectory(root.path("hub")), org: Self.province, name: "Anhui", clock: clock,
                                 algorithm: algorithm)
        storeOfRecord = TestHubStore.requested ? try TestHubStore(seeding: hub.store) : nil
        try hub.addOrgUnit(OrgUnit(code: Self.city, parent: Self.province, name: "Hefei", level: .city))
        for code in counties { try addNode(OrgCode(code)!, release: releases[code] ?? FundSyncRelease.number) }
        try deliverFromHub()
    }

    /// Creates, enrols and gives accounts to a county node (its registry arrives with the next hub export).
    public func addNode(_ org: OrgCode, parent: OrgCode = TestProvince.city, level: OrgUnit.Level = .county,
                        release: Int = FundSyncRelease.number) throws {
        let hubPEM = hub.signingKey.publicKey.pem
        let hubEncryptionPEM = try String(contentsOf: hub.encryptionKeyFiles.publicKey, encoding: .utf8)
        let node = try Node.initialize(directory: DataDirectory(root.path(org.rawValue)), org: org, hubKeyPEM: hubPEM, clock: clock,
                                       algorithm: algorithm, hubEncryptionKeyPEM: hubEncryptionPEM)
        try hub.enroll(org: org, parent: parent, name: level == .county ? "County \(org)" : "Unit \(org)", level: level, publicKeyPEM: node.signingKey.publicKey.pem,
                       encryptionKeyPEM: try String(contentsOf: node.encryptionKeyFiles.publicKey, encoding: .utf8), release: release)
        for (code, name) in [("1002", "Bank deposits"), ("3001.01", "Intercompany - HQ"), ("6001", "Income")] {
            try hub.putAccount(AccountRecord(id: "\(org.rawValue):\(code)", org: org, kind: .subject, code: code, name: name,
                                             currency: .cny, status: .active))
        }
        nodes[org] = node.running(asRelease: release)
    }

    /// The county runs `release`, whatever it was enrolled as (an office installed from another package than the
    /// administrator said).
    public func run(_ code: String, asRelease release: Int) {
        nodes[OrgCode(code)!] = node(code).running(asRelease: release)
    }

    /// The county installs this build: from now on it reads and writes as this release, and announces it in its next
    /// batch.
    public func upgrade(_ code: String) {
        nodes[OrgCode(code)!] = node(code).running(asRelease: FundSyncRelease.number)
    }

    public func node(_ code: String) -> Node { nodes[OrgCode(code)!]! }

    /// Exports from the hub and imports everything at the nodes concerned.
    @discardableResult
    public func deliverFromHub() throws -> [URL] {
        let folder = try root.folder("to-nodes-\(UUID().uuidString)")
        let files = try hub.export(to: folder, encrypt: encrypt)
        for file in files {
            let recipient = String(file.lastPathComponent.split(separator: "-to-")[1].split(separator: "-")[0])
            _ = try expectReceived(nodes[OrgCode(recipient)!]!.exchange.importFiles([file]))
        }
        return files
    }

    /// Exports from one node into a fresh folder and returns the files (not yet imported anywhere).
    public func export(from code: String) throws -> [URL] {
        try node(code).export(to: try root.folder("from-\(code)-\(UUID().uuidString)"), encrypt: encrypt)
    }

    /// A simple balanced voucher draft: Dr `debit` / Cr `credit`, amount in yuan text.
    public static func draft(_ debit: String, _ credit: String, _ amount: String, date: String = "2026-11-02",
                             memo: String = "test") -> VoucherDraft {
        VoucherDraft(date: date, memo: memo, preparer: "Clerk", lines: [
            .init(account: debit, debit: amount), .init(account: credit, credit: amount),
        ])
    }

    /// Removes the province's folders. With a store of record, first checks that it equals the hub's working copy:
    /// a difference stops the test run (every hub test is then also a test of the store of record).
    public func remove() {
        if let storeOfRecord {
            do {
                let differences = try storeOfRecord.differences(from: hub.store)
                if !differences.isEmpty { fatalError("the hub's store of record differs from its working copy: \(differences.prefix(10))") }
            } catch {
                fatalError("the hub's store of record could not be checked: \(error)")
            }
            storeOfRecord.close()
        }
        root.remove()
    }
}

/// Fails unless every result was received; returns the outcomes.
public struct UnexpectedImportResult: Error, CustomStringConvertible {
    public let description: String
}

@discardableResult
public func expectReceived(_ results: [FileImportResult<ReceiveOutcome>]) throws -> [ReceiveOutcome] {
    try results.map { result in
        guard case .received(_, _, let outcome) = result else { throw UnexpectedImportResult(description: "\(result)") }
        return outcome
    }
}
