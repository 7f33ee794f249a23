import Foundation

/// The console's words in each language, from the catalog files in `Resources/catalog/` (one JSON object per
/// language, key → text): Chinese (zh-Hans) first, English by a switch. Code never holds a label; a key missing from a
/// catalog shows as the key itself, and `ConsoleCatalogTests` keeps both catalogs' keys equal.
public struct ConsoleCatalog: Sendable {
    public enum Language: String, Sendable, CaseIterable {
        case zhHans = "zh-Hans", en

        /// From a `lang` cookie or query value (`zh`, `zh-Hans`, `en`); Chinese when unknown.
        public init(_ text: String?) {
            self = text?.lowercased().hasPrefix("en") == true ? .en : .zhHans
        }
    }

    public let texts: [Language: [String: String]]

    public static func load() throws -> ConsoleCatalog {
        var texts: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Resources/catalog") else {
                throw ConsoleError.missingResource("catalog/\(language.rawValue).json")
            }
            texts[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return ConsoleCatalog(texts: texts)
    }

    /// The text of `key` in `language`, with `{{name}}` placeholders filled from `values`.
    public func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = texts[language]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: value) }
        return text
    }

    /// Every text of `language` as nested objects for the templates: `{{t.nav.balances}}` reads "nav.balances".
    public func forTemplates(_ language: Language) -> [String: Any] {
        var root: [String: [String: String]] = [:]
        for (key, text) in texts[language] ?? [:] {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            root[parts[0], default: [:]][parts[1]] = text
        }
        return root
    }
}

/// Why the console could not start or answer.
public enum ConsoleError: Error, CustomStringConvertible {
    case missingResource(String)
    case template(String)

    public var description: String {
        switch self {
        case .missingResource(let name): "the console's resource \(name) is missing from the build"
        case .template(let name): "the console's template \(name) did not render"
        }
    }
}
