import ArgumentParser
import Foundation
import LedgerCore
import NodeAgent
import ReplicaStore

/// Opens the data folder as a node, or explains that the command is for a node.
func openNode(_ data: DataOption, _ what: String) throws -> Node {
    guard case .node(let node) = try Office.open(data.data) else { throw CLIError("\(what) at a node, not at the hub") }
    return node
}

struct BankAdvice: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bank-advice",
        abstract: "Record a bank advice in the bank journal (a receipt naming an allocation slip also clears it).",
        discussion: """
            Examples:
              fundsync bank-advice --data county --account 6217000012345678901 --date 2026-12-03 --receipt --amount 12500.00 \\
                  --advice RCV202612030004 --counterparty "Feidong Market Supervision Bureau" --memo "administrative fees" \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync bank-advice --data county --account 6217000012345678901 --date 2026-12-05 --receipt --amount 200000.00 \\
                  --advice RCV202612050011 --counterparty 340000 --slip 340000-S2026-000001 --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync bank-advice --data county --account 6217000012345678901 --date 2026-12-07 --payment --amount 35.00 \\
                  --advice PAY202612070002 --memo "transfer fees" --preparer 340122-wangfang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The bank account.") var account: String
    @Option(help: "Business date.") var date: BusinessDate
    @Flag(help: "Money in or money out.") var direction: Direction
    @Option(help: "Amount in yuan.") var amount: Money
    @Option(help: "The bank's advice number.") var advice: String
    @Option(help: "Who paid or was paid.") var counterparty: String?
    @Option(help: "A note.") var memo: String?
    @Option(help: "The allocation slip this receipt pays.") var slip: String?
    @OptionGroup var signatures: SignatureOptions

    enum Direction: String, EnumerableFlag { case receipt, payment }

    func run() throws {
        let node = try openNode(data, "bank advices are recorded")
        let id = try node.recordBankAdvice(account: account, date: date, direction: direction == .receipt ? .receipt : .payment,
                                           amount: amount.amount, advice: advice, counterparty: counterparty, memo: memo, slip: slip,
                                           signatures: signatures.signatures)
        print("bank journal \(id): \(direction.rawValue) of \(amount.amount) on \(account)" + (slip.map { ", slip \($0) cleared" } ?? ""))
    }
}

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sweep an income account up to HQ: bank journal, slip to the hub, voucher Dr Intercompany–HQ / Cr Bank.",
        discussion: """
            Examples:
              fundsync sweep --data county --account 6217000012345678901 --date 2026-12-04 --advice PAY202612040007 \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync sweep --data county --account 6217000012345678901 --date 2026-12-04 --amount 12500.00 --advice PAY202612040008 \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The income bank account swept.") var account: String
    @Option(help: "Business date.") var date: BusinessDate
    @Option(help: "Amount in yuan; default: the balance above the sweep plan's retained balance.") var amount: Money?
    @Option(help: "The bank's payment advice number.") var advice: String
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "sweeps are made")
        let result = try node.sweep(account: account, date: date, amount: amount?.amount, advice: advice, signatures: signatures.signatures)
        print("swept \(result.amount) from \(account); slip \(result.slip) is in transit to the hub")
    }
}

struct Confirm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Confirm this unit's books through a day (多级对账确认): a county before its city; the hub's close needs every unit's.",
        discussion: """
            Signed by a preparer, a reviewer and the unit's head (--approver, post unit_head). It states the unit's intercompany \
            balance with HQ and the total of its bank accounts; the hub accepts it only if its copy of the books agrees.

            Example:
              fundsync confirm --data county --through 2026-12-31 --date 2026-12-31 --preparer 340122-wangfang \\
                  --reviewer 340122-liuyang --approver 340122-zhaolei
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The last day confirmed (e.g. the month's end).") var through: BusinessDate
    @Option(help: "The day of the confirmation.") var date: BusinessDate
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "the books are confirmed")
        let result = try node.confirmBooks(through: through, date: date, signatures: signatures.signatures)
        print("confirmation \(result.id): books through \(through) — intercompany with HQ \(result.intercompany), bank accounts \(result.bankTotal); "
              + "goes to the hub with the next export")
    }
}

struct ReportBalances: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report-balances",
        abstract: "Report the day's balance of bank accounts as the bank shows it; an account without the bank's figure stays not reported.",
        discussion: """
            Example:
              fundsync report-balances --data county --date 2026-12-04 --balance 6217000012345678901=20000.00 \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Business date.") var date: BusinessDate
    @Option(name: .customLong("balance"), help: "ACCOUNT=AMOUNT as the bank shows it (repeat).") var balances: [Pair] = []
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "balances are reported")
        let reported = try moneyPairs(balances, what: "--balance")
        let ids = try node.reportBalances(date: date, reported: reported, signatures: signatures.signatures)
        print("\(ids.count) balance report(s) for \(date)")
        let missing = try node.store.read { try $0.accounts(of: node.org) }.filter { $0.kind == .bank && $0.status != .closed && reported[$0.id] == nil }
        if !missing.isEmpty { print("not reported (no bank figure given): \(missing.map(\.id).joined(separator: ", "))") }
    }
}

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Submit a two-week fund-need forecast by category.",
        discussion: """
            Example:
              fundsync forecast --data county --period 2026-12-H2 --date 2026-12-11 --amount personnel=512000.00 \\
                  --amount office=86400.00 --amount benefits=318000.00 --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The half month forecast, e.g. 2026-11-H2.") var period: String
    @Option(help: "Business date of submission.") var date: BusinessDate
    @Option(name: .customLong("amount"), help: "CATEGORY=AMOUNT in yuan (repeat), e.g. claims=120000.00.") var amounts: [Pair]
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "forecasts are submitted")
        let id = try node.submitForecast(period: period, date: date, amounts: moneyPairs(amounts, what: "--amount"),
                                         signatures: signatures.signatures)
        print("forecast \(id) submitted")
    }
}

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a special fund application; with a local --approver within the approval table's tier it is approved here.",
        discussion: """
            Examples:
              fundsync apply --data county --category business --amount 2000000.00 --reason "Emergency relief payments after the flood" \\
                  --date 2026-12-04 --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync apply --data county --category administrative --amount 80000.00 --reason "Repair of the archive roof" \\
                  --date 2026-12-07 --preparer 340122-wangfang --reviewer 340122-liuyang --approver 340122-zhaolei
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Expense category of the approval table, e.g. business or administrative.") var category: String
    @Option(help: "Amount in yuan.") var amount: Money
    @Option(help: "Why the funds are needed.") var reason: String
    @Option(help: "Business date.") var date: BusinessDate
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "applications are made")
        let result = try node.submitApplication(category: category, amount: amount.amount, reason: reason, date: date,
                                                signatures: signatures.signatures)
        print("application \(result.id) \(result.state)" + (result.state == "submitted" ? ": it waits for the hub's approval" : ""))
    }
}

