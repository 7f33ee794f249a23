import BankStatements
import Foundation
import LedgerCore
import ReportWriters

/// Reads the list of a batch payment (代发, 7/7 item 5): the payroll or reimbursement sheet a finance office keeps, as
/// CSV (UTF-8, or GB18030/GBK as Excel saves it on a Chinese Windows) or an xlsx workbook (its first worksheet).
///
/// The first non-empty row is the header; columns are found by name, in any order, others (开户行, 身份证号, 部门) are
/// ignored:
///
/// | Column | Header names |
/// |---|---|
/// | name | 姓名, 户名, 收款人, 收款人姓名, 收款户名, 收款人名称, name |
/// | account | 账号, 卡号, 银行卡号, 收款账号, 收款人账号, 收款卡号, account |
/// | amount (yuan) | 金额, 实发金额, 发放金额, 代发金额, 应发金额, amount |
/// | memo (optional) | 用途, 摘要, 备注, 附言, memo |
///
/// A row whose name is 合计 or 总计 is the sheet's control total: it must equal the rows above it, and is not a person.
/// Amounts are plain or correctly grouped in thousands (`12,345.67`), at most two decimals; spaces inside an account
/// are dropped (`6222 0213 …`). Nothing is guessed: every problem is reported with its line, and the list is refused
/// whole. The result is then checked as a list by ``PaymentRecipients/check(_:)`` (duplicates, lengths, the total).
public enum RecipientListReader {
    /// Bytes of a list file: a payroll of 2,000 people is well under 1 MB.
    public static let fileBytesMax = 16 * 1024 * 1024

    static let names = ["姓名", "户名", "收款人", "收款人姓名", "收款户名", "收款人名称", "name"]
    static let accounts = ["账号", "卡号", "银行卡号", "收款账号", "收款人账号", "收款卡号", "account"]
    static let amounts = ["金额", "实发金额", "发放金额", "代发金额", "应发金额", "amount"]
    static let memos = ["用途", "摘要", "备注", "附言", "memo"]
    static let totals: Set<String> = ["合计", "总计", "total"]

    /// The recipients of `data`, in the order of the sheet.
    /// - Throws: ``RecipientListError`` with every problem and its line (the sheet's row number for a workbook).
    public static func read(_ data: Data) throws(RecipientListError) -> [PaymentRecipient] {
        guard !data.isEmpty else { throw RecipientListError([(0, "the file is empty")]) }
        guard data.count <= fileBytesMax else { throw RecipientListError([(0, "the file is \(data.count) bytes, over the \(fileBytesMax) a list may have")]) }
        let rows: [[String]]
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do throws(XLSXReadError) {
                rows = try XLSXReader.firstSheet(of: data).rows
            } catch {
                throw RecipientListError([(0, "not a workbook that can be read: \(error.description)")])
            }
        } else {
            let text: String
            do throws(StatementParseError) {
                text = try GB18030Text.decode(data, encodings: [.utf8, .gb18030]).text
            } catch {
                throw RecipientListError([(0, "the text is neither UTF-8 nor GB18030: \(error.description)")])
            }
            do throws(CSVParsingError) {
                rows = try CSVReader.records(from: Data(text.utf8))
            } catch {
                throw RecipientListError([(0, "not a CSV file that can be read: \(error)")])
            }
        }
        return try read(rows: rows)
    }

    /// The recipients of rows already split into cells; `rows[n - 1]` is line (or sheet row) `n`.
    public static func read(rows: [[String]]) throws(RecipientListError) -> [PaymentRecipient] {
        let cleaned = rows.map { $0.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } }
        guard let headerIndex = cleaned.firstIndex(where: { $0.contains { !$0.isEmpty } }) else {
            throw RecipientListError([(0, "the list has no rows")])
        }
        let header = cleaned[headerIndex].map { $0.lowercased() }
        func column(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        guard let nameColumn = column(names), let accountColumn = column(accounts), let amountColumn = column(amounts) else {
            throw RecipientListError([(headerIndex + 1, "the header must name the columns 姓名 (name), 账号 (account) and 金额 (amount); "
                                       + "it has \(cleaned[headerIndex].filter { !$0.isEmpty }.joined(separator: ", "))")])
        }
        let memoColumn = column(memos)
        var recipients: [PaymentRecipient] = [], problems: [(Int, String)] = []
        var stated: (line: Int, amount: AmountMinorUnits)?
        for (index, row) in cleaned.enumerated().dropFirst(headerIndex + 1) where row.contains(where: { !$0.isEmpty }) {
            let line = index + 1
            func cell(_ column: Int) -> String { column < row.count ? row[column] : "" }
            let name = cell(nameColumn), amountText = cell(amountColumn)
            let amount: AmountMinorUnits
            do throws(AmountParseError) {
                amount = try AmountMinorUnits.parsing(amountText, scale: 2, grouping: .thousands)
            } catch {
                problems.append((line, "金额 '\(amountText)' is not an amount in yuan (\(error.description))"))
                continue
            }
            if totals.contains(name.lowercased()) {
                stated = (line, amount)
                continue
            }
            let account = cell(accountColumn).filter { $0 != " " && $0 != "\u{3000}" }
            if account.range(of: #"^[0-9.]+[eE][+]?[0-9]+$"#, options: .regularExpression) != nil {
                problems.append((line, "账号 '\(account)' was kept by Excel as a number and has lost its last digits: "
                                 + "format the column as text and type the account again"))
                continue
            }
            let memo = memoColumn.map(cell).flatMap { $0.isEmpty ? nil : $0 }
            recipients.append(PaymentRecipient(name: name, account: account, amount: amount, memo: memo))
        }
        guard problems.isEmpty else { throw RecipientListError(problems) }
        if let stated {
            var sum: Int64 = 0, overflow = false
            for recipient in recipients {
                let (next, over) = sum.addingReportingOverflow(recipient.amount.value)
                sum = next
                overflow = overflow || over
            }
            guard !overflow, sum == stated.amount.value else {
                throw RecipientListError([(stated.line, "the 合计 row says \(stated.amount) but the rows above it add up to "
                                           + (overflow ? "more than can be represented" : "\(AmountMinorUnits(sum))"))])
            }
        }
        do throws(LedgerRuleViolation) {
            try PaymentRecipients.check(recipients)
        } catch {
            throw RecipientListError([(0, error.description)])
        }
        return recipients
    }
}

/// A recipient list that cannot be paid as it is, with every problem and the line it is on (0: the whole file).
public struct RecipientListError: Error, CustomStringConvertible, Sendable {
    public let problems: [(line: Int, message: String)]

    init(_ problems: [(Int, String)]) { self.problems = problems.map { (line: $0.0, message: $0.1) } }

    public var description: String {
        problems.map { $0.line > 0 ? "line \($0.line): \($0.message)" : $0.message }.joined(separator: "\n")
    }
}
