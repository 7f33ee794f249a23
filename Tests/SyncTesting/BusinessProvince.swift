import BatchWire
import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore

/// A province ready for the fund-management processes: the hub with collection and expense bank accounts, staff
/// in every post, an approval table, rates and parameters; counties with income and expense bank accounts, the
/// subjects of DOMAIN.md, and clerks. Everything has been delivered to the nodes once.
public final class BusinessProvince {
    public let base: TestProvince
    public var hub: Hub { base.hub }
    public static let hubCollection = "9558801001100000001"      // ICBC, 19 digits
    public static let hubExpense = "662800012345678901"          // BOC, 18 digits
    public static let startDate = BusinessDate("2026-11-02")!

    /// `B`'s income account (ICBC-like) and expense account (BOC-like).
    public static func income(_ branch: String) -> String { "95588\(branch)10000001" }
    public static func expense(_ branch: String) -> String { "66\(branch)2000000002" }

    /// - Parameter releases: counties that run an older release (see `TestProvince.init`).
    public init(counties: [String] = ["340121", "340122"], releases: [String: Int] = [:]) throws {
        base = try TestProvince(counties: counties, releases: releases)
        let hub = base.hub, from = Self.startDate
        let hubOrg = TestProvince.province
        for (id, purpose) in [(Self.hubCollection, "collection"), (Self.hubExpense, "general")] {
            try hub.putAccount(AccountRecord(id: id, org: hubOrg, kind: .bank, code: id, name: "Hub \(purpose) account", currency: .cny,
                                             status: .active), attributes: ["purpose": .text(purpose), "class": .text("basic")])
        }
        try hub.putAccount(AccountRecord(id: "\(hubOrg.rawValue):4001", org: hubOrg, kind: .subject, code: "4001",
                                         name: "Fund balance brought forward", currency: .cny, status: .active))
        for (id, roles) in [("hub-fundmanager", [StaffRole.fundManager]), ("hub-manager", [.fundCentreManager]),
                            ("hub-cashier", [.fundCentreCashier]), ("hub-supervisor", [.fundCentreSupervisor]),
                            ("hub-accountant", [.cashier]), ("hub-deputy", [.deputyGeneralManager])] {
            try hub.putStaff(StaffMember(id: id, org: hubOrg, name: id, roles: Set(roles)))
        }
        for county in counties { try setUpCounty(OrgCode(county)!) }
        for category in ["business", "administrative"] {
            for tier in ApprovalTier.allCases {
                let role: StaffRole = switch tier {
                case .upTo100k: .financeManager
                case .upTo500k: .unitHead
                case .upTo1m, .upTo10m: .fundCentreManager
                case .above10m: .deputyGeneralManager
                }
                for basis in ApprovalBasis.allCases {
                    try hub.putApprovalRule(ApprovalRule(category: category, tier: tier, basis: basis, approverRole: role), effectiveFrom: from)
                }
            }
        }
        for (kind, percent) in [(RateKind.currentDeposit, "0.72"), (.overdraft, "5.0"), (.shortLoan, "4.35"), (.longLoan, "4.9"),
                                (.overduePenalty, "6.525")] {
            try hub.putRate(RateEntry(kind: kind, effectiveFrom: BusinessDate("2026-01-01")!, rate: AnnualRate(percent: percent)!,
                                      dayCount: .actual360))
        }
        // Fixed deposits at the worked example's rates (DOMAIN.md §3.7), on a 365-day basis.
        for (kind, percent) in [(RateKind.fixed3Months, "1.71"), (.fixed6Months, "1.89"), (.fixed1Year, "1.98")] {
            try hub.putRate(RateEntry(kind: kind, effectiveFrom: BusinessDate("2026-01-01")!, rate: AnnualRate(percent: percent)!,
                                      dayCount: .actual365))
        }
        try hub.putParameter("cashier_release_limit", value: "100000.00", effectiveFrom: from)
        // Opening balances (3/6: money leaves only within the available balance): the hub's two bank accounts and every
        // county's expense account hold money from the day before the first business day.
        let opening = BusinessDate.fromDaysSinceEpoch(from.daysSinceEpoch - 1)
        try hub.postOwnVoucher([VoucherLine(account: Self.hubCollection, side: .debit, amount: Self.hubOpening),
                                VoucherLine(account: Self.hubExpense, side: .debit, amount: Self.hubOpening),
                                VoucherLine(account: "\(hubOrg.rawValue):4001", side: .credit, amount: try Self.hubOpening.adding(Self.hubOpening))],
                               date: opening, memo: "opening balances", signatures: DocumentSignatures(preparer: "hub-accountant", reviewer: "hub-fundmanager"))
        try base.deliverFromHub()
        for county in counties {
            try base.node(county).post([VoucherDraft(date: opening.description, memo: "opening balance", preparer: "\(county)-cashier",
                                                     lines: [
                .init(account: Self.expense(county), debit: Self.countyOpening.description),
                .init(account: "\(county):4001", credit: Self.countyOpening.description),
            ], reviewer: "\(county)-manager")])
            // The cashier's bank journal carries the same balance forward, so daily reports agree with the books.
            try base.node(county).recordBankAdvice(account: Self.expense(county), date: opening, direction: .receipt, amount: Self.countyOpening,
                                                   advice: "OPENING-\(county)", counterparty: "balance brought forward", memo: nil, slip: nil,
                                                   signatures: Self.clerks(county))
            try sync(county)
        }
    }

