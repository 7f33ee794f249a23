import LedgerCore
import ReplicaStore

/// What a deposit's maturity or a loan's repayment (or a periodic loan-interest charge) posted.
public struct ContractSettlement: Equatable, Sendable, Codable {
    public var contract: String
    public var branch: String
    public var kind: String
    /// The principal moved back (0 when a deposit is renewed or only interest was charged).
    public var principalMinorUnits: Int64
    /// Interest at the contract rate: paid to the branch for a deposit, charged to it for a loan.
    public var interestMinorUnits: Int64
    /// A loan's interest at the overdue (penalty) rate, for the days from its maturity on.
    public var penaltyMinorUnits: Int64
    /// The days the interest counts (for a renewed chain: the whole chain's days).
    public var days: Int
    public var rate: String
    public var dayCount: String
    public var vouchers: [String]
    public var slips: [String]
    public var renewedAs: String?
}

/// A contract as the fund centre's position report shows it on a day.
public struct ContractPosition: Equatable, Sendable, Codable {
    public var contract: String
    public var branch: String
    public var kind: String
    public var principalMinorUnits: Int64
    public var rate: String
    public var dayCount: String
    public var start: String
    public var maturity: String
    public var state: String
    /// A deposit's interest earned and not yet paid; a loan's interest due and not yet charged.
    public var accruedMinorUnits: Int64
    public var overdue: Bool
}

extension Hub {
    /// Places a branch's fixed deposit with the centre (3/6 item 3): its current deposit becomes a fixed one, at the
    /// rate in force today for the term, fixed until maturity. Hub: Dr 2242.02.B / Cr 2242.03.B (2242.04.B for a
    /// special fixed deposit); the branch books Dr 1031 / Cr 3001.01 from the slip.
    /// - Throws: `TreasuryError` when the branch's current deposit does not cover it (no fixed deposit out of an
    ///   overdraft), no rate is registered for the term, or the signers are not the centre's staff.
    @discardableResult
    public func placeFixedDeposit(branch: OrgCode, amount: AmountMinorUnits, term: ContractTerm, special: Bool = false,
                                  date: BusinessDate, signatures: DocumentSignatures) throws -> InternalContract {
        guard let rateKind = RateKind.fixedDeposit(months: term.months) else {
            throw TreasuryError(.invalidValue, "the centre offers fixed deposits of 3m, 6m, 1y, 2y or 3y, not \(term)")
        }
        return try startContract(kind: special ? .specialFixedDeposit : .fixedDeposit, rateKind: rateKind, branch: branch,
                                 amount: amount, term: term, date: date, signatures: signatures)
    }

    /// Lends to a branch (3/6 item 3): 1013.B for a term of a year or less, 1533.B beyond, at the loan rate in force
    /// today, fixed for the term. Hub: Dr 1013.B / Cr 2242.02.B (into its current deposit); the branch books
    /// Dr 3001.01 / Cr 2001.01 (2501.01). A loan is the fund-centre manager's decision: `signatures.approver`.
    @discardableResult
    public func drawLoan(branch: OrgCode, amount: AmountMinorUnits, term: ContractTerm, date: BusinessDate,
                         signatures: DocumentSignatures) throws -> InternalContract {
        let kind: ContractKind = term.months <= 12 ? .shortLoan : .longLoan
        return try startContract(kind: kind, rateKind: kind == .shortLoan ? .shortLoan : .longLoan, branch: branch,
                                 amount: amount, term: term, date: date, signatures: signatures)
    }

