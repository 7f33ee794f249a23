import BatchWire
import Foundation
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// Offices silent longer than this are highlighted on the network page.
    static let silentAfterMilliseconds: Int64 = 2 * 24 * 3600 * 1000

    /// The network: every office with its last exchange, lag, waiting and quarantined batches, registry version.
    func health(_ request: Request, _ session: ConsoleSession) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        let status = try hub.store.status()
        let last = try hub.store.lastReceived()
        let registry = Dictionary(try hub.storage.registryVersions().map {
            ($0.peer, $0.applied >= $0.current ? "\($0.current) ✓" : "\($0.applied)/\($0.current)")
        }, uniquingKeysWith: { a, _ in a })
        let units = Dictionary(try hub.store.read { try $0.orgUnits() }.map { ($0.code.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        let now = hub.store.nowMilliseconds
        let language = Self.language(request)
        // Which release each office runs (issue 10): an office behind the hub shows what waits for its upgrade.
        let releases = Dictionary(try hub.storage.officeReleases().map { ($0.org.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        let offices: [[String: Any]] = status.peers.map { peer in
            let at = last[peer.peer]
            let release = releases[peer.peer]
            let number = release?.release ?? 1
            var row: [String: Any] = ["office": "\(units[peer.peer] ?? peer.peer) (\(peer.peer))", "lastExchange": at.map(Self.time) ?? "—",
                                      "silent": at.map { now - $0 > Self.silentAfterMilliseconds } ?? true, "lag": peer.outbox, "pending": peer.pending,
                                      "registry": registry[peer.peer] ?? "—",
                                      "release": "\(number) (\(release?.version ?? catalog.text("health.notAnnounced", language)))"]
            if number < FundSyncRelease.number {
                row["behind"] = catalog.text("health.behind", language, ["held": String(release?.heldChanges ?? 0)])
            }
            return row
        }
        return try page("health", request: request, session: session, values: [
            "offices": offices, "quarantine": try BatchFiles.quarantineCount(in: hub.directory.quarantine), "pendingTotal": status.pending,
        ])
    }

    /// Payments entered at the counties and waiting for a release (the approvals queue's payments).
    func payments(_ request: Request, _ session: ConsoleSession, message: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        let language = Self.language(request)
        let waiting = try office.store.documents(.payment).filter { $0["state"] == "entered" }
        let units = Dictionary(try office.store.read { try $0.orgUnits() }.map { ($0.code.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = waiting.map { payment in
            ["id": payment["id"] ?? "", "org": "\(units[payment["org"] ?? ""] ?? "") (\(payment["org"] ?? ""))", "payee": payment["payee"] ?? "",
             "amount": YuanFormat.yuan(Int64(payment["amount"] ?? "") ?? 0), "date": payment["date"] ?? "", "preparer": payment["preparer"] ?? "",
             "signed": (payment["signatures"] ?? "").isEmpty ? catalog.text("signed.unsigned", language) : "✓ " + (payment["preparer"] ?? "")
                + ((payment["reviewer"] ?? "").isEmpty ? "" : ", " + (payment["reviewer"] ?? ""))]
        }
        var values: [String: Any] = ["payments": rows]
        if let message { values["message"] = message }
        return try page("payments", request: request, session: session, status: status, values: values)
    }

    /// Releases a payment, signed by the logged-in person: the cashier within the release limit, the supervisor above
    /// it. The hub's own rule decides; a refusal names it.
    func release(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .hub(let hub) = office, let id = form["payment"], !id.isEmpty else {
            return try refusal(request, session: session, status: .badRequest, key: "error.title")
        }
        guard session.keyring != nil else {
            return try refusal(request, session: session, status: .forbidden, key: "role.refused", detail: "no key: a release is signed")
        }
        do {
            try signed(session, action: "console release", detail: "payment \(id)") { try hub.releasePayment(id, by: session.staff.id, on: form["date"].flatMap { BusinessDate($0) }) }
        } catch let error as TreasuryError {
            try office.audit(actor: session.staff.id, action: "console refused", detail: "release \(id): \(error)")
            let status: HTTPResponse.Status = error.code == .notPermitted ? .forbidden : .unprocessableContent
            return try refusal(request, session: session, status: status,
                               key: error.code == .notPermitted ? "role.refused" : "error.title", detail: error.description)
        }
        return try payments(request, session, message: catalog.text("payments.released", Self.language(request),
                                                                         ["id": id, "who": "\(session.staff.name) (\(session.staff.id))"]))
    }
}
