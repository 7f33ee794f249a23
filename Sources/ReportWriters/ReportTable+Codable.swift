/// The JSON shape of reports, written down here next to its codec (and in `Documentation.docc`):
///
/// ```json
/// {"formatVersion": 1, "title": "…", "tables": [
///   {"title": "…", "parameters": [{"name": "单位", "value": "…"}],
///    "columns": [{"kind": "money", "name": "金额"}],
///    "rows": [[{"decimal": "1234.56", "minorUnits": 123456, "scale": 2, "type": "money"}]],
///    "totals": null}]}
/// ```
///
/// Cells are objects tagged by `type` (`text`, `integer`, `money`, `date`, `empty`). Money is `minorUnits` (a JSON
/// integer, exact) plus `scale`; `decimal` is the same amount as exact text for people and for JavaScript readers,
/// whose numbers lose precision past 2^53. It is written but not read: `minorUnits` and `scale` are the truth.
/// Key names never change; a new shape is a new ``Report/jsonFormatVersion``.
extension Report: Codable {
    /// The version of the JSON shape; readers refuse others instead of guessing.
    public static let jsonFormatVersion = 1

    private enum CodingKeys: String, CodingKey { case formatVersion, title, tables }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .formatVersion)
        guard version == Self.jsonFormatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .formatVersion, in: container,
                                                   debugDescription: "unsupported report format version \(version)")
        }
        self.init(title: try container.decode(String.self, forKey: .title),
                  tables: try container.decode([ReportTable].self, forKey: .tables))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.jsonFormatVersion, forKey: .formatVersion)
        try container.encode(title, forKey: .title)
        try container.encode(tables, forKey: .tables)
    }
}

extension ReportTable: Codable {
    private enum CodingKeys: String, CodingKey { case title, parameters, columns, rows, totals }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(title: try container.decode(String.self, forKey: .title),
                  parameters: try container.decode([Parameter].self, forKey: .parameters),
                  columns: try container.decode([Column].self, forKey: .columns),
                  rows: try container.decode([[Cell]].self, forKey: .rows),
                  totals: try container.decodeIfPresent([Cell].self, forKey: .totals))
    }

    /// Writes `totals` as `null` when absent, so every table has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(totals, forKey: .totals)
    }
}
