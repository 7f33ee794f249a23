import Foundation
import GRDB
import LedgerCore

/// A change the hub holds for a node whose release cannot represent it (PROTOCOL.md §11.4).
public struct HeldChange: Sendable, Equatable {
    public let peer: OrgCode
    public let id: ChangeID
    public let table: String
    public let key: String
    /// The oldest release that represents it.
    public let needsRelease: Int
    public let heldAtMilliseconds: Int64
}

extension ReplicaTransaction {
    /// The release `office` runs as far as this replica knows: the highest number among its applied `office_release`
    /// rows (§6.28) and, at the hub, the release stated when it was enrolled (``recordEnrolledRelease(_:_:)``); 1 when
    /// there is neither (release 1 never announces, and a node enrolled by a release-1 hub has no stated release).
    public func announcedRelease(of office: OrgCode) throws -> Int {
        if let known = announcedReleases[office] { return known }
        var number = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(number) FROM office_release WHERE org = ?"),
                                      arguments: [office.rawValue]) ?? 1
        if role == .hub, let enrolled = try Int.fetchOne(db.cachedStatement(sql: "SELECT number FROM stated_release WHERE org = ?"),
                                                         arguments: [office.rawValue]) {
            number = max(number, enrolled)
        }
        announcedReleases[office] = max(1, number)
        return max(1, number)
    }

    /// At the hub: `office` is known to run at least `release` although it has not announced it: it asked for a resync
    /// (§8.8), which only release 2 and later do. Without this its answer would be held for a release-1 node, and the
    /// restored node, which announces only after its resync, would wait for it for ever.
    func raiseStatedRelease(_ office: OrgCode, atLeast release: Int) throws {
        guard role == .hub else { return }
        try db.execute(sql: """
            INSERT INTO stated_release (org, number, at_ms) VALUES (?, ?, ?)
            ON CONFLICT(org) DO UPDATE SET number = CASE WHEN excluded.number > stated_release.number THEN excluded.number
                ELSE stated_release.number END
            """, arguments: [office.rawValue, release, nowMilliseconds()])
        announcedReleases[office] = nil
    }

    /// At the hub, after applying changes from `node`: a node of release 2 or later announces its release before the
    /// first changes it sends (§6.28). One stated to run release 2 or later that sent changes without announcing runs
    /// release 1, whatever its enrolment said: from now on what release 1 cannot represent is held for it, and a stream
    /// finding tells the fund centre what it was sent meanwhile. If the node does run release 2 (its first export was
    /// split over several batches, the announcement in a later one), that announcement undoes this.
    func checkStatedRelease(of node: OrgCode) throws {
        guard let stated = try Int.fetchOne(db.cachedStatement(sql: "SELECT number FROM stated_release WHERE org = ?"),
                                            arguments: [node.rawValue]), stated >= 2,
              try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM office_release WHERE org = ? LIMIT 1"), arguments: [node.rawValue]) == nil
        else { return }
        try db.execute(sql: "UPDATE stated_release SET number = 1, at_ms = ? WHERE org = ?", arguments: [nowMilliseconds(), node.rawValue])
        announcedReleases[node] = nil
        let today = BusinessDate.fromDaysSinceEpoch(Int((nowMilliseconds() / 1_000 + 8 * 3_600) / 86_400))
        try recordStreamFinding(
            kind: "release-not-announced", document: "office_release:\(node.rawValue)", org: node, businessDate: today,
            detail: "\(node) was enrolled as release \(stated) but sent changes without announcing a release: it runs release 1. "
                + "What release 1 cannot read is held for it from now on; what was sent to it before (calendar days, contracts and "
                + "their slips, personal keys, payments' bank bookings) was refused or left unbooked there. Check its version, "
                + "and enrol offices installed from the previous package with 'hub enroll --release 1'")
    }

    /// At the hub: records the release the administrator said `office` runs when enrolling it (a new office is
    /// installed with the current release; one installed from the previous release's package is enrolled as such).
    public func recordEnrolledRelease(_ office: OrgCode, _ release: Int) throws {
        guard role == .hub else { return }
        try db.execute(sql: """
            INSERT INTO stated_release (org, number, at_ms) VALUES (?, ?, ?)
            ON CONFLICT(org) DO UPDATE SET number = excluded.number, at_ms = excluded.at_ms
            """, arguments: [office.rawValue, release, nowMilliseconds()])
        announcedReleases[office] = nil
    }

    /// Queues `change` for `peer`, unless this is the hub and `peer`'s release cannot represent it: then it is held
    /// for `peer` (hub storage `held_change`), at no stream position, until `peer` announces a release that can
    /// (`releaseHeldChanges(for:)`). A node never holds: it writes only for its hub, which upgrades first.
    func enqueueOrHold(_ change: Change, to peer: OrgCode, isRegistry: Bool) throws {
        if role == .hub {
            let needed = ReleaseCapabilities.releaseNeeded(for: change)
            if needed > 1, try announcedRelease(of: peer) < needed {
                try db.cachedStatement(sql: """
                    INSERT INTO held_change (peer, origin, counter, needs_release, held_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """).execute(arguments: [peer.rawValue, change.id.origin.rawValue, change.id.counter, needed, nowMilliseconds()])
                return
            }
        }
        try enqueue(change.id, to: peer, isRegistry: isRegistry)
    }

    /// Called at the hub when `peer`'s `office_release` row was applied: queues for `peer`, at new positions of its
    /// stream and in the order they were written, every change held for it that its release now represents, and
    /// forgets them as held. Returns how many were queued. Nothing held is ever dropped: what the new release still
    /// cannot represent stays held.
    @discardableResult
    public func releaseHeldChanges(for peer: OrgCode) throws -> Int {
        announcedReleases[peer] = nil
        let release = try announcedRelease(of: peer)
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT h.origin, h.counter, c.tbl FROM held_change h
            LEFT JOIN change_log c ON c.origin = h.origin AND c.counter = h.counter
            WHERE h.peer = ? AND h.needs_release <= ? ORDER BY h.origin, h.counter
            """), arguments: [peer.rawValue, release])
        for row in rows {
            guard let origin = OrgCode(row[0] as String) else { continue }
            let table = (row[2] as String?).flatMap(ReplicatedTable.init(rawValue:))
            let isRegistry = table.map { $0.isHubOwned && $0 != .rejection && $0 != .allocation && $0 != .resync } ?? false
            try enqueue(ChangeID(origin: origin, counter: row[1]), to: peer, isRegistry: isRegistry)
        }
        try db.cachedStatement(sql: "DELETE FROM held_change WHERE peer = ? AND needs_release <= ?").execute(arguments: [peer.rawValue, release])
        return rows.count
    }

    /// Every change held at this hub for a node one release behind, oldest first.
    public func heldChanges(for peer: OrgCode? = nil) throws -> [HeldChange] {
        guard role == .hub else { return [] }
        var sql = """
            SELECT h.peer, h.origin, h.counter, h.needs_release, h.held_at_ms, c.tbl, c.key FROM held_change h
            LEFT JOIN change_log c ON c.origin = h.origin AND c.counter = h.counter
            """
        var arguments: StatementArguments = []
        if let peer { sql += " WHERE h.peer = ?"; arguments = [peer.rawValue] }
        sql += " ORDER BY h.peer, h.origin, h.counter"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            guard let peer = OrgCode(row[0] as String), let origin = OrgCode(row[1] as String) else { return nil }
            return HeldChange(peer: peer, id: ChangeID(origin: origin, counter: row[2]), table: row[5] ?? "?", key: row[6] ?? "?",
                              needsRelease: row[3], heldAtMilliseconds: row[4])
        }
    }

    /// The release each office has announced, with its software version and how many changes the hub holds for it.
    public func officeReleases() throws -> [OfficeRelease] {
        var held: [String: (count: Int, oldest: Int64)] = [:]
        if role == .hub {
            for row in try Row.fetchAll(db, sql: "SELECT peer, COUNT(*), MIN(held_at_ms) FROM held_change GROUP BY peer") {
                held[row[0]] = (row[1], row[2])
            }
        }
        var latest: [String: (number: Int, version: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT org, number, version FROM office_release ORDER BY org, number") {
            latest[row[0]] = (row[1], row[2])
        }
        var enrolled: [String: Int] = [:]
        if role == .hub {
            for row in try Row.fetchAll(db, sql: "SELECT org, number FROM stated_release") { enrolled[row[0]] = row[1] }
        }
        let offices = Set(latest.keys).union(held.keys).union(enrolled.keys)
        return offices.sorted().compactMap { code in
            guard let org = OrgCode(code) else { return nil }
            return OfficeRelease(org: org, release: max(latest[code]?.number ?? 1, enrolled[code] ?? 1), version: latest[code]?.version,
                                 announced: latest[code] != nil, heldChanges: held[code]?.count ?? 0,
                                 oldestHeldMilliseconds: held[code]?.oldest)
        }
    }
}

/// What one office runs, as its hub knows it (`hub registry`, the console, the metrics).
public struct OfficeRelease: Sendable, Equatable {
    public let org: OrgCode
    /// 1 when the office has never announced a release (release 1 does not announce).
    public let release: Int
    /// The software version it announced (`fundsync --version`), `nil` when it announced none.
    public let version: String?
    /// False when `release` is only what its enrolment stated (or release 1 by default): it has sent no announcement.
    public let announced: Bool
    /// Changes the hub holds for it until it upgrades.
    public let heldChanges: Int
    public let oldestHeldMilliseconds: Int64?
}

extension ReplicaStore {
    /// What every office runs as this replica knows it, with what the hub holds for each (see
    /// ``ReplicaTransaction/officeReleases()``).
    public func officeReleases() throws -> [OfficeRelease] {
        try writer.read { db in try ReplicaTransaction(db: db, store: self, policy: nil).officeReleases() }
    }

    /// The changes the hub holds for `peer` (every node when `nil`) until it upgrades, oldest first.
    public func heldChanges(for peer: OrgCode? = nil) throws -> [HeldChange] {
        try writer.read { db in try ReplicaTransaction(db: db, store: self, policy: nil).heldChanges(for: peer) }
    }
}
