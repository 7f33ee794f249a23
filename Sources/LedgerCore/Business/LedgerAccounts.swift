/// The subject codes and account ids the business processes post to (DOMAIN.md §2.3, §3.2–3.4).
///
/// Account ids: a subject of org O is `O:code`; the hub keeps one sub-account per branch B for funds in transit
/// and for the internal current deposit: `hub:1012.B`, `hub:2242.02.B`.
///
/// Modelling decision: at the hub, the HQ intercompany current account with branch B *is* B's internal
/// interest-bearing current deposit (2242.02) at the fund centre, so "2242.02 at the centre = the intercompany
/// balance in the HQ books" holds by construction, and reconciliation checks the other equality, that it is the
/// negative of B's own `B:3001.01` (DESIGN.md §5.4).
public enum LedgerAccounts {
    /// 银行存款 Bank deposits (a subject; real postings go to the bank accounts themselves).
    public static let bankDeposits = "1002"
    /// 在途资金 Funds in transit.
    public static let fundsInTransit = "1012"
    /// 内部往来—总分往来—总公司: the branch's intercompany current account with HQ.
    public static let intercompanyHQ = "3001.01"
    /// 企业存款—活期计息: the internal interest-bearing current deposit at the fund centre.
    public static let internalCurrentDeposit = "2242.02"
    /// 企业存款—活期不计息 (memo of the subsidiary's bank balances).
    public static let internalNonInterestDeposit = "2242.01"
    /// 企业存款—普通定期 / 特别定期: the branches' fixed deposits at the fund centre (`hub:2242.03.B`, `hub:2242.04.B`).
    public static let internalFixedDeposit = "2242.03"
    public static let internalSpecialFixedDeposit = "2242.04"
    /// The branch's side: 存放资金中心定期存款 (its fixed deposits at the centre, an asset), and its borrowings from the
    /// centre, 短期借款—资金中心 / 长期借款—资金中心 (liabilities).
    public static let fixedDepositsAtCentre = "1031"
    public static let shortBorrowingFromCentre = "2001.01"
    public static let longBorrowingFromCentre = "2501.01"
    /// 内部短期贷款 / 内部长期贷款.
    public static let shortLoan = "1013"
    public static let longLoan = "1533"
    /// 利息收入 / 利息支出 (interest income and expense).
    public static let interestIncome = "6011"
    public static let interestExpense = "6411"

    public static func subject(_ org: OrgCode, _ code: String) -> String { "\(org.rawValue):\(code)" }

    /// `hub:1012.B`: the hub's funds in transit with branch B.
    public static func hubInTransit(hub: OrgCode, branch: OrgCode) -> String { "\(hub.rawValue):\(fundsInTransit).\(branch.rawValue)" }

    /// `hub:2242.02.B`: B's internal current deposit at the fund centre (= HQ intercompany with B).
    public static func hubIntercompany(hub: OrgCode, branch: OrgCode) -> String {
        "\(hub.rawValue):\(internalCurrentDeposit).\(branch.rawValue)"
    }

    /// `hub:<code>.B`: B's sub-account of a contract kind's subject (2242.03, 2242.04, 1013, 1533).
    public static func hubContract(hub: OrgCode, branch: OrgCode, kind: ContractKind) -> String {
        "\(hub.rawValue):\(kind.hubSubject).\(branch.rawValue)"
    }

    /// `hub:1013.B` / `hub:1533.B`: internal loans to B.
    public static func hubLoan(hub: OrgCode, branch: OrgCode, longTerm: Bool) -> String {
        "\(hub.rawValue):\(longTerm ? longLoan : shortLoan).\(branch.rawValue)"
    }
}

/// The journal entries of each process, both sides (DOMAIN.md §3.2, §3.3, §3.7). Each returns the lines of one
/// voucher; amounts are positive.
public enum JournalEntries {
    static func pair(debit: String, credit: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        [VoucherLine(account: debit, side: .debit, amount: amount), VoucherLine(account: credit, side: .credit, amount: amount)]
    }