struct RequestAccount: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "request-account",
        abstract: "Ask the hub to open, change or close a bank account (pending until the hub decides).",
        discussion: """
            Examples:
              fundsync request-account --data county --action open --account 6217000012345678919 --date 2026-12-07 \\
                  --detail "name=ICBC Feidong Sub-branch flood-control special account" --detail purpose=expense --detail class=special \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync request-account --data county --action close --account 6217000012345678901 --date 2026-12-28 \\
                  --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "open, change or close.") var action: String
    @Option(help: "The bank account number.") var account: String
    @Option(help: "Business date.") var date: BusinessDate
    @Option(name: .customLong("detail"), help: "NAME=VALUE: name, bank, purpose, class, retained_balance, max_deposit (repeat).") var details: [Pair] = []
    @OptionGroup var signatures: SignatureOptions

    func run() throws {
        let node = try openNode(data, "account requests are made")
        let id = try node.requestAccount(action: action, account: account, details: Dictionary(details.map { ($0.name, $0.value) }) { $1 },
                                         date: date, signatures: signatures.signatures)
        print("account request \(id) pending at the hub")
    }
}

struct Pay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enter a payment (level 1); the hub's cashier or supervisor releases it.",
        discussion: """
            Examples:
              fundsync pay --data county --from 6217000012345678901 --payee "Hefei Xinhua Office Supplies Co., Ltd." \\
                  --payee-account 6222021302001234567 --amount 68400.00 --date 2026-12-09 --purpose "Office supplies" \\
                  --expense 340122:6602 --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync pay --data county --from 6217000012345678901 --payee "Wang Wei" --payee-kind individual \\
                  --payee-account 6222021302007654321 --amount 60000.00 --basis "contract FD-2026-118" --date 2026-12-10 \\
                  --purpose "Flood damage survey" --expense 340122:6602 --preparer 340122-wangfang --reviewer 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(name: .customLong("from"), help: "The bank account paid from.") var account: String
    @Option(help: "Payee name.") var payee: String
    @Option(name: .customLong("payee-account"), help: "Payee's bank account.") var payeeAccount: String
    @Option(help: "Amount in yuan.") var amount: Money
    @Option(help: "Business date.") var date: BusinessDate
    @Option(help: "What it pays for.") var purpose: String
    @Option(help: "The expense subject debited when it is paid (one of this unit's expense subjects, e.g. ORG:6602).") var expense: String
    @Option(name: .customLong("payee-kind"), help: "organisation or individual (a payment of more than 50000.00 to an individual needs --basis).")
    var payeeKind: String = PayeeKind.organisation.rawValue
    @Option(help: "The document the payment rests on (contract, invoice, decision number).") var basis: String?
    @OptionGroup var signatures: SignatureOptions

    func validate() throws {
        guard PayeeKind(rawValue: payeeKind) != nil else { throw ValidationError("--payee-kind must be organisation or individual") }
    }

    func run() throws {
        let node = try openNode(data, "payments are entered")
        let id = try node.enterPayment(account: account, payee: payee, payeeAccount: payeeAccount, amount: amount.amount, date: date,
                                       purpose: purpose, expenseAccount: expense, signatures: signatures.signatures,
                                       payeeKind: PayeeKind(rawValue: payeeKind) ?? .organisation, basis: basis)
        print("payment \(id) entered; it waits for release at the hub")
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Withdraw an application, account request or payment of this office.",
        discussion: """
            Examples:
              fundsync withdraw --data county --kind application --id 340122-A000001 --by 340122-wangfang --reason "covered by the budget reserve"
              fundsync withdraw --data county --kind payment --id 340122-P000002 --by 340122-liuyang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "application, account_request or payment.") var kind: String
    @Option(help: "The document id.") var id: String
    @Option(help: "Who withdraws it.") var by: String
    @Option(help: "Why.") var reason: String?

    func run() throws {
        guard let document = StatefulDocument(rawValue: kind) else { throw CLIError("--kind must be application, account_request or payment") }
        try openNode(data, "documents are withdrawn").withdraw(document, id, actor: by, reason: reason)
        print("\(kind) \(id) withdrawn")
    }
}