    func startContract(kind: ContractKind, rateKind: RateKind, branch: OrgCode, amount: AmountMinorUnits, term: ContractTerm,
                       date: BusinessDate, signatures: DocumentSignatures) throws -> InternalContract {
        guard amount.value > 0 else { throw TreasuryError(.invalidValue, "the principal must be more than zero") }
        try signatures.validate(requireReviewer: true)
        return try write { transaction, books in
            try transaction.periodLock().check(date)
            try requireContractSigners(signatures, loan: !kind.isDeposit, in: transaction)
            let current = try currentDeposit(of: branch, in: transaction)
            guard let rate = try transaction.rateTable().rate(rateKind, on: date) else {
                throw TreasuryError(.invalidValue, "no \(rateKind.rawValue) rate is registered in force on \(date) ('hub rate')")
            }
            if kind.isDeposit {
                // Cash control: a fixed deposit is placed out of money the branch has at the centre, never out of an
                // overdraft (its current deposit is a credit balance: −book balance).
                let held = try transaction.bookBalance(current, through: date)
                try CashControls.checkAvailable(current, amount: amount, available: AmountMinorUnits(held.value == .min ? 0 : -held.value))
            }
            let id = "\(org.rawValue)-C\(date.year)-\(HubBooks.pad(try transaction.nextSequence("contract.\(date.year)")))"
            let contract = InternalContract(id: id, kind: kind, branch: branch, principal: amount, term: term, rateKind: rateKind,
                                            rate: rate.rate, dayCount: rate.dayCount, start: date, signatures: signatures)
            try ensureContractAccount(kind, branch: branch, in: transaction)
            try transaction.writeContract(contract, inserting: true)
            let lines = JournalEntries.contractStartAtHub(hub: org, branch: branch, kind: kind, amount)
            _ = try books.post(lines, date: date, memo: "\(kind.rawValue) \(id) \(term) at \(rate.rate) (\(rate.dayCount.name))",
                                         source: "contract:\(id):start", signatures: signatures)
            try sendContractSlip(kind.isDeposit ? "deposit_placed" : "loan_drawn", contract: contract, amount: amount, date: date,
                                 memo: "\(kind.chineseName) \(id), \(term), \(rate.rate) \(rate.dayCount.name), matures \(contract.maturity)",
                                 hubLines: lines, branchLines: JournalEntries.contractStartAtBranch(branch: branch, kind: kind, amount),
                                 signatures: signatures, in: transaction)
            return contract
        }
    }

    /// Pays a fixed deposit back at maturity with its interest, or renews it for the same term (principal only: the
    /// interest is paid out either way). Interest runs from placement to the maturity date at the rate fixed then; a
    /// renewal at an unchanged rate continues the chain (`InternalContract`). Hub: interest Dr 6411 / Cr 2242.02.B,
    /// and unless renewed Dr 2242.03.B / Cr 2242.02.B; each sent down as a slip.
    /// - Throws: before the maturity date (no early withdrawal, DOMAIN.md §2.3), or when the contract is not an active deposit.
    @discardableResult
    public func matureDeposit(_ id: String, date: BusinessDate, renew: Bool, signatures: DocumentSignatures) throws -> ContractSettlement {
        try signatures.validate(requireReviewer: true)
        return try write { transaction, books in
            try transaction.periodLock().check(date)
            try requireContractSigners(signatures, loan: false, in: transaction)
            guard var contract = try transaction.contract(id), contract.kind.isDeposit else {
                throw TreasuryError(.notFound, "\(id) is not a fixed deposit at the centre")
            }
            guard contract.state == .active else { throw TreasuryError(.alreadyDone, "fixed deposit \(id) is already \(contract.state.rawValue)") }
            guard date >= contract.maturity else {
                throw TreasuryError(.wrongState, "fixed deposit \(id) matures on \(contract.maturity): no withdrawal before maturity")
            }
            let interest = try contract.depositInterestAtMaturity()
            var settlement = ContractSettlement(contract: id, branch: contract.branch.rawValue, kind: contract.kind.rawValue,
                                                principalMinorUnits: renew ? 0 : contract.principal.value, interestMinorUnits: interest.value,
                                                penaltyMinorUnits: 0, days: contract.chainStart.days(until: contract.maturity),
                                                rate: contract.rate.description, dayCount: contract.dayCount.name, vouchers: [], slips: [])
            if interest.value > 0 {
                let (voucher, slip) = try postContractInterest(contract, interest, payable: true, date: date,
                                                               memo: "fixed deposit \(id) interest \(contract.chainStart)…\(contract.maturity), "
                                                                   + "\(contract.rate) \(contract.dayCount.name)",
                                                               signatures: signatures, books: books, transaction: transaction)
                settlement.vouchers.append(voucher)
                settlement.slips.append(slip)
            }
            if renew {
                guard let rate = try transaction.rateTable().rate(contract.rateKind, on: contract.maturity) else {
                    throw TreasuryError(.invalidValue, "no \(contract.rateKind.rawValue) rate is in force on \(contract.maturity) to renew at")
                }
                // The chain goes on while the rate and convention stay; a new rate starts a new chain.
                let continues = rate.rate == contract.rate && rate.dayCount == contract.dayCount
                let successorID = "\(org.rawValue)-C\(date.year)-\(HubBooks.pad(try transaction.nextSequence("contract.\(date.year)")))"
                let successor = InternalContract(id: successorID, kind: contract.kind, branch: contract.branch, principal: contract.principal,
                                                 term: contract.term, rateKind: contract.rateKind, rate: rate.rate, dayCount: rate.dayCount,
                                                 start: contract.maturity, chainStart: continues ? contract.chainStart : contract.maturity,
                                                 chainPaid: continues ? try contract.chainPaid.adding(interest) : .zero, signatures: signatures)
                try transaction.writeContract(successor, inserting: true)
                contract.state = .renewed
                contract.renewedAs = successorID
                settlement.renewedAs = successorID
            } else {
                let (voucher, slip) = try endContract(contract, slipKind: "deposit_returned", memo: "paid back at maturity", date: date,
                                                      signatures: signatures, books: books, transaction: transaction)
                settlement.vouchers.append(voucher)
                settlement.slips.append(slip)
                contract.state = .matured
            }
            contract.closed = date
            try transaction.writeContract(contract, inserting: false)
            return settlement
        }
    }

