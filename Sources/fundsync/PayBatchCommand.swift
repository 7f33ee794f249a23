import ArgumentParser
import BankPayments
import Foundation
import LedgerCore
import NodeAgent
import ReportWriters

/// `fundsync pay-batch`: a batch payment (代发) of salaries or reimbursements from a list (7/7 item 5).
struct PayBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay-batch",
        abstract: "Enter a batch payment (代发): many people paid from one account, from a CSV or xlsx list.",
        discussion: """
            The list's header names 姓名 (name), 账号 (account) and 金额 (amount, yuan), optionally 用途/备注 (memo); \
            other columns are ignored, and a 合计 row must equal the rows above it. CSV may be UTF-8 or GB18030/GBK. \
            Every problem is listed with its line and nothing is entered until the list is right. The payment is \
            released at the hub under the authority of its total, and the bank pays each person as one instruction; \
            the unit books what the bank paid, on the bank's booking date.

            Examples:
              fundsync pay-batch --data county --from 6217000012345678901 --list 2026-11-salaries.xlsx --date 2026-11-25 \\
                  --purpose "11月工资" --expense 340122:5101 --preparer 340122-wangfang --reviewer 340122-liuyang
              fundsync pay-batch --list 2026-11-salaries.csv --check
            """)
    @Option(help: "The office's data folder (not needed with --check).") var data: String?
    @Option(help: "The list: CSV or xlsx.") var list: String
    @Flag(help: "Only read and check the list, and print it; enter nothing.") var check = false
    @Option(name: .customLong("from"), help: "The bank account paid from.") var account: String?
    @Option(help: "Business date.") var date: BusinessDate?
    @Option(help: "What it pays for (11月工资, 差旅费报销).") var purpose: String?
    @Option(help: "The expense subject debited when it is paid (e.g. ORG:5101).") var expense: String?
    @Option(help: "The document the payment rests on; needed when one person is paid more than 50000.00.") var basis: String?
    @Option(help: "Who prepared it (填制人).") var preparer: String?
    @Option(help: "Who reviewed it (复核人); must differ from the preparer.") var reviewer: String?

    func run() throws {
        let recipients: [PaymentRecipient]
        do {
            recipients = try RecipientListReader.read(try Data(contentsOf: URL(fileURLWithPath: list)))
        } catch let error as RecipientListError {
            FileHandle.standardError.write(Data("\(list) cannot be paid as it is:\n\(error.description)\n".utf8))
            throw ExitCode(65)
        }
        let total = recipients.reduce(Int64(0)) { $0.addingReportingOverflow($1.amount.value).partialValue }
        print("\(list): \(recipients.count) people, total \(MoneyText.grouped(minorUnits: total, scale: 2))")
        if check {
            for (index, person) in recipients.enumerated() {
                print("  \(index + 1). \(person.name) \(person.account) \(MoneyText.grouped(minorUnits: person.amount.value, scale: 2))" + (person.memo.map { " \($0)" } ?? ""))
            }
            return
        }
        guard let data, let account, let date, let purpose, let expense, let preparer else {
            throw ValidationError("to enter the payment give --data, --from, --date, --purpose, --expense and --preparer (or --check to only read the list)")
        }
        guard case .node(let node) = try Office.open(data) else { throw CLIError("payments are entered at a node, not at the hub") }
        let id = try node.enterBatchPayment(account: account, recipients: recipients, date: date, purpose: purpose, expenseAccount: expense,
                                            signatures: DocumentSignatures(preparer: preparer, reviewer: reviewer), basis: basis)
        print("batch payment \(id) entered for \(recipients.count) people; it waits for release at the hub")
    }
}
