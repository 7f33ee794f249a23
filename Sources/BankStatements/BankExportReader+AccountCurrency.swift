import Foundation
import LedgerCore

/// The account and the currency an export is for: each taken from the caller, from a title row (`账号：…`,
/// `币种：…`) or from an account or currency column, and refused when two of them disagree; with the checks an
/// account value needs (a number a spreadsheet rounded, a masked number or a name says nothing of the account).
extension BankExportReader {
    /// The caller's currency, the file's (a title label or a column), or the profile's default; when two are
    /// given they must agree.
    func resolveCurrency(_ given: CurrencyCode?, facts: [TitleFact], rows: [DataRow],
                         layout: BankExportLayout) throws(StatementParseError) -> CurrencyCode {
        var found: (code: CurrencyCode, field: String, line: Int)?
        func add(_ text: String, field: String, line: Int) throws(StatementParseError) {
            guard let code = currencyCode(text) else {
                throw StatementParseError(.invalidCurrency(field: field), line: line)
            }
            if let found, found.code != code {
                throw StatementParseError(.currencyMismatch(field: field, expected: found.code.code, found: code.code),
                                          line: line)
            }
            if found == nil { found = (code, field, line) }
        }
        for fact in facts where fact.kind == .currency { try add(fact.value, field: fact.label, line: fact.line) }
        if let column = layout[.currency] {
            for row in rows where !Self.cell(row.cells, column).isEmpty {
                try add(Self.cell(row.cells, column), field: layout.name(column), line: row.line)
            }
        }
        if let given {
            if let found, found.code != given {
                throw StatementParseError(.currencyMismatch(field: found.field, expected: given.code,
                                                            found: found.code.code), line: found.line)
            }
            return given
        }
        if let found { return found.code }
        guard let fallback = profile.defaultCurrency.flatMap(CurrencyCode.init) else {
            throw StatementParseError(.missingField("currency (币种): the file names none and the profile has no "
                                                    + "default, so pass it"))
        }
        return fallback
    }

    /// `人民币`, `RMB`, `CNY`, `人民币(CNY)` → CNY, by the profile's names or as an ISO code.
    private func currencyCode(_ text: String) -> CurrencyCode? {
        let normalized = BankProfile.normalizedName(text)
        var candidates = [normalized]
        if let plain = BankProfile.nameWithoutNote(normalized) {
            candidates.append(plain)
            candidates.append(String(normalized.dropFirst(plain.count + 1).dropLast()))
        }
        for candidate in candidates {
            if let (_, code) = profile.currencyNames.first(where: { BankProfile.normalizedName($0.key) == candidate }) {
                return CurrencyCode(code)
            }
            if candidate.utf8.count == 3,
               candidate.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }),
               let code = CurrencyCode(candidate.uppercased()) {
                return code
            }
        }
        return nil
    }

    /// The caller's account, the file's (a title label or an account column), or a refusal; when two are given
    /// they must name the same account (compared without spaces and dashes).
    func resolveAccount(_ given: String?, facts: [TitleFact], rows: [DataRow],
                        layout: BankExportLayout) throws(StatementParseError) -> String {
        var found: (account: String, field: String, line: Int)?
        func add(_ text: String, field: String, line: Int, fromColumn: Bool) throws(StatementParseError) {
            if Self.isRoundedNumber(text) {
                throw StatementParseError(.malformedField(field: field, reason: "a spreadsheet stored the account "
                    + "number as a number and rounded it; format the column as text and export again"), line: line)
            }
            guard let account = Self.accountNumber(text) else {
                if fromColumn {
                    throw StatementParseError(.malformedField(field: field, reason: "it is not an account number"),
                                              line: line)
                }
                return  // a title value that is a name or a masked number says nothing about the account
            }
            if let found, Self.comparable(found.account) != Self.comparable(account) {
                throw StatementParseError(.malformedField(field: field, reason: "it names another account than "
                    + "\(found.field) on line \(found.line); one export must be one account"), line: line)
            }
            if found == nil { found = (account, field, line) }
        }
        for fact in facts where fact.kind == .account {
            try add(fact.value, field: fact.label, line: fact.line, fromColumn: false)
        }
        if let column = layout[.account] {
            for row in rows where !Self.cell(row.cells, column).isEmpty {
                try add(Self.cell(row.cells, column), field: layout.name(column), line: row.line, fromColumn: true)
            }
        }
        let givenAccount = given?.trimmingCharacters(in: .whitespaces)
        if let givenAccount, !givenAccount.isEmpty {
            if let found, Self.comparable(found.account) != Self.comparable(givenAccount) {
                throw StatementParseError(.malformedField(field: found.field, reason: "the file is for another "
                    + "account than the one passed"), line: found.line)
            }
            return givenAccount
        }
        guard let found else { throw StatementParseError(.accountUnknown) }
        return found.account
    }

    /// The account number in a value: ASCII letters, digits and dashes with at least as many digits as a domestic
    /// account number has (``BankAccountNumber/domesticDigitCount``), spaces dropped (`1202 0211 0900 1234 567`),
    /// a trailing bracketed note dropped; `nil` for a name or a masked number (`6217****4567`).
    static func accountNumber(_ text: String) -> String? {
        var value = Substring(text)
        if value.hasSuffix(")") || value.hasSuffix("）"), let open = value.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            value = value[..<open]
        }
        func valid(_ candidate: String) -> Bool {
            let significant = candidate.filter { $0 != "-" }
            return significant.count <= BankAccountNumber.otherCharacterCountMax
                && significant.filter(\.isASCIIDigitCharacter).count >= BankAccountNumber.domesticDigitCount.lowerBound
                && candidate.allSatisfy { $0.isASCII && ($0.isLetter || $0.isASCIIDigitCharacter || $0 == "-") }
        }
        let joined = value.filter { !$0.isWhitespace }
        if valid(String(joined)) { return String(joined) }
        if let first = value.split(whereSeparator: \.isWhitespace).first, valid(String(first)) { return String(first) }
        return nil
    }

    private static func comparable(_ account: String) -> String {
        account.filter { !$0.isWhitespace && $0 != "-" }.uppercased()
    }

    /// `1.20202E+18`: what Excel shows for a long number it has already rounded.
    static func isRoundedNumber(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard let e = upper.firstIndex(of: "E") else { return false }
        let mantissa = upper[..<e], exponent = upper[upper.index(after: e)...].drop { $0 == "+" }
        return !mantissa.isEmpty && mantissa.allSatisfy { $0.isASCIIDigitCharacter || $0 == "." }
            && !exponent.isEmpty && exponent.allSatisfy(\.isASCIIDigitCharacter)
    }
}