    /// Repays a loan with its interest to the day before `date` (利随本清): at the contract rate to maturity, at the
    /// overdue rate in force at maturity after it. Both come out of the branch's current deposit, which must cover
    /// them. Hub: Dr 2242.02.B / Cr 1013.B and Dr 2242.02.B / Cr 6011; each sent down as a slip.
    @discardableResult
    public func repayLoan(_ id: String, date: BusinessDate, signatures: DocumentSignatures) throws -> ContractSettlement {
        try signatures.validate(requireReviewer: true)
        return try write { transaction, books in
            try transaction.periodLock().check(date)
            try requireContractSigners(signatures, loan: false, in: transaction)
            guard var contract = try transaction.contract(id), !contract.kind.isDeposit else { throw TreasuryError(.notFound, "\(id) is not an internal loan") }
            guard contract.state == .active else { throw TreasuryError(.alreadyDone, "loan \(id) is already \(contract.state.rawValue)") }
            guard date >= contract.interestFrom else {
                throw TreasuryError(.invalidValue, "loan \(id) has interest settled up to \(contract.interestFrom); it cannot be repaid before")
            }
            var settlement = try chargeLoanInterest(&contract, until: date, postingDate: date, signatures: signatures, books: books, transaction: transaction,
                                                    checkFunds: true)
            let (voucher, slip) = try endContract(contract, slipKind: "loan_repaid", memo: "repaid", date: date, signatures: signatures,
                                                  books: books, transaction: transaction)
            settlement.principalMinorUnits = contract.principal.value
            settlement.vouchers.append(voucher)
            settlement.slips.append(slip)
            contract.state = .repaid
            contract.closed = date
            try transaction.writeContract(contract, inserting: false)
            return settlement
        }
    }

    /// Charges a loan's interest from `interestFrom` up to, not including, `end`, and moves `interestFrom` to `end`.
    /// Nothing is posted for a stretch of no days. With `checkFunds`, the branch's current deposit must cover the
    /// interest and principal (a repayment is a decision, so the cash control refuses it).
    func chargeLoanInterest(_ contract: inout InternalContract, until end: BusinessDate, postingDate: BusinessDate, signatures: DocumentSignatures, books: HubBooks,
                            transaction: ReplicaTransaction, checkFunds: Bool) throws -> ContractSettlement {
        let penaltyRate = try transaction.rateTable().rate(.overduePenalty, on: contract.maturity)
        let (normal, penalty) = try contract.loanInterest(until: end, penalty: penaltyRate)
        let total = try normal.adding(penalty)
        var settlement = ContractSettlement(contract: contract.id, branch: contract.branch.rawValue, kind: contract.kind.rawValue,
                                            principalMinorUnits: 0, interestMinorUnits: normal.value, penaltyMinorUnits: penalty.value,
                                            days: max(0, contract.interestFrom.days(until: end)), rate: contract.rate.description,
                                            dayCount: contract.dayCount.name, vouchers: [], slips: [])
        if checkFunds {
            let current = try currentDeposit(of: contract.branch, in: transaction)
            let held = try transaction.bookBalance(current, through: end)
            try CashControls.checkAvailable(current, amount: try total.adding(contract.principal),
                                            available: AmountMinorUnits(held.value == .min ? 0 : -held.value))
        }
        if total.value > 0 {
            var memo = "loan \(contract.id) interest \(contract.interestFrom)…\(BusinessDate.fromDaysSinceEpoch(end.daysSinceEpoch - 1)) at \(contract.rate)"
            if penalty.value > 0 { memo += ", of which \(penalty) overdue from \(contract.maturity) at \(penaltyRate?.rate.description ?? "")" }
            let (voucher, slip) = try postContractInterest(contract, total, payable: false, date: postingDate, memo: memo, signatures: signatures,
                                                           books: books, transaction: transaction)
            settlement.vouchers.append(voucher)
            settlement.slips.append(slip)
        }
        contract.interestFrom = max(contract.interestFrom, end)
        return settlement
    }

