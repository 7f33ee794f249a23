import Foundation
import LedgerCore

/// A voucher as a clerk writes it in a `fundsync post` JSON file (format in README.md, "Voucher files").
///
/// Amounts are decimal strings in major units (`"1200.00"` yuan); they are parsed with integer math into minor
/// units, and more decimals than the currency has is an error, never a rounding.
public struct VoucherDraft: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var account: String
        public var debit: String?
        public var credit: String?

        public init(account: String, debit: String? = nil, credit: String? = nil) {
            self.account = account
            self.debit = debit
            self.credit = credit
        }
    }

    public var date: String
    public var memo: String?
    public var preparer: String?
    public var currency: String?
    /// For a reversal: the id of the voucher it reverses. Its lines are then generated (sides swapped).
    public var reverses: String?
    public var lines: [Line]?
    public var reviewer: String?
    public var approver: String?
    /// The budget unit the voucher is for, when a county's clerk keeps its books (3/6 item 9); default: the node's own org.
    public var org: String?

    public init(date: String, memo: String? = nil, preparer: String? = nil, currency: String? = nil,
                reverses: String? = nil, lines: [Line]? = nil, reviewer: String? = nil, approver: String? = nil) {
        self.reviewer = reviewer
        self.approver = approver
        self.date = date
        self.memo = memo
        self.preparer = preparer
        self.currency = currency
        self.reverses = reverses
        self.lines = lines
    }

    /// The container of a voucher file: `{"vouchers": [...]}`.
    public struct File: Codable, Sendable {
        public var vouchers: [VoucherDraft]
    }

    /// Reads a voucher file: either `{"vouchers": [...]}` or a bare array.
    /// - Throws: `VoucherFileError` for a duplicate or unknown field (checked before decoding), else the
    ///   decoder's error.
    public static func decodeFile(_ data: Data) throws -> [VoucherDraft] {
        do {
            try VoucherFileShape.check(data)
        } catch let failure as VoucherFileShape.Failure {
            throw VoucherFileError(description: failure.description)
        }
        let decoder = JSONDecoder()
        if let file = try? decoder.decode(File.self, from: data) { return file.vouchers }
        return try decoder.decode([VoucherDraft].self, from: data)
    }

    /// Builds the voucher with id `id` for `org`; reversal lines come from `lookup`.
    /// - Throws: `LedgerRuleViolation` for a draft that breaks a rule; a storage error of `lookup` as it is.
    public func voucher(id: String, org: OrgCode, lookup: some LedgerLookup) throws -> Voucher {
        guard let date = BusinessDate(date) else { throw LedgerRuleViolation(.invalidDate(self.date)) }
        let currencyText = currency ?? "CNY"
        guard let currency = CurrencyCode(currencyText) else { throw LedgerRuleViolation.malformed("'\(currencyText)' is not a currency code") }
        var voucherLines: [VoucherLine]
        if let reverses {
            guard lines == nil || lines?.isEmpty == true else {
                throw LedgerRuleViolation.malformed("a reversal takes its lines from the voucher it reverses; leave 'lines' out")
            }
            guard let original = try lookup.postedVoucher(reverses), original.org == org else {
                throw LedgerRuleViolation(.reversalTargetMissing(reverses))
            }
            voucherLines = original.lines.map(\.reversed)
        } else {
            voucherLines = []
            for (index, line) in (lines ?? []).enumerated() {
                voucherLines.append(try Self.parse(line, number: index + 1, scale: currency.minorUnitDigits))
            }
        }
        return Voucher(id: id, org: org, date: date, currency: currency, memo: memo ?? "", preparer: preparer ?? "",
                       reverses: reverses, lines: voucherLines, reviewer: reviewer, approver: approver)
    }

    static func parse(_ line: Line, number: Int, scale: Int) throws(LedgerRuleViolation) -> VoucherLine {
        switch (line.debit, line.credit) {
        case (let text?, nil), (nil, let text?):
            let amount: AmountMinorUnits
            do {
                amount = try AmountMinorUnits.parsing(text, scale: scale)
            } catch {
                throw LedgerRuleViolation.malformed("line \(number): \(error.description)")
            }
            return VoucherLine(account: line.account, side: line.debit != nil ? .debit : .credit, amount: amount)
        default:
            throw LedgerRuleViolation.malformed("line \(number) must have exactly one of 'debit' and 'credit'")
        }
    }
}

/// A voucher file whose shape is wrong: a field twice, or a field the format does not have.
public struct VoucherFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
