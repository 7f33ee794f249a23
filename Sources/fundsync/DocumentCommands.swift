import ArgumentParser
import Foundation
import LedgerCore
import ReplicaStore

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List concurrent state changes this office resolved, with the losing change kept.")
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
    static let configuration = CommandConfiguration(abstract: "List documents of one kind with their state.")
    @OptionGroup var data: DataOption
    @Option(help: "slip, application, account_request, payment, allocation, forecast, bank_journal, balance_report.") var kind: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let table = ReplicatedTable(rawValue: kind), !table.isHubOwned || table == .allocation, table != .voucher, table != .transition else {
            throw CLIError("unknown document kind '\(kind)'")
        }
        let rows = try Office.open(data.data).store.documents(table)
        if json { return try printJSON(rows) }
        for row in rows {
            print(row.keys.sorted().filter { !["vector", "issuer_entries", "receiver_entries", "state_by_hub"].contains($0) }
                .map { "\($0)=\(TerminalText.safe("\(row[$0]!)"))" }.joined(separator: "  "))
        }
        if rows.isEmpty { print("no \(kind) documents") }
    }
}
