import Foundation
import Testing
import BankStatements

/// Format detection looks at the content only, and a file of no known format is refused with a reason.
@Suite struct StatementFormatDetectorTests {
    static let camt = "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"

    @Test(arguments: [
        (camt, StatementFormat.camt053),
        ("\u{FEFF}" + camt, .camt053),
        ("{1:F01BANK}{2:O940}{4:\r\n:20:REF\r\n:25:1\r\n", .mt940),
        ("ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n", .mt940),
        (":940:\n:20:940S130101\n", .mt940),
        ("\u{FEFF}" + CSVStatementParser.header + "\r\nOPEN,…", .csv),
    ])
    func detectsTheFormatFromTheContent(text: String, format: StatementFormat) throws {
        #expect(try StatementFormatDetector.detect(Data(text.utf8)) == format)
    }

    @Test(arguments: [
        ("", StatementParseError(.empty)),
        (" \n\t\n", StatementParseError(.empty)),
        ("date,amount\n2026-11-02,1.00\n", StatementParseError(.unrecognizedFormat)),
        ("<html><body>login</body></html>", StatementParseError(.unrecognizedFormat)),
        ("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">",
         StatementParseError(.unsupportedNamespace("urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"), format: .camt053)),
    ])
    func refusesWhatItCannotTell(text: String, error: StatementParseError) {
        #expect(throws: error) { try StatementFormatDetector.detect(Data(text.utf8)) }
        #expect(throws: error) { try BankStatementReader.read(Data(text.utf8)) }
    }

    @Test func theReaderRefusesAFileOverTheSizeLimit() {
        let size = BankStatementLimits.fileBytesMax + 1
        #expect(throws: StatementParseError(.fileTooLarge(sizeBytes: size, sizeBytesMax: BankStatementLimits.fileBytesMax))) {
            try BankStatementReader.read(Data(count: size))
        }
    }
}
