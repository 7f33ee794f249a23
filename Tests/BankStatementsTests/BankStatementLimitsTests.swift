import Foundation
import LedgerCore
import Testing
@testable import BankStatements

/// The limits' relationships (STYLE R8), and that a hostile XML file hits a limit instead of exhausting memory.
@Suite struct BankStatementLimitsTests {
    @Test func limitsFitTogether() {
        #expect(BankStatementLimits.textBytesMax <= Limits.textBytesMax, "every text read must be storable")
        #expect(BankStatementLimits.textBytesMax < BankStatementLimits.fileBytesMax)
        #expect(StatementFormatDetector.prefixBytesMax <= BankStatementLimits.fileBytesMax)
        #expect(BankStatementLimits.statementCountMax <= BankStatementLimits.xmlElementCountMax)
        #expect(BankStatementLimits.entryCountMax <= BankStatementLimits.xmlElementCountMax)
        // 18 digits always fit Int64 (at most 9,223,372,036,854,775,807: 19 digits).
        #expect(BankStatementLimits.amountDigitsMax <= 18)
        #expect(BankStatementLimits.xmlDepthMax >= 16, "camt.053 nests about 12 deep")
    }

    @Test func deepXMLNestingIsRefused() {
        let depth = BankStatementLimits.xmlDepthMax + 1
        let xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</Document>"
        #expect(throws: StatementParseError(.limitExceeded(what: "levels of XML nesting", count: depth,
                                                           countMax: BankStatementLimits.xmlDepthMax),
                                            format: .camt053, line: 1)) {
            try Camt053Parser.parse(Data(xml.utf8))
        }
    }

    @Test func aHugeAmountIsRefusedNotWrapped() {
        let text = ":20:A\n:25:1\n:28C:1\n:60F:C260105CNY99999999999999999999,00\n:62F:C260105CNY1,00"
        #expect(throws: StatementParseError(.amountOverflow(field: ":60F:"), format: .mt940, line: 4)) {
            try MT940Parser.parse(text: text)
        }
    }
}
