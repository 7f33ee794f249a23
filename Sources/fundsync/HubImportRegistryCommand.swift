import ArgumentParser
import Foundation
import HubCore

/// `fundsync hub import-registry FILE`: a province's units, accounts and people from one file (5/6 item 2).
struct HubImportRegistry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-registry",
        abstract: "Import budget units, accounts and staff from a CSV or xlsx file, all or nothing, as one registry version.",
        discussion: """
            The file is CSV (UTF-8; Excel's byte-order mark is fine) with this first line, then one row per unit, \
            account or person in any order:

              record,id,org,name,type,code,currency,posts
              unit,340122001,340122,肥东县教育局,budget_unit,,,
              account,6217000012345678901,340122001,教育局零余额账户,bank,6217000012345678901,CNY,
              account,340122001:6602,340122001,管理费用,subject,6602,,
              staff,340122001-chenjing,340122001,陈静,,,,cashier;finance_manager

            An xlsx workbook (Excel, WPS, LibreOffice) with the same columns in its first worksheet works too; format \
            the id, org and code columns as text, or Excel keeps only 15 digits of a long account number.

            A unit's org is its parent; an account's org is its owner; a person's org is their unit. Every row is \
            checked before anything is written, and any problem refuses the whole file, listing each with its line. \
            Rows already in the registry exactly as given are left alone (importing a file twice adds nothing); a row \
            that would change one is refused. A budget unit sits directly under a county that is enrolled already.

            Example:
              fundsync hub import-registry --data hub province-registry.csv
              fundsync hub import-registry --data hub 预算单位导入.xlsx
            """)
    @OptionGroup var data: DataOption
    @Argument(help: "The registry file (CSV, or an xlsx workbook).") var file: String
    @Flag(help: "Print JSON: {unitsAdded, accountsAdded, staffAdded, unchanged, registryVersion}.") var json = false

    func run() throws {
        let rows = try RegistryImportFile.parse(try Data(contentsOf: URL(fileURLWithPath: file)))
        let summary = try openHub(data).importRegistry(rows)
        if json { return try printJSON(summary) }
        print("imported \(file): \(summary.unitsAdded) unit(s), \(summary.accountsAdded) account(s), \(summary.staffAdded) person(s) added, "
              + "\(summary.unchanged) unchanged; registry version \(summary.registryVersion)")
    }
}