    /// County, sweep up: Dr Intercompany–HQ / Cr Bank deposits (the swept income account).
    public static func sweepAtBranch(branch: OrgCode, bankAccount: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ), credit: bankAccount, amount)
    }

    /// Hub, on the branch's sweep slip: Dr Funds in transit–branch / Cr Intercompany–branch.
    public static func sweepSlipAtHub(hub: OrgCode, branch: OrgCode, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.hubInTransit(hub: hub, branch: branch),
             credit: LedgerAccounts.hubIntercompany(hub: hub, branch: branch), amount)
    }

    /// Hub, bank receipt at the collection account: Dr Bank deposits / Cr Funds in transit–branch.
    public static func sweepReceiptAtHub(hub: OrgCode, branch: OrgCode, collectionAccount: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: collectionAccount, credit: LedgerAccounts.hubInTransit(hub: hub, branch: branch), amount)
    }

    /// Hub, allocation order paid: Dr Intercompany–branch / Cr Bank deposits.
    public static func allocationAtHub(hub: OrgCode, branch: OrgCode, bankAccount: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.hubIntercompany(hub: hub, branch: branch), credit: bankAccount, amount)
    }

    /// County, allocation slip received: Dr Funds in transit–HQ / Cr Intercompany–HQ.
    public static func allocationSlipAtBranch(branch: OrgCode, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.subject(branch, LedgerAccounts.fundsInTransit),
             credit: LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ), amount)
    }

    /// County, bank receipt of the allocation: Dr Bank deposits (the expense account) / Cr Funds in transit–HQ.
    public static func allocationReceiptAtBranch(branch: OrgCode, bankAccount: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: bankAccount, credit: LedgerAccounts.subject(branch, LedgerAccounts.fundsInTransit), amount)
    }

    /// Interest settlement at the hub. Deposit interest: Dr Interest expense / Cr 2242.02.B. Overdraft or loan
    /// interest: Dr 2242.02.B / Cr Interest income (charged to the branch's current deposit).
    public static func interestAtHub(hub: OrgCode, branch: OrgCode, _ amount: AmountMinorUnits, payable: Bool) -> [VoucherLine] {
        let deposit = LedgerAccounts.hubIntercompany(hub: hub, branch: branch)
        return payable
            ? pair(debit: LedgerAccounts.subject(hub, LedgerAccounts.interestExpense), credit: deposit, amount)
            : pair(debit: deposit, credit: LedgerAccounts.subject(hub, LedgerAccounts.interestIncome), amount)
    }

    /// Interest settlement at the branch, mirroring the hub: deposit interest received Dr Intercompany–HQ /
    /// Cr Interest income; interest charged Dr Interest expense / Cr Intercompany–HQ.
    public static func interestAtBranch(branch: OrgCode, _ amount: AmountMinorUnits, received: Bool) -> [VoucherLine] {
        let intercompany = LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ)
        return received
            ? pair(debit: intercompany, credit: LedgerAccounts.subject(branch, LedgerAccounts.interestIncome), amount)
            : pair(debit: LedgerAccounts.subject(branch, LedgerAccounts.interestExpense), credit: intercompany, amount)
    }

    /// A contract starts (a deposit placed, a loan drawn), at the hub. Deposit: Dr 2242.02.B / Cr 2242.03.B (the
    /// branch's current deposit becomes a fixed one). Loan: Dr 1013.B / Cr 2242.02.B (lent into its current deposit).
    public static func contractStartAtHub(hub: OrgCode, branch: OrgCode, kind: ContractKind, _ amount: AmountMinorUnits) -> [VoucherLine] {
        let current = LedgerAccounts.hubIntercompany(hub: hub, branch: branch)
        let contract = LedgerAccounts.hubContract(hub: hub, branch: branch, kind: kind)
        return kind.isDeposit ? pair(debit: current, credit: contract, amount) : pair(debit: contract, credit: current, amount)
    }

    /// The branch's side of a contract starting. Deposit: Dr 1031 / Cr Intercompany–HQ. Loan: Dr Intercompany–HQ /
    /// Cr 2001.01 (or 2501.01). Intercompany–HQ keeps mirroring the hub's 2242.02.B.
    public static func contractStartAtBranch(branch: OrgCode, kind: ContractKind, _ amount: AmountMinorUnits) -> [VoucherLine] {
        let intercompany = LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ)
        let own = LedgerAccounts.subject(branch, kind.branchSubject)
        return kind.isDeposit ? pair(debit: own, credit: intercompany, amount) : pair(debit: intercompany, credit: own, amount)
    }

    /// A contract ends (a deposit paid back, a loan repaid): the reverse of its start, on both sides, debit line first.
    public static func contractEndAtHub(hub: OrgCode, branch: OrgCode, kind: ContractKind, _ amount: AmountMinorUnits) -> [VoucherLine] {
        swapped(contractStartAtHub(hub: hub, branch: branch, kind: kind, amount))
    }

    public static func contractEndAtBranch(branch: OrgCode, kind: ContractKind, _ amount: AmountMinorUnits) -> [VoucherLine] {
        swapped(contractStartAtBranch(branch: branch, kind: kind, amount))
    }

    /// A two-line entry the other way round: Dr what was credited / Cr what was debited.
    static func swapped(_ lines: [VoucherLine]) -> [VoucherLine] {
        pair(debit: lines[1].account, credit: lines[0].account, lines[0].amount)
    }
}

