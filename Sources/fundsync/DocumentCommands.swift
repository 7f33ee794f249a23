import ArgumentParser
import Foundation
import LedgerCore
import ReplicaStore

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List concurrent state changes this office resolved, with the losing change kept.",
        discussion: """
            Examples:
              fundsync conflicts --data hub
              fundsync conflicts --data county
            """)
    @OptionGroup var data: DataOption

    func run() throws {
        let conflicts = try Office.open(data.data).store.conflicts()
        for item in conflicts {
            print("\(item.table) \(item.id): kept \(item.keptState) (by \(item.winner)); lost: \(item.loser) wanted \(item.loserState)")
        }
        if conflicts.isEmpty { print("no conflicts") }
    }
}

struct Documents: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List documents of one kind with their state, amounts in yuan and who signed.",
        discussion: """
            Examples:
              fundsync documents --data county --kind payment
              fundsync documents --data hub --kind slip --json     # amounts in minor units (fen), typed numbers
            """)
    @OptionGroup var data: DataOption
    @Option(help: "slip, application, account_request, payment, allocation, forecast, bank_journal, balance_report, confirmation, contract.")
    var kind: String
    @OptionGroup var language: LanguageOption
    @Flag(help: "Print JSON.") var json = false

    /// Columns that hold an amount in minor units.
    static let amountColumns: Set<String> = ["amount", "total", "balance", "principal", "intercompany", "bank_total", "chain_paid"]

    func run() throws {
        guard let table = ReplicatedTable(rawValue: kind), !table.isHubOwned || table == .allocation, table != .voucher, table != .transition else {
            throw CLIError("unknown document kind '\(kind)'")
        }
        let store = try Office.open(data.data).store
        if json { return try printJSON(try store.typedDocuments(table)) }
        let rows = try store.documents(table)
        let words = try language.words()
        for row in rows {
            var fields = row.keys.sorted().filter { !["vector", "issuer_entries", "receiver_entries", "state_by_hub", "signatures"].contains($0) }
                .map { key -> String in
                    let value = row[key]!
                    if Self.amountColumns.contains(key), let minor = Int64(value) { return "\(key)=\(words.amount(minor, currency: row["currency"] ?? "CNY"))" }
                    return "\(key)=\(TerminalText.safe(value))"
                }
            if DocumentSigning.signedTables.contains(table) {
                let signers = try ReplicaStore.signerIDs(inJSON: row["signatures"])
                fields.append(signers.isEmpty ? "[\(words("unsigned"))]" : "[\(words("signedBy")) ✓ \(signers.joined(separator: ", "))]")
            }
            print(fields.joined(separator: "  "))
        }
        if rows.isEmpty { print("no \(kind) documents") }
    }
}
