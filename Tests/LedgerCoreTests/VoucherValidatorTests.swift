import LedgerCore
import Testing

/// An in-memory ledger for the validator.
struct FakeLedger: LedgerLookup {
    var accounts: [String: AccountRecord] = [:]
    var vouchers: [String: Voucher] = [:]

    func account(_ id: String) -> AccountRecord? { accounts[id] }
    func postedVoucher(_ id: String) -> Voucher? { vouchers[id] }
    func isReversed(_ id: String) -> Bool { vouchers.values.contains { $0.reverses == id } }
}

@Suite struct VoucherValidatorTests {
    static let county = OrgCode("340122")!
    static let other = OrgCode("340121")!

    static func ledger() -> FakeLedger {
        var ledger = FakeLedger()
        for (id, org, status) in [("340122:1002", county, AccountStatus.active), ("340122:3001.01", county, .active),
                                  ("340122:FROZEN", county, .frozen), ("340121:1002", other, .active)] {
            ledger.accounts[id] = AccountRecord(id: id, org: org, kind: .subject, code: id, name: id, currency: .cny, status: status)
        }
        return ledger
    }

    static func voucher(_ lines: [VoucherLine], org: OrgCode = county, reverses: String? = nil) -> Voucher {
        Voucher(id: "340122-V000001", org: org, date: BusinessDate("2026-11-02")!, currency: .cny, memo: "m", preparer: "p",
                reverses: reverses, lines: lines)
    }

    static func line(_ account: String, _ side: EntrySide, _ amount: Int64) -> VoucherLine {
        VoucherLine(account: account, side: side, amount: AmountMinorUnits(amount))
    }

    @Test func balancedVoucherOnActiveOwnAccountsPasses() throws {
        try VoucherValidator.validate(Self.voucher([Self.line("340122:3001.01", .debit, 100), Self.line("340122:1002", .credit, 100)]),
                                      origin: Self.county, lookup: Self.ledger())
    }

    @Test func eachRuleRefusesWithItsOwnReason() {
        let ledger = Self.ledger()
        func code(_ voucher: Voucher, origin: OrgCode = VoucherValidatorTests.county) -> LedgerRuleViolation.Code? {
            do { try VoucherValidator.validate(voucher, origin: origin, lookup: ledger); return nil } catch { return (error as? LedgerRuleViolation)?.code }
        }
        #expect(code(Self.voucher([Self.line("340122:3001.01", .debit, 100), Self.line("340122:1002", .credit, 99)]))
                == .unbalanced(debitsMinorUnits: 100, creditsMinorUnits: 99))
        #expect(code(Self.voucher([Self.line("340122:1002", .debit, 100)])) == .lineCount(count: 1, countMin: 2, countMax: Limits.voucherLineCountMax))
        #expect(code(Self.voucher([Self.line("340122:3001.01", .debit, 0), Self.line("340122:1002", .credit, 0)])) == .nonPositiveAmount(line: 1))
        #expect(code(Self.voucher([Self.line("340122:NOPE", .debit, 1), Self.line("340122:1002", .credit, 1)])) == .unknownAccount("340122:NOPE"))
        #expect(code(Self.voucher([Self.line("340121:1002", .debit, 1), Self.line("340122:1002", .credit, 1)]))
                == .accountOfOtherOrg(account: "340121:1002", accountOrg: "340121", voucherOrg: "340122"))
        #expect(code(Self.voucher([Self.line("340122:FROZEN", .debit, 1), Self.line("340122:1002", .credit, 1)]))
                == .accountNotActive(account: "340122:FROZEN", status: "frozen"))
        #expect(code(Self.voucher([Self.line("340122:3001.01", .debit, 1), Self.line("340122:1002", .credit, 1)]), origin: Self.other)
                == .wrongOrigin(org: "340122", origin: "340121"))
        #expect(code(Self.voucher([Self.line("340122:3001.01", .debit, Int64.max), Self.line("340122:3001.01", .debit, 1),
                                   Self.line("340122:1002", .credit, 1)]))
                == .amountOverCap(line: 1, amountMinorUnits: Int64.max, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
        #expect(code(Self.voucher([Self.line("340122:3001.01", .debit, Limits.amountMinorUnitsMax),
                                   Self.line("340122:3001.01", .debit, 1), Self.line("340122:1002", .credit, 1)]))
                == .amountOverCap(line: 0, amountMinorUnits: Limits.amountMinorUnitsMax + 1, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
    }

    @Test func reversalMustMirrorAnUnreversedPostedVoucher() {
        var ledger = Self.ledger()
        let original = Self.voucher([Self.line("340122:3001.01", .debit, 100), Self.line("340122:1002", .credit, 100)])
        ledger.vouchers[original.id] = original
        var reversal = Self.voucher(original.lines.map(\.reversed), reverses: original.id)
        reversal.id = "340122-V000002"
        #expect(throws: Never.self) { try VoucherValidator.validate(reversal, origin: Self.county, lookup: ledger) }
        var wrong = reversal
        wrong.lines = original.lines
        #expect(throws: LedgerRuleViolation(.reversalMismatch(original.id))) { try VoucherValidator.validate(wrong, origin: Self.county, lookup: ledger) }
        var missing = reversal
        missing.reverses = "340122-V000099"
        #expect(throws: LedgerRuleViolation(.reversalTargetMissing("340122-V000099"))) {
            try VoucherValidator.validate(missing, origin: Self.county, lookup: ledger)
        }
        ledger.vouchers[reversal.id] = reversal
        var again = reversal
        again.id = "340122-V000003"
        #expect(throws: LedgerRuleViolation(.alreadyReversed(original.id))) { try VoucherValidator.validate(again, origin: Self.county, lookup: ledger) }
    }

    @Test func voucherFieldsRoundTrip() throws {
        let voucher = Self.voucher([Self.line("340122:3001.01", .debit, 100), Self.line("340122:1002", .credit, 100)], reverses: "X")
        #expect(try Voucher(key: voucher.id, fields: voucher.fields) == voucher)
        var fields = voucher.fields
        fields["lines"] = .text("oops")
        #expect(throws: LedgerRuleViolation.self) { try Voucher(key: voucher.id, fields: fields) }
    }
}
