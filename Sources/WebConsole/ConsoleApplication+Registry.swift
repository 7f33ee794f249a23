import BatchWire
import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// The registry as the fund centre keeps it: units, accounts, staff with their posts and personal keys, and the
    /// approval rules. A key officer (the fund-centre manager or supervisor, never for themselves) enrols, rotates and
    /// revokes people's keys here; each act is signed with the officer's own key.
    func registry(_ request: Request, _ session: ConsoleSession, message: String? = nil, error: String? = nil,
                  status: HTTPResponse.Status = .ok) throws -> Response {
        if let refused = try requireHubStaff(request, session) { return refused }
        let units = try unitLabels()
        let today = Self.today(office.store.nowMilliseconds)
        let (orgUnits, staff, certificates, rules) = try office.store.read { reader in
            (try reader.orgUnits(), try reader.staffIDs().compactMap { try reader.staffMember($0) }, try reader.allStaffCertificates(),
             try reader.approvalRules(asOf: today))
        }
        let accounts = try office.store.allAccounts()
        let c = { (key: String) in ConsoleTable.Column(label: self.t(key, request)) }
        let unitRows = orgUnits.map { unit in
            ConsoleTable.Row(cells: [.init(text: unit.code.rawValue), .init(text: unit.name), .init(text: t("level.\(unit.level.rawValue)", request)),
                                     .init(text: unit.parent.map { units[$0.rawValue] ?? $0.rawValue } ?? "")])
        }
        let accountRows = accounts.map { account in
            ConsoleTable.Row(highlight: account.status != .active, cells: [
                .init(text: account.id, href: "\(Self.base)/vouchers?account=\(Self.query(account.id))"), .init(text: units[account.org.rawValue] ?? account.org.rawValue),
                .init(text: t("kind.\(account.kind.rawValue)", request)), .init(text: "\(account.code) \(account.name)"), .init(text: account.currency.code),
                .init(text: t("status.\(account.status.rawValue)", request)),
            ])
        }
        let certificatesByStaff = Dictionary(grouping: certificates, by: \.staff)
        let staffRows = staff.sorted { ($0.org.rawValue, $0.id) < ($1.org.rawValue, $1.id) }.map { member -> ConsoleTable.Row in
            let keys = (certificatesByStaff[member.id] ?? []).map { certificate -> ConsoleTable.Cell in
                let state = certificate.revocation.map { t("registry.revoked", request, ["date": $0.date.description, "reason": $0.reason]) }
                    ?? (certificate.validUntil < today ? t("registry.expired", request) : t("registry.validUntil", request, ["date": certificate.validUntil.description]))
                let revoke = certificate.revocation == nil && certificate.validUntil >= today
                    ? [ConsoleForm(id: "revoke-\(certificate.keyID.prefix(16))", action: "\(Self.base)/registry", fields: [
                        .hidden("do", "revoke"), .hidden("key", certificate.keyID),
                        ConsoleField(name: "reason", label: t("approvals.reason", request)),
                    ], submit: t("registry.revoke", request), inline: true)] : []
                return ConsoleTable.Cell(text: "\(certificate.algorithm) \(certificate.keyID.prefix(16))… \(state)", forms: revoke)
            }
            return ConsoleTable.Row(id: "staff-\(member.id)", cells: [
                .init(text: member.id), .init(text: member.name), .init(text: units[member.org.rawValue] ?? member.org.rawValue),
                .init(text: member.roles.map { t("post.\($0.rawValue)", request) }.sorted().joined(separator: "、")),
            ] + (keys.isEmpty ? [.init(text: t("registry.noKey", request))] : keys))
        }
        let ruleRows = rules.sorted { ($0.category, $0.tier.rawValue, $0.basis.rawValue) < ($1.category, $1.tier.rawValue, $1.basis.rawValue) }.map { rule in
            ConsoleTable.Row(cells: [.init(text: rule.category), .init(text: t("tier.\(rule.tier.rawValue)", request)),
                                     .init(text: t("basis.\(rule.basis.rawValue)", request)), .init(text: t("post.\(rule.approverRole.rawValue)", request))])
        }
        var page = ConsoleScreen(title: t("registry.title", request), message: message, error: error)
        page.forms = [ConsoleForm(id: "enrol", action: "\(Self.base)/registry", heading: t("registry.enrol", request), fields: [
            .hidden("do", "enrol"),
            ConsoleField(name: "staff", label: t("registry.staff", request), kind: .select(staff.map { ($0.id, "\($0.name) (\($0.id))") })),
            ConsoleField(name: "publicKey", label: t("registry.publicKey", request), kind: .textarea),
            ConsoleField(name: "validUntil", label: t("registry.validUntilLabel", request), kind: .date,
                         value: BusinessDate.fromDaysSinceEpoch(today.daysSinceEpoch + 730).description),
            ConsoleField(name: "reason", label: t("registry.rotateReason", request), required: false),
        ], submit: t("registry.enrolSubmit", request))]
        page.tables = [
            ConsoleTable(id: "staff", caption: t("registry.staffTitle", request),
                         columns: [c("registry.staff"), c("balances.name"), c("balances.unit"), c("registry.posts"), c("registry.keys")],
                         rows: staffRows, empty: ""),
            ConsoleTable(id: "rules", caption: t("registry.rules", request),
                         columns: [c("approvals.category"), c("registry.tier"), c("registry.basis"), c("registry.approver")], rows: ruleRows, empty: ""),
            ConsoleTable(id: "units-registry", caption: t("registry.units", request),
                         columns: [c("balances.code"), c("balances.name"), c("balances.level"), c("registry.parent")], rows: unitRows, empty: ""),
            ConsoleTable(id: "accounts", caption: t("registry.accounts", request),
                         columns: [c("balances.account"), c("balances.unit"), c("approvals.kind"), c("balances.name"), c("registry.currency"),
                                   c("approvals.state")], rows: accountRows, empty: ""),
        ]
        return try screen(page, request: request, session: session, status: status)
    }

    /// Enrols or rotates a person's key (a PEM public key pasted from `fundsync staff-key`), or revokes one.
    func changeKeys(_ request: Request, _ session: ConsoleSession, form: [String: String]) throws -> Response {
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .notFound, key: "error.title") }
        if let refused = try requireHubStaff(request, session) { return refused }
        let show = { (message: String?, error: String?, status: HTTPResponse.Status) in
            try registry(request, session, message: message, error: error, status: status)
        }
        let officer = session.staff.id, today = Self.today(office.store.nowMilliseconds)
        switch form["do"] {
        case "enrol":
            let staff = form["staff"] ?? ""
            return try perform(request, session, action: "console key enrol", detail: staff, show: show) {
                let key: PublicKey
                do {
                    key = try PublicKey(pem: try Self.text(form, "publicKey"))
                } catch let error as CryptoError {
                    throw ConsoleInputError(description: "the public key is not a PEM public key (Ed25519 or SM2): \(error)")
                }
                let validUntil = try Self.date(form, "validUntil")
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
                let active = try hub.staffCertificates(of: staff).contains { $0.revocation == nil && $0.validUntil >= today }
                let certificate = active
                    ? try hub.rotateStaffKey(staff: staff, to: key, validUntil: validUntil, reason: reason.isEmpty ? "rotated in the console" : reason,
                                             date: today, by: officer).certified
                    : try hub.certifyStaffKey(staff: staff, publicKey: key, validUntil: validUntil, by: officer)
                return t("registry.enrolled", request, ["staff": staff, "key": String(certificate.keyID.prefix(16))])
            }
        case "revoke":
            let key = form["key"] ?? ""
            return try perform(request, session, action: "console key revoke", detail: key, show: show) {
                _ = try hub.revokeStaffKey(key, reason: try Self.text(form, "reason"), date: today, by: officer)
                return t("registry.revokedDone", request, ["key": String(key.prefix(16))])
            }
        default:
            return try show(nil, "unknown action", .badRequest)
        }
    }
}
