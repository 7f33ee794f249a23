import Foundation
import Testing
@testable import ReportWriters

/// JSON keeps money as exact integers with their scale, in a fixed key order, and reads back to the same report.
@Suite struct JSONReportWriterTests {
    @Test func roundTripsThroughCodable() throws {
        let data = try JSONReportWriter.data(for: ReportFixtures.report)
        #expect(try JSONDecoder().decode(Report.self, from: data) == ReportFixtures.report)
    }

    @Test func shapeAndKeyOrderAreStable() throws {
        let table = ReportTable(title: "表", parameters: [.init(name: "单位", value: "县/局")],
                                columns: [.init(name: "金额", kind: .money), .init(name: "n", kind: .integer)],
                                rows: [[.money(minorUnits: .min, scale: 2), .empty]],
                                totals: [.text("合计"), .integer(.max)])
        let json = String(decoding: try JSONReportWriter.data(for: table), as: UTF8.self)
        let compact = json.filter { !$0.isWhitespace || $0 == "\u{3000}" }
        #expect(compact == #"{"formatVersion":1,"tables":[{"columns":[{"kind":"money","name":"金额"},"#
            + #"{"kind":"integer","name":"n"}],"parameters":[{"name":"单位","value":"县/局"}],"#
            + #""rows":[[{"decimal":"-92233720368547758.08","minorUnits":-9223372036854775808,"scale":2,"#
            + #""type":"money"},{"type":"empty"}]],"title":"表","totals":[{"type":"text","value":"合计"},"#
            + #"{"type":"integer","value":9223372036854775807}]}],"title":"表"}"#)
    }

    @Test func tableWithoutTotalsWritesNull() throws {
        let json = String(decoding: try JSONReportWriter.data(for: ReportFixtures.detail), as: UTF8.self)
        #expect(json.contains(#""totals" : null"#))
    }

    @Test func otherFormatVersionsAreRefused() throws {
        let data = Data(#"{"formatVersion":2,"title":"","tables":[]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Report.self, from: data) }
    }
}
