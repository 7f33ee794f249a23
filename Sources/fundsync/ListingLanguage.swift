import ArgumentParser
import Foundation
import LedgerCore
import WebConsole

/// `--lang zh|en` of the listing verbs (4/6 C): Chinese first. Without the option, `FUNDSYNC_LANG`, then `LANG`
/// (`en…` gives English, anything else Chinese). The words come from the console's catalogs, so the command line
/// and the console say the same thing.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "zh (default) or en; without it FUNDSYNC_LANG, then LANG.") var lang: String?

    var language: ConsoleCatalog.Language {
        let environment = ProcessInfo.processInfo.environment
        return ConsoleCatalog.Language(lang ?? environment["FUNDSYNC_LANG"] ?? environment["LANG"])
    }

    func words() throws -> ListingWords { ListingWords(catalog: try ConsoleCatalog.load(), language: language) }
}

/// The words and amount forms of one listing.
struct ListingWords {
    let catalog: ConsoleCatalog
    let language: ConsoleCatalog.Language

    func callAsFunction(_ key: String) -> String { catalog.text("cli.\(key)", language) }

    /// 借/贷 (Dr/Cr) of a balance, debits minus credits.
    func direction(_ balance: Int64) -> String { self(YuanFormat.direction(balance).rawValue) }

    /// An amount of `currency`: ¥1,234.56 for yuan, otherwise the plain decimal and the code.
    func amount(_ minorUnits: Int64, currency: String) -> String {
        currency == "CNY" ? YuanFormat.yuan(minorUnits) : AmountMinorUnits(minorUnits).formatted(scale: CurrencyCode(currency)?.minorUnitDigits ?? 2) + " " + currency
    }

    /// Pads `text` to `width` terminal columns (a CJK character takes two).
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let columns = text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic || (0xFF00...0xFFEF).contains($1.value) ? 2 : 1) }
        let padding = String(repeating: " ", count: max(0, width - columns))
        return right ? padding + text : text + padding
    }
}
