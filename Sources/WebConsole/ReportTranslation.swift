import HubCore
import ReportWriters

/// A report's words in a person's language: its title, column and parameter names and the totals label, from the
/// catalogs (`report.<kind>`, `report.column.<English name>`); a name without a translation stays as the report wrote
/// it. Figures, dates and codes are never touched.
public struct ReportTranslation: Sendable {
    let catalog: ConsoleCatalog
    let language: ConsoleCatalog.Language

    public init(catalog: ConsoleCatalog, language: ConsoleCatalog.Language) {
        self.catalog = catalog
        self.language = language
    }

    public func title(_ kind: ReportKind) -> String {
        word("report.\(kind.rawValue)") ?? kind.title
    }

    public func translate(_ report: Report, kind: ReportKind) -> Report {
        guard language != .en else { return report }
        var translated = report
        translated.title = title(kind)
        translated.tables = report.tables.map { table in
            var table = table
            table.title = title(kind)
            table.columns = table.columns.map { .init(name: word("report.column.\($0.name)") ?? $0.name, kind: $0.kind) }
            table.parameters = table.parameters.map { .init(name: word("report.column.\($0.name)") ?? $0.name, value: $0.value) }
            table.totals = table.totals?.map { cell in
                if case .text("Total") = cell, let total = word("report.column.Total") { return .text(total) }
                return cell
            }
            return table
        }
        return translated
    }

    func word(_ key: String) -> String? {
        let text = catalog.text(key, language)
        return text == key ? nil : text
    }
}
