import LedgerCore

/// A balance field of MT940 (`:60F:`, `:60M:`, `:62F:`, `:62M:`, `:64:`, `:65:`): `1!a6!n3!a15d`, the mark `C` or
/// `D`, the date `YYMMDD`, the currency and the amount with a decimal comma, as in `C100318EUR380115,12`.
struct MT940Balance: Hashable {
    var date: BusinessDate
    var currency: CurrencyCode
    /// Signed minor units: a `D` (debit, overdrawn) balance is negative.
    var amount: AmountMinorUnits

    /// Parses the value of `field`.
    ///
    /// Amounts in the forms banks really send are accepted: `380115,12`, `380115,1`, `380115,` (no fraction),
    /// `0,12`, `00,12`, `000000000147,64` (zero padded). Extra fraction digits are accepted only when zero.
    static func parse(_ field: MT940Field) -> FieldResult<MT940Balance> {
        let value: Substring
        switch field.singleLineValue() {
        case .success(let text): value = text
        case .failure(let code): return .failure(code)
        }
        let characters = Array(value)
        guard characters.count >= 11, characters[0] == "C" || characters[0] == "D" else {
            return .failure(.malformedField(field: field.name,
                                            reason: "it must start with C or D, a date YYMMDD and a currency"))
        }
        guard let date = MT940Date.yymmdd(String(characters[1..<7])) else {
            return .failure(.invalidDate(field: field.name))
        }
        guard let currency = CurrencyCode(String(characters[7..<10])) else {
            return .failure(.invalidCurrency(field: field.name))
        }
        let amountText = value.dropFirst(10)
        switch StatementAmountText.magnitude(amountText, decimalSeparator: ",", currency: currency, field: field.name) {
        case .success(let magnitude):
            let signed = characters[0] == "D" ? -magnitude : magnitude
            return .success(MT940Balance(date: date, currency: currency, amount: AmountMinorUnits(signed)))
        case .failure(let code):
            return .failure(code)
        }
    }
}

/// MT940 dates: `YYMMDD` (value dates, balances) and `MMDD` (the optional entry date of `:61:`).
enum MT940Date {
    /// `YYMMDD` with the year in 2000–2099: SWIFT writes two digits, and statements this system reads were all
    /// produced after 2000 (the same rule the `mt940` Python library applies).
    static func yymmdd(_ text: String) -> BusinessDate? {
        guard text.utf8.count == 6, text.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        let utf8 = Array(text.utf8)
        let year = "20" + String(decoding: utf8[0..<2], as: UTF8.self)
        let month = String(decoding: utf8[2..<4], as: UTF8.self)
        let day = String(decoding: utf8[4..<6], as: UTF8.self)
        return BusinessDate("\(year)-\(month)-\(day)")
    }

    /// The entry date `MMDD` of `:61:`, whose year is not written: it is the value date's year, moved by one when
    /// the two dates straddle New Year (value date 31 December, booked 2 January, or the reverse).
    static func entryDate(mmdd text: String, valueDate: BusinessDate) -> BusinessDate? {
        guard text.utf8.count == 4, text.allSatisfy(\.isASCIIDigitCharacter), let month = Int(text.prefix(2)) else {
            return nil
        }
        var year = valueDate.year
        if month == 1 && valueDate.month == 12 { year += 1 }
        if month == 12 && valueDate.month == 1 { year -= 1 }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return BusinessDate("\(yearText)-\(text.prefix(2))-\(text.suffix(2))")
    }
}
