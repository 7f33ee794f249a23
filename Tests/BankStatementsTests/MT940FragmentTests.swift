import Foundation
import LedgerCore
import Testing
@testable import BankStatements

/// Goal: the single-field fragment files that `MT940TestDataTests` refuses as statements still prove that each
/// field is read exactly as the `mt940` Python library read it — odd amount formats (`380115,`, `00,12`,
/// `000000000147,64`), a debit balance, the currency glued to `:25:`, an empty entry date, a funds code, `//` bank
/// references, and a `:62F:` without a final line break.
///
/// Method: split the fragment into fields with the parser's own `MT940Field`, read each with the parser's field
/// readers, keep the last value of each tag (the library's "last wins"), and compare with the `.yml`.
@Suite struct MT940FragmentTests {
    struct LooseReading {
        var reference: String?
        var account: String?
        var statementNumber: Int?
        var page: Int?
        var finalOpening: MT940Balance?
        var finalClosing: MT940Balance?
        var available: MT940Balance?
        var entries: [MT940StatementLine] = []
    }

    static func fields(_ text: String) throws -> [MT940Field] {
        var fields: [MT940Field] = []
        for (index, line) in try StatementText.lines(text, format: .mt940).enumerated() {
            if let field = MT940Field.tagged(line, lineNumber: index + 1) {
                fields.append(field)
            } else if !fields.isEmpty, line.first != "-" {
                fields[fields.count - 1].continuation.append(line)
            }
        }
        return fields
    }

    static func read(_ text: String) throws -> LooseReading {
        var reading = LooseReading()
        for field in try fields(text) {
            switch field.tag {
            case "20": reading.reference = try value(field.singleLineValue()).map(String.init)
            case "25": reading.account = try value(field.singleLineValue()).map(String.init)
            case "28C":
                let parts = try #require(try value(field.singleLineValue())).split(separator: "/")
                reading.statementNumber = Int(parts[0])
                reading.page = parts.count > 1 ? Int(parts[1]) : nil
            case "60F": reading.finalOpening = try value(MT940Balance.parse(field))
            case "62F": reading.finalClosing = try value(MT940Balance.parse(field))
            case "64": reading.available = try value(MT940Balance.parse(field))
            case "61": reading.entries.append(try #require(try value(MT940StatementLine.parse(field, currency: .eur))))
            default: break
            }
        }
        return reading
    }

    static func value<T>(_ result: FieldResult<T>) throws -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let code): throw StatementParseError(code, format: .mt940)
        }
    }

    @Test func fragmentFieldsMatchTheLibrary() throws {
        let folder = try #require(StatementTestData.folder(), "Fixtures/statements (vendored test data) not found")
        let expected = try StatementTestData.expected()
        let fragments = MT940TestDataTests.refusals.keys.filter { !$0.hasSuffix("_broken.sta") }.sorted()
        #expect(fragments.count == 16)
        for file in fragments {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            let wanted = try #require(expected.mt940[file], "\(file) has no neighbour .yml")
            let reading = try Self.read(StatementText.decode(data, format: .mt940, legacyFallback: true))
            #expect(reading.reference == wanted.transactionReference, "\(file): :20:")
            #expect(reading.account == wanted.accountIdentification, "\(file): :25:")
            #expect(reading.statementNumber == wanted.statementNumber.flatMap { Int($0) }, "\(file): :28C:")
            #expect(reading.page == wanted.sequenceNumber.flatMap { Int($0) }, "\(file): :28C: page")
            Self.expectBalance(reading.finalOpening, wanted.finalOpeningBalance, "\(file): :60F:")
            Self.expectBalance(reading.finalClosing, wanted.finalClosingBalance, "\(file): :62F:")
            Self.expectBalance(reading.available, wanted.availableBalance, "\(file): :64:")
            #expect(reading.entries.count == wanted.entries.count, "\(file): :61:")
            for (line, entry) in zip(reading.entries, wanted.entries) {
                #expect(line.signedAmount.value == entry.amountMinorUnits, "\(file): :61: amount")
                #expect(line.mark == (entry.status == "C" ? .credit : .debit), "\(file): :61: mark")
                #expect(line.valueDate.description == entry.valueDate, "\(file): :61: value date")
                #expect(line.entryDate?.description == entry.entryDate, "\(file): :61: entry date")
                #expect(line.transactionType == entry.transactionType, "\(file): :61: type")
                #expect(line.bankReference == (entry.bankReference ?? ""), "\(file): :61: bank reference")
            }
        }
    }

    static func expectBalance(_ balance: MT940Balance?, _ expected: MT940Expected.Balance?, _ what: String) {
        #expect(balance?.amount.value == expected?.amountMinorUnits, "\(what) amount")
        #expect(balance?.currency.code == expected?.currency, "\(what) currency")
        #expect(balance?.date.description == expected?.date, "\(what) date")
    }
}

extension CurrencyCode {
    static let eur = CurrencyCode("EUR")!
}