/// The D4 internal transactions beyond sweeps and allocations (3/6 item 7): costs the centre shares out to a branch
/// (费用分摊) and expenses a branch pays on the centre's behalf (代垫费用). Both go through the HQ intercompany pair,
/// so 2242.02.B keeps mirroring B's 3001.01.
extension JournalEntries {
    /// Hub, sharing a cost out to branch B: Dr 2242.02.B / Cr the hub's expense subject (the cost leaves the centre).
    public static func costAllocationAtHub(hub: OrgCode, branch: OrgCode, hubExpense: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.hubIntercompany(hub: hub, branch: branch), credit: hubExpense, amount)
    }

    /// Branch B's side of a shared cost, proposed by the hub and booked only when B accepts it: Dr B's expense subject /
    /// Cr Intercompany–HQ.
    public static func costAllocationAtBranch(branch: OrgCode, branchExpense: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: branchExpense, credit: LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ), amount)
    }

    /// Branch B pays an expense of the centre from its bank: Dr Intercompany–HQ / Cr the bank account.
    public static func expenseOnBehalfAtBranch(branch: OrgCode, bankAccount: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: LedgerAccounts.subject(branch, LedgerAccounts.intercompanyHQ), credit: bankAccount, amount)
    }

    /// The hub's side of an expense B paid for it: Dr the hub's expense subject / Cr 2242.02.B (the centre owes B).
    public static func expenseOnBehalfAtHub(hub: OrgCode, branch: OrgCode, hubExpense: String, _ amount: AmountMinorUnits) -> [VoucherLine] {
        pair(debit: hubExpense, credit: LedgerAccounts.hubIntercompany(hub: hub, branch: branch), amount)
    }

    /// The lines of a slip's `issuer_entries` / `receiver_entries` field, or `nil` when it does not read as lines.
    public static func lines(of entries: FieldValue?) -> [VoucherLine]? {
        guard let list = entries?.listValue else { return nil }
        var lines: [VoucherLine] = []
        for item in list {
            guard let record = item.recordValue, let account = record["account"]?.textValue,
                  let side = record["side"]?.textValue.flatMap(EntrySide.init(rawValue:)),
                  let amount = record["amount"]?.integerValue, amount > 0 else { return nil }
            lines.append(VoucherLine(account: account, side: side, amount: AmountMinorUnits(amount)))
        }
        return lines
    }
}
