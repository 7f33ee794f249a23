import ArgumentParser
import HubCore
import LedgerCore
import NodeAgent

/// `hub allocate-cost`: share a cost of the centre out to a branch, as a proposal the branch accepts or returns (费用分摊).
struct HubAllocateCost: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allocate-cost",
        abstract: "Share a cost of the centre out to a branch: the hub's side is booked, the branch's is proposed on the slip until it accepts.",
        discussion: """
            Example:
              fundsync hub allocate-cost --data hub --branch 340122 --amount 12500.00 --hub-expense 340000:6602 \\
                  --branch-expense 340122:6602 --date 2026-12-15 --memo "Share of the 2026 audit fee" \\
                  --preparer 340000-xuhui --reviewer 340000-sunli
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The branch (org code).") var branch: String
    @Option(help: "The amount in yuan.") var amount: Money
    @Option(name: .customLong("hub-expense"), help: "The hub's expense subject the cost was booked to, e.g. 340000:6602.") var hubExpense: String
    @Option(name: .customLong("branch-expense"), help: "The branch's expense subject proposed, e.g. 340122:6602.") var branchExpense: String
    @Option(help: "The date.") var date: BusinessDate
    @Option(help: "What the cost is (the documents travel with the slip).") var memo: String
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        guard let org = OrgCode(branch) else { throw ValidationError("'\(branch)' is not an org code") }
        let slip = try openHub(data).allocateCost(branch: org, amount: amount.amount, hubExpense: hubExpense, branchExpense: branchExpense,
                                                  date: date, memo: memo, signatures: signatures.signatures)
        print("cost allocation slip \(slip) of \(amount.amount) to \(org): proposed; \(org) accepts or returns it")
    }
}

/// `hub reissue-slip`: re-issue a cost allocation a branch returned, corrected.
struct HubReissueSlip: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reissue-slip",
        abstract: "Re-issue a cost allocation slip the branch returned: the old entry is reversed, a corrected slip goes down naming it.",
        discussion: """
            Example:
              fundsync hub reissue-slip --data hub --slip 340000-S2026-000007 --amount 11800.00 --date 2026-12-18 \\
                  --memo "amount corrected to the invoice" --preparer 340000-xuhui --reviewer 340000-sunli
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The returned slip.") var slip: String
    @Option(help: "The corrected amount in yuan.") var amount: Money
    @Option(name: .customLong("branch-expense"), help: "A corrected expense subject of the branch (default: the old one).") var branchExpense: String?
    @Option(help: "The date.") var date: BusinessDate
    @Option(help: "What was corrected.") var memo: String
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let new = try openHub(data).reissueCostAllocation(slip, amount: amount.amount, branchExpense: branchExpense, date: date, memo: memo,
                                                          signatures: signatures.signatures)
        print("slip \(slip) reversed at the hub; re-issued as \(new) for \(amount.amount)")
    }
}

/// `slip accept|return` at a node: the unit's decision on a cost the centre shared out to it.
struct SlipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slip",
        abstract: "Accept (book) or return a cost allocation slip the centre proposed to this unit.", subcommands: [Accept.self, Return.self])

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book the slip's proposed entries after checking it against its documents.",
            discussion: """
                Example:
                  fundsync slip accept 340000-S2026-000007 --data county --preparer 340122-wangfang --reviewer 340122-liuyang
                """)
        @OptionGroup var data: DataOption
        @Argument(help: "The slip.") var slip: String
        @Option(help: "The booking date (default: the slip's date).") var date: BusinessDate?
        @OptionGroup var signatures: SignatureOptions
        func run() throws {
            let node = try openNode(data, "the slip is accepted")
            let voucher = try node.acceptSlip(slip, date: date, signatures: signatures.signatures)
            print("slip \(slip) accepted: voucher \(voucher)")
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return the slip to the centre with the reason; it re-issues a corrected one.",
            discussion: """
                Example:
                  fundsync slip return 340000-S2026-000007 --data county --reason "the invoice is for 11800.00" --date 2026-12-16 \\
                      --preparer 340122-wangfang --reviewer 340122-liuyang
                """)
        @OptionGroup var data: DataOption
        @Argument(help: "The slip.") var slip: String
        @Option(help: "Why (the amount, the subject, a missing document).") var reason: String
        @Option(help: "The date.") var date: BusinessDate
        @OptionGroup var signatures: SignatureOptions
        func run() throws {
            let node = try openNode(data, "the slip is returned")
            let returned = try node.returnSlip(slip, reason: reason, date: date, signatures: signatures.signatures)
            print("slip \(slip) returned to the centre (\(returned)); it goes with the next export")
        }
    }
}

/// `pay-on-behalf` at a node: an expense of the centre paid from this unit's bank (代垫费用).
struct PayOnBehalf: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pay-on-behalf",
        abstract: "Pay an expense of the centre from this unit's bank: Dr 3001.01 / Cr the bank here, and a slip the hub books.",
        discussion: """
            Example:
              fundsync pay-on-behalf --data county --from 6217000012345678901 --amount 3200.00 --hub-expense 340000:6602 \\
                  --date 2026-12-09 --advice PAY202612090004 --memo "Venue for the fund centre's training day" \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(name: .customLong("from"), help: "The paying bank account.") var account: String
    @Option(help: "The amount in yuan.") var amount: Money
    @Option(name: .customLong("hub-expense"), help: "The centre's expense subject, e.g. 340000:6602.") var hubExpense: String
    @Option(help: "The date.") var date: BusinessDate
    @Option(help: "The bank's payment reference.") var advice: String
    @Option(help: "What was paid.") var memo: String
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "the expense is paid")
        let slip = try node.payOnBehalf(account: account, amount: amount.amount, hubExpense: hubExpense, date: date, advice: advice, memo: memo,
                                        signatures: signatures.signatures)
        print("paid \(amount.amount) on the centre's behalf from \(account); slip \(slip) goes to the hub with the next export")
    }
}

/// `hub transfer`: a branch-to-branch allocation order, paid from the source branch's account (D4 §2.5).
struct HubTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer",
        abstract: "Prepare a branch-to-branch allocation order from a branch's account to another branch; approved and paid like any order.",
        discussion: """
            Example:
              fundsync hub transfer --data hub --from-account 6217000012345678901 --to 340121 --amount 150000.00 --date 2026-12-10 \\
                  --preparer 340000-xuhui
            """)
    @OptionGroup var data: DataOption
    @Option(name: .customLong("from-account"), help: "The source branch's bank account (its expense account).") var account: String
    @Option(help: "The receiving branch (org code).") var to: String
    @Option(help: "The amount in yuan.") var amount: Money
    @Option(help: "The date.") var date: BusinessDate
    @Option(help: "The preparing fund manager (staff id).") var preparer: String

    func run() throws {
        guard let branch = OrgCode(to) else { throw ValidationError("'\(to)' is not an org code") }
        let order = try openHub(data).prepareTransfer(from: account, to: branch, amount: amount.amount, date: date, preparer: preparer)
        print("transfer order \(order): \(amount.amount) from \(account) to \(branch); approve it, then a cashier pays it")
    }
}
