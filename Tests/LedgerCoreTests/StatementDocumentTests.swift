import LedgerCore
import Testing

/// The `statement` document (PROTOCOL.md §6.22b): what a county writes reads back the same at the hub, and every rule
/// a hostile county could break is refused with its sentence, never trapped on.
@Suite struct StatementDocumentTests {
    static let day = BusinessDate("2026-11-03")!
    static let next = BusinessDate("2026-11-04")!

    static func statement(entries: [StatementDocument.Entry]? = nil, closing: Int64 = 1_097_500) -> StatementDocument {
        StatementDocument(org: OrgCode("340121")!, account: "6234012100000002", currency: .cny, number: 12, page: 2, reference: "0000",
                          openingMinorUnits: 1_000_000, openingDate: day, closingMinorUnits: closing, closingDate: next,
                          entries: entries ?? [
                              .init(date: day, amountMinorUnits: 100_000, reference: "IN-1", counterparty: "税务局", narrative: "退税"),
                              .init(date: next, amountMinorUnits: -2_500, reference: "FEE", counterparty: "", narrative: "手续费"),
                          ], format: "camt.053", file: "stmt-12.xml", fileSHA256: String(repeating: "0f", count: 32))
    }

    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let violation as LedgerRuleViolation {
            return "\(violation.name): \(violation.description)"
        } catch {
            return "\(error)"
        }
    }

    @Test func fieldsReadBackToTheSameStatement() throws {
        let statement = Self.statement()
        try statement.validate()
        #expect(statement.key == "6234012100000002:12/2:2026-11-03..2026-11-04")
        let read = try StatementDocument(fields: statement.fields, key: statement.key)
        #expect(read == statement)
        #expect(try statement.sums() == (credits: 100_000, debits: 2_500))
        #expect(StatementDocument.key(account: "X1", number: nil, page: nil, openingDate: Self.day, closingDate: Self.day) == "X1:-:2026-11-03..2026-11-03")
    }

    @Test func everyRuleIsRefusedWithItsSentence() {
        func refused(_ change: (inout StatementDocument) -> Void) -> String? {
            var statement = Self.statement()
            change(&statement)
            return Self.refusal { try statement.validate() }
        }
        #expect(refused { $0.closingMinorUnits = 1 }?.contains("make 1097500, not the closing balance 1") == true)
        #expect(refused { $0.entries[0].date = BusinessDate("2026-11-05")! }?.contains("entry 1 is dated 2026-11-05, outside the period") == true)
        #expect(refused { $0.entries[1].amountMinorUnits = 0 }?.contains("entry 2 moves nothing") == true)
        #expect(refused { $0.entries[0].amountMinorUnits = Limits.amountMinorUnitsMax + 1 }?.contains("entry 1 moves nothing or more than") == true)
        #expect(refused { $0.openingDate = BusinessDate("2026-11-05")! }?.contains("the period runs backwards") == true)
        #expect(refused { $0.openingMinorUnits = Int64.min }?.contains("a balance is beyond") == true)
        #expect(refused { $0.account = "6234 0121" }?.contains("holds a space or a colon") == true)
        #expect(refused { $0.file = "../../etc/passwd" }?.contains("holds a path") == true)
        #expect(refused { $0.fileSHA256 = "XYZ" }?.contains("SHA-256") == true)
        #expect(refused { $0.page = 0 }?.contains("page is below 1") == true)
        #expect(refused { $0.entries = Array(repeating: $0.entries[0], count: Limits.statementEntryCountMax + 1) }?
            .contains("more than \(Limits.statementEntryCountMax)") == true)
        #expect(refused { _ in } == nil)
        #expect(refused { $0.closingMinorUnits = 1 }?.hasPrefix("statement-refused") == true)
    }

    /// Entries chosen to overflow the running balance (each within the cap, the sum not): refused, never trapped.
    @Test func aRunningBalanceThatWouldOverflowIsRefused() {
        let huge = StatementDocument.Entry(date: Self.day, amountMinorUnits: Limits.amountMinorUnitsMax)
        var statement = Self.statement(entries: Array(repeating: huge, count: 9_300))
        statement.openingMinorUnits = Limits.officeVolumeMinorUnitsMax
        let reason = Self.refusal { try statement.validate() }
        #expect(reason?.contains("overflow the running balance") == true, "\(String(describing: reason))")
        #expect(Self.refusal { _ = try statement.sums() } != nil, "the sums are checked too")
    }

    @Test func readingRefusesMistypedFieldsAndAKeyThatIsNotTheIdentity() {
        let statement = Self.statement()
        var fields = statement.fields
        fields["opening"] = .text("1000000")
        #expect(Self.refusal { _ = try StatementDocument(fields: fields, key: statement.key) }?.hasPrefix("malformed") == true)
        fields = statement.fields
        fields["entries"] = .list([.integer(1)])
        #expect(Self.refusal { _ = try StatementDocument(fields: fields, key: statement.key) }?.contains("is not a record") == true)
        fields = statement.fields
        fields["opening_date"] = .text("2026-02-30")
        #expect(Self.refusal { _ = try StatementDocument(fields: fields, key: statement.key) }?.hasPrefix("invalid-date") == true)
        fields = statement.fields
        fields["currency"] = .text("rmb")
        #expect(Self.refusal { _ = try StatementDocument(fields: fields, key: statement.key) }?.contains("not an ISO 4217 code") == true)
        let other = Self.refusal { _ = try StatementDocument(fields: statement.fields, key: "6234012100000002:13:2026-11-03..2026-11-04") }
        #expect(other?.contains("is not its identity") == true)
    }
}

