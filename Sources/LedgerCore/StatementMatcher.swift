/// Matches a bank statement's entries to the bank journal (银行日记账) of the same account: the rule both a county
/// (when it imports its bank's statement, 6/6 item 4) and the hub (in SQL, `ReplicaStore.matchJournal`) follow.
///
/// An entry matches an unmatched journal line of the same direction (money in: a receipt; money out: a payment) and
/// the same amount, dated within `windowDays` of the entry; among several, the one whose advice number is the
/// entry's reference first, then the nearest date, then the smallest id. Entries are taken in statement order, so
/// the result is the same every time. Nothing is matched on the amount alone across accounts.
public enum StatementMatcher {
    /// A bank journal line as the matcher needs it.
    public struct JournalLine: Hashable, Sendable {
        public var id: String
        public var date: BusinessDate
        /// Minor units, signed: a receipt positive, a payment negative.
        public var amountMinorUnits: Int64
        public var advice: String

        public init(id: String, date: BusinessDate, amountMinorUnits: Int64, advice: String) {
            self.id = id
            self.date = date
            self.amountMinorUnits = amountMinorUnits
            self.advice = advice
        }
    }

    /// The journal line each entry matches, by the entry's index in `entries` (entries without one are absent).
    /// `alreadyMatched` journal lines (matched to an earlier statement) are never used again.
    public static func match(_ entries: [StatementDocument.Entry], journal: [JournalLine], windowDays: Int,
                             alreadyMatched: Set<String> = []) -> [Int: String] {
        var used = alreadyMatched
        var byAmount: [Int64: [JournalLine]] = [:]
        for line in journal where !used.contains(line.id) { byAmount[line.amountMinorUnits, default: []].append(line) }
        var result: [Int: String] = [:]
        for (index, entry) in entries.enumerated() {
            let window = windowDays
            let candidates = (byAmount[entry.amountMinorUnits] ?? []).filter { line in
                !used.contains(line.id) && abs(line.date.daysSinceEpoch - entry.date.daysSinceEpoch) <= window
            }
            let best = candidates.min { a, b in
                let aAdvice = a.advice == entry.reference && !entry.reference.isEmpty
                let bAdvice = b.advice == entry.reference && !entry.reference.isEmpty
                if aAdvice != bAdvice { return aAdvice }
                let aDistance = abs(a.date.daysSinceEpoch - entry.date.daysSinceEpoch)
                let bDistance = abs(b.date.daysSinceEpoch - entry.date.daysSinceEpoch)
                if aDistance != bDistance { return aDistance < bDistance }
                return a.id < b.id
            }
            if let best {
                used.insert(best.id)
                result[index] = best.id
            }
        }
        return result
    }
}
