extension ReportTable.Cell: Codable {
    private enum CodingKeys: String, CodingKey { case type, value, minorUnits, scale, decimal }
    private enum CellType: String, Codable { case text, integer, money, date, empty }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(CellType.self, forKey: .type) {
        case .text: self = .text(try container.decode(String.self, forKey: .value))
        case .integer: self = .integer(try container.decode(Int64.self, forKey: .value))
        case .date: self = .date(try container.decode(String.self, forKey: .value))
        case .empty: self = .empty
        case .money:
            self = .money(minorUnits: try container.decode(Int64.self, forKey: .minorUnits),
                          scale: try container.decode(Int.self, forKey: .scale))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode(CellType.text, forKey: .type)
            try container.encode(text, forKey: .value)
        case .integer(let value):
            try container.encode(CellType.integer, forKey: .type)
            try container.encode(value, forKey: .value)
        case .date(let text):
            try container.encode(CellType.date, forKey: .type)
            try container.encode(text, forKey: .value)
        case .empty: try container.encode(CellType.empty, forKey: .type)
        case .money(let minorUnits, let scale):
            try container.encode(CellType.money, forKey: .type)
            try container.encode(minorUnits, forKey: .minorUnits)
            try container.encode(scale, forKey: .scale)
            try container.encode(MoneyText.plain(minorUnits: minorUnits, scale: scale), forKey: .decimal)
        }
    }
}