    /// What the hub's collection and expense accounts hold at the start (¥100,000,000.00 each).
    public static let hubOpening = AmountMinorUnits(10_000_000_000)
    /// What every county's expense account holds at the start (¥5,000,000.00).
    public static let countyOpening = AmountMinorUnits(500_000_000)

    func setUpCounty(_ county: OrgCode) throws {
        let code = county.rawValue
        for (id, purpose) in [(Self.income(code), "income"), (Self.expense(code), "expense")] {
            try hub.putAccount(AccountRecord(id: id, org: county, kind: .bank, code: id, name: "\(purpose) account", currency: .cny,
                                             status: .active), attributes: ["purpose": .text(purpose), "class": .text("general")])
        }
        for (subject, name) in [("1012", "Funds in transit – HQ"), ("6602", "Administrative expenses"), ("6011", "Interest income"),
                                ("6411", "Interest expense"), ("4001", "Fund balance brought forward")] {
            try hub.putAccount(AccountRecord(id: "\(code):\(subject)", org: county, kind: .subject, code: subject, name: name,
                                             currency: .cny, status: .active))
        }
        for (suffix, roles) in [("cashier", [StaffRole.cashier]), ("manager", [.financeManager]), ("head", [.unitHead])] {
            try hub.putStaff(StaffMember(id: "\(code)-\(suffix)", org: county, name: "\(code) \(suffix)", roles: Set(roles)))
        }
        try hub.putSweepPlan(account: Self.income(code), collectionAccount: Self.hubCollection, mode: "floor",
                             retained: AmountMinorUnits(20_000), frequency: "daily", effectiveFrom: Self.startDate)
    }

    public func node(_ code: String) -> Node { base.node(code) }

    /// Adds a unit with a node of its own (a city, or a county under it), set up like the counties, with its opening
    /// balance, and delivers its registry.
    public func addUnit(_ code: String, parent: OrgCode, level: OrgUnit.Level) throws {
        let org = OrgCode(code)!
        try base.addNode(org, parent: parent, level: level)
        try setUpCounty(org)
        try base.deliverFromHub()
        let opening = BusinessDate.fromDaysSinceEpoch(Self.startDate.daysSinceEpoch - 1)
        try node(code).post([VoucherDraft(date: opening.description, memo: "opening balance", preparer: "\(code)-cashier", lines: [
            .init(account: Self.expense(code), debit: Self.countyOpening.description), .init(account: "\(code):4001", credit: Self.countyOpening.description),
        ], reviewer: "\(code)-manager")])
        try sync(code)
    }

    /// The signatures a county's cashier and finance manager put on a document.
    public static func clerks(_ code: String, approver: String? = nil) -> DocumentSignatures {
        DocumentSignatures(preparer: "\(code)-cashier", reviewer: "\(code)-manager", approver: approver)
    }

    /// Carries a county's export to the hub, and the hub's answer back.
    public func sync(_ code: String) throws {
        try expectReceived(hub.exchange.importFiles(base.export(from: code)))
        try base.deliverFromHub()
    }

    /// The bank pays a released payment on its requested day (the hub's cashier records the bank's receipt, 7/7), so
    /// the branch books it on that day with the hub's next delivery.
    public func bankPays(_ payment: String, on date: BusinessDate? = nil) throws {
        guard let instruction = try hub.storage.bankInstruction(payment), let requested = BusinessDate(instruction.requestedDate) else {
            throw NoInstruction(payment: payment)
        }
        try hub.recordBankBooking(of: payment, bookedOn: date ?? requested, by: "hub-cashier", receipt: "HD-\(payment)")
    }

    /// Every posted voucher of the replica's own org with `source`, as "Dr account amount" lines. (A replica also
    /// holds the other side's vouchers: the hub has the counties', a county the hub's about it.)
    public static func lines(in store: ReplicaStore, source: String) throws -> [[String]] {
        try store.read { transaction in
            try transaction.vouchers(source: source).filter { $0.org == store.org }.map { voucher in
                voucher.lines.map { "\($0.side == .debit ? "Dr" : "Cr") \($0.account) \($0.amount)" }
            }
        }
    }

    public func remove() { base.remove() }

    /// A payment the test expected the hub to have released (and queued for the bank) has no instruction.
    public struct NoInstruction: Error, CustomStringConvertible {
        public var payment: String
        public var description: String { "payment \(payment) has no instruction to the bank: was it released?" }
    }
}