/// The rule both a county and the hub match statement entries to the bank journal by.
@Suite struct StatementMatcherTests {
    static let day = BusinessDate("2026-11-10")!
    static func on(_ offset: Int) -> BusinessDate { BusinessDate.fromDaysSinceEpoch(day.daysSinceEpoch + offset) }

    @Test func sameDirectionAndAmountWithinTheWindowTheAdviceFirstThenTheNearestDate() {
        let journal = [
            StatementMatcher.JournalLine(id: "J1", date: Self.on(-2), amountMinorUnits: 5_000, advice: "A"),
            StatementMatcher.JournalLine(id: "J2", date: Self.on(-1), amountMinorUnits: 5_000, advice: "B"),
            StatementMatcher.JournalLine(id: "J3", date: Self.on(-3), amountMinorUnits: 5_000, advice: "REF"),
            StatementMatcher.JournalLine(id: "J4", date: Self.day, amountMinorUnits: -5_000, advice: "C"),
            StatementMatcher.JournalLine(id: "J5", date: Self.on(-4), amountMinorUnits: 7_000, advice: "D"),
        ]
        let entries = [
            StatementDocument.Entry(date: Self.day, amountMinorUnits: 5_000, reference: "REF"),   // the advice wins over the nearer J2
            StatementDocument.Entry(date: Self.day, amountMinorUnits: 5_000, reference: "X"),     // then the nearest: J2
            StatementDocument.Entry(date: Self.day, amountMinorUnits: 5_000, reference: "Y"),     // then J1
            StatementDocument.Entry(date: Self.day, amountMinorUnits: 5_000, reference: "Z"),     // none left: a receipt never matches a payment
            StatementDocument.Entry(date: Self.day, amountMinorUnits: 7_000, reference: "D"),     // four days apart: outside the window
        ]
        let matches = StatementMatcher.match(entries, journal: journal, windowDays: 3)
        #expect(matches == [0: "J3", 1: "J2", 2: "J1"])
        #expect(StatementMatcher.match(entries, journal: journal, windowDays: 3, alreadyMatched: ["J3"]) == [0: "J2", 1: "J1"])
    }
}
