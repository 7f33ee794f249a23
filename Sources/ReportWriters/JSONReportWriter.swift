import Foundation

/// Writes reports as JSON for other programs (the shape is documented on ``Report``'s `Codable` conformance).
///
/// Keys are sorted and the output is pretty-printed, so the same report always gives the same bytes and two runs
/// can be compared with `diff`. Read it back with `JSONDecoder().decode(Report.self, from: data)`.
public enum JSONReportWriter {
    /// Encodes a validated report.
    /// - Throws: ``ReportWritingError`` when ``Report/validate()`` fails or encoding fails.
    public static func data(for report: Report) throws(ReportWritingError) -> Data {
        try report.validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(report)
        } catch {
            throw ReportWritingError(.jsonEncodingFailed(reason: "\(error)"))
        }
    }

    /// Encodes a single table as a one-table report, so readers handle one shape only.
    public static func data(for table: ReportTable) throws(ReportWritingError) -> Data {
        try data(for: Report(title: table.title, tables: [table]))
    }
}