    /// The loans' interest in a periodic settlement (`hub interest`): each active loan is charged from where its last
    /// charge stopped through `through`, so running the settlement twice charges nothing twice.
    func settleLoanInterest(through: BusinessDate, postingDate: BusinessDate, signatures: DocumentSignatures, books: HubBooks,
                            transaction: ReplicaTransaction) throws -> [ContractSettlement] {
        let end = BusinessDate.fromDaysSinceEpoch(through.daysSinceEpoch + 1)
        var settlements: [ContractSettlement] = []
        for var contract in try transaction.contracts(activeOnly: true) where !contract.kind.isDeposit && contract.interestFrom < end {
            let settlement = try chargeLoanInterest(&contract, until: end, postingDate: postingDate, signatures: signatures, books: books, transaction: transaction,
                                                    checkFunds: false)
            try transaction.writeContract(contract, inserting: false)
            if !settlement.vouchers.isEmpty { settlements.append(settlement) }
        }
        return settlements
    }

    /// The centre's deposits and loans on `date`, with interest accrued and not yet paid or charged.
    public func contractPositions(asOf date: BusinessDate, branch: OrgCode? = nil) throws -> [ContractPosition] {
        try store.read { reader in
            let penalty = try reader.rateTable()
            return try reader.contracts(branch: branch, activeOnly: false).map { contract in
                var accrued = AmountMinorUnits.zero
                if contract.state == .active {
                    if contract.kind.isDeposit {
                        accrued = try contract.depositAccrued(through: date)
                    } else {
                        let end = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch + 1)
                        let (normal, late) = try contract.loanInterest(until: end, penalty: penalty.rate(.overduePenalty, on: contract.maturity))
                        accrued = try normal.adding(late)
                    }
                }
                return ContractPosition(contract: contract.id, branch: contract.branch.rawValue, kind: contract.kind.rawValue,
                                        principalMinorUnits: contract.principal.value, rate: contract.rate.description,
                                        dayCount: contract.dayCount.name, start: contract.start.description,
                                        maturity: contract.maturity.description, state: contract.state.rawValue,
                                        accruedMinorUnits: accrued.value, overdue: contract.isOverdue(on: date))
            }
        }
    }

    // MARK: - Shared steps

    /// The principal goes back (a deposit paid back, a loan repaid): the hub's voucher with source `contract:<id>:end`
    /// and the slip that makes the branch book its side.
    func endContract(_ contract: InternalContract, slipKind: String, memo: String, date: BusinessDate, signatures: DocumentSignatures,
                     books: HubBooks, transaction: ReplicaTransaction) throws -> (voucher: String, slip: String) {
        let hubLines = JournalEntries.contractEndAtHub(hub: org, branch: contract.branch, kind: contract.kind, contract.principal)
        let voucher = try books.post(hubLines, date: date, memo: "\(contract.kind.rawValue) \(contract.id) \(memo)", source: "contract:\(contract.id):end",
                                     signatures: signatures)
        let slip = try sendContractSlip(slipKind, contract: contract, amount: contract.principal, date: date,
                                        memo: "\(contract.kind.chineseName) \(contract.id) \(memo)", hubLines: hubLines,
                                        branchLines: JournalEntries.contractEndAtBranch(branch: contract.branch, kind: contract.kind, contract.principal),
                                        signatures: signatures, in: transaction)
        return (voucher.id, slip)
    }

    /// The preparer and reviewer are the centre's registered staff; a loan's approver is the fund-centre manager (or
    /// a post of higher approval rank).
    func requireContractSigners(_ signatures: DocumentSignatures, loan: Bool, in transaction: ReplicaTransaction) throws {
        for signer in [signatures.preparer, signatures.reviewer].compactMap({ $0 }) {
            guard let member = try transaction.staffMember(signer), member.org == org else {
                throw TreasuryError(.notPermitted, "\(signer) is not registered staff of the hub")
            }
        }
        guard loan else { return }
        guard let approver = signatures.approver else {
            throw TreasuryError(.notPermitted, "a loan needs the approval of the fund-centre manager (--approver)")
        }
        try requireRole(approver, .fundCentreManager, in: transaction)
    }

    /// The branch's internal current deposit at the centre, which every contract moves money through.
    func currentDeposit(of branch: OrgCode, in transaction: ReplicaTransaction) throws -> String {
        let id = LedgerAccounts.hubIntercompany(hub: org, branch: branch)
        guard try transaction.account(id) != nil else {
            throw TreasuryError(.notFound, "\(branch) has no internal current deposit at the centre (is it enrolled?)")
        }
        return id
    }

    /// Opens, on a branch's first contract of a kind, the accounts both sides book it on: the hub's sub-account
    /// (`hub:2242.03.B`, `hub:1013.B` …) and the branch's own subject (`B:1031`, `B:2001.01`, `B:2501.01`). Written before
    /// the contract and its slip, they reach the branch first, so its slip books instead of staying `unbooked`.
    func ensureContractAccount(_ kind: ContractKind, branch: OrgCode, in transaction: ReplicaTransaction) throws {
        let hubSide = AccountRecord(id: LedgerAccounts.hubContract(hub: org, branch: branch, kind: kind), org: org, kind: .internal,
                                    code: "\(kind.hubSubject).\(branch)", name: "\(kind.chineseName) – \(branch)", currency: .cny, status: .active)
        let branchName = switch kind {
        case .fixedDeposit, .specialFixedDeposit: "存放资金中心定期存款 Fixed deposits at the fund centre"
        case .shortLoan: "短期借款—资金中心 Short-term borrowing from the fund centre"
        case .longLoan: "长期借款—资金中心 Long-term borrowing from the fund centre"
        }
        let branchSide = AccountRecord(id: LedgerAccounts.subject(branch, kind.branchSubject), org: branch, kind: .subject,
                                       code: kind.branchSubject, name: branchName, currency: .cny, status: .active)
        for record in [hubSide, branchSide] where try transaction.account(record.id) == nil {
            try transaction.appendLocal(table: .account, key: record.id, operation: .insert, fields: record.fields)
        }
    }

    func postContractInterest(_ contract: InternalContract, _ amount: AmountMinorUnits, payable: Bool, date: BusinessDate, memo: String,
                              signatures: DocumentSignatures, books: HubBooks, transaction: ReplicaTransaction) throws -> (String, String) {
        let lines = JournalEntries.interestAtHub(hub: org, branch: contract.branch, amount, payable: payable)
        let voucher = try books.post(lines, date: date, memo: memo, source: "contract:\(contract.id):interest:\(date)", signatures: signatures)
        let slip = try sendContractSlip(payable ? "interest_received" : "interest_charged", contract: contract, amount: amount, date: date,
                                        memo: memo, hubLines: lines,
                                        branchLines: JournalEntries.interestAtBranch(branch: contract.branch, amount, received: payable),
                                        signatures: signatures, in: transaction)
        return (voucher.id, slip)
    }

    @discardableResult
    func sendContractSlip(_ kind: String, contract: InternalContract, amount: AmountMinorUnits, date: BusinessDate, memo: String,
                          hubLines: [VoucherLine], branchLines: [VoucherLine], signatures: DocumentSignatures,
                          in transaction: ReplicaTransaction) throws -> String {
        let slip = "\(org.rawValue)-S\(date.year)-\(HubBooks.pad(try transaction.nextSequence("slip.\(date.year)")))"
        try transaction.appendLocal(table: .slip, key: slip, operation: .insert, businessDate: date.description, fields: [
            "kind": .text(kind), "issuer": .text(org.rawValue), "receiver": .text(contract.branch.rawValue), "date": .text(date.description),
            "amount": .integer(amount.value), "currency": .text("CNY"), "bank_account": .null, "bank_advice": .null, "memo": .text(memo),
            "related": .text(contract.id), "issuer_entries": Self.entries(hubLines), "receiver_entries": Self.entries(branchLines),
        ].merging(signatures.fields) { current, _ in current })
        try transaction.setSlipStatus(slip, "issued", date: date)
        return slip
    }
}
