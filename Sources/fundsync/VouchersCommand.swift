import ArgumentParser
import Foundation
import LedgerCore
import ReplicaStore

/// `fundsync vouchers`: the ledger detail (明细账) with filters, each voucher with its lines in 借/贷, its people and
/// whether they signed.
struct Vouchers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List vouchers with their lines (借/贷), filtered by unit, account and dates.",
        discussion: """
            Examples:
              fundsync vouchers --data county --from 2026-11-01 --to 2026-11-30
              fundsync vouchers --data hub --org 340122 --account 6217000012345678901 --lang en
              fundsync vouchers --data hub --org 340122 --json        # amounts in minor units (fen), typed numbers
            """)
    @OptionGroup var data: DataOption
    @Option(help: "Only this org unit's vouchers.") var org: String?
    @Option(help: "Only vouchers with a line on this account.") var account: String?
    @Option(help: "From this business date.") var from: BusinessDate?
    @Option(name: .customLong("to"), help: "Through this business date.") var through: BusinessDate?
    @Option(help: "At most this many vouchers.") var limit = 1_000
    @OptionGroup var language: LanguageOption
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be 1…1000000") }
        if let from, let through, from > through { throw ValidationError("--from \(from) is after --to \(through)") }
    }

    func run() throws {
        let store = try Office.open(data.data).store
        let vouchers = try store.voucherListing(VoucherFilter(org: try org.map { try parseOrg($0, flag: "--org") }, account: account,
                                                              from: from, through: through, limit: limit))
        if json { return try printJSON(vouchers) }
        let words = try language.words()
        for voucher in vouchers {
            var people = "\(words("preparer")) \(voucher.preparer)"
            if let reviewer = voucher.reviewer { people += " · \(words("reviewer")) \(reviewer)" }
            if let approver = voucher.approver { people += " · \(words("approver")) \(approver)" }
            let signed = voucher.automatic ? words("automatic")
                : voucher.signedBy.isEmpty ? words("unsigned") : "\(words("signedBy")) ✓ \(voucher.signedBy.joined(separator: ", "))"
            let status = voucher.status == "posted" ? "" : "  [\(words("rejected")): \(TerminalText.safe(voucher.rejectReason ?? ""))]"
            print("\(voucher.date)  \(voucher.id)  \(voucher.org)  \(TerminalText.safe(voucher.memo))\(status)")
            for line in voucher.lines {
                let side = line.side == "debit" ? words("debit") : words("credit")
                let name = TerminalText.safe(line.accountName ?? "")
                print("    \(side)  \(ListingWords.pad(line.account, 24)) \(ListingWords.pad(name, 30)) "
                      + ListingWords.pad(words.amount(line.amountMinorUnits, currency: voucher.currency), 20, right: true))
            }
            print("    \(TerminalText.safe(people)) · \(signed)")
        }
        print(vouchers.isEmpty ? words("noVouchers") : "\(vouchers.count) \(words("vouchers"))")
    }
}
