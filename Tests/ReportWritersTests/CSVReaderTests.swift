import Foundation
import Testing
@testable import ReportWriters

/// The parser on its own: RFC 4180 and what Excel writes, and precise errors for broken quoting.
@Suite struct CSVReaderTests {
    private func records(_ text: String) throws(CSVParsingError) -> [[String]] {
        try CSVReader.records(from: Data(text.utf8))
    }

    @Test func handlesBOMQuotesAndEmbeddedDelimiters() throws {
        let input = "\u{FEFF}名称,备注\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"line1\r\nline2\",\r\n"
        #expect(try records(input) == [["名称", "备注"], ["a,b", "say \"hi\""], ["line1\r\nline2", ""]])
    }

    @Test func acceptsLFAndCRLineEndsAndNoFinalLineEnd() throws {
        #expect(try records("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try records("a\rb\r") == [["a"], ["b"]])
        #expect(try records("a,\n,\n\"\"") == [["a", ""], ["", ""], [""]])
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try records("") == [])
        #expect(try CSVReader.records(from: Data(CSVWriter.byteOrderMark)) == [])
    }

    @Test func unterminatedQuoteSaysWhereItOpened() {
        #expect(throws: CSVParsingError(.unterminatedQuote, recordIndex: 1, byteOffset: 4)) {
            try records("a,b\n\"open")
        }
    }

    @Test func strayQuotesAreErrors() {
        #expect(throws: CSVParsingError(.characterAfterClosingQuote, recordIndex: 0, byteOffset: 3)) {
            try records("\"a\"b")
        }
        #expect(throws: CSVParsingError(.quoteInUnquotedField, recordIndex: 0, byteOffset: 1)) {
            try records("a\"b\"")
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: CSVParsingError(.invalidUTF8)) { try CSVReader.records(from: Data([0x61, 0xFF, 0x62])) }
    }

    /// Every prefix of a valid file either parses or fails with a typed error, never traps: a cut-off download.
    @Test func everyTruncationFailsCleanly() throws {
        let data = try CSVWriter.data(for: ReportFixtures.detail)
        for length in 0...data.count {
            _ = try? CSVReader.records(from: data.prefix(length))
        }
    }
}
