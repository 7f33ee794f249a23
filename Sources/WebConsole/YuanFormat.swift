import LedgerCore

/// Amounts as Chinese accountants read them: ¥1,234,567.89, with 借 (debit) or 贷 (credit) beside a balance instead
/// of a minus sign. Integer arithmetic on fen only.
public enum YuanFormat {
    /// `¥1,234,567.89` (a negative amount `-¥…`).
    public static func yuan(_ fen: Int64) -> String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let whole = String(magnitude / 100), cents = magnitude % 100
        var grouped = ""
        for (index, digit) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-¥" : "¥") + String(grouped.reversed()) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// The direction of a balance (debits − credits): debit, credit or flat.
    public enum Direction: String { case debit, credit, flat }

    public static func direction(_ balance: Int64) -> Direction {
        balance > 0 ? .debit : balance < 0 ? .credit : .flat
    }

    /// The balance without its sign, for a column beside its direction.
    public static func magnitude(_ balance: Int64) -> String {
        yuan(balance == Int64.min ? Int64.max : Swift.abs(balance))
    }
}
