import Foundation
import SyncTesting
import Testing

/// 6/6 item 3: `fundsync statement check FILE` reads a statement file without a data folder and says what it holds.
/// Goal: a clerk sees the account, period, balances, entry count and sums of every statement before importing; a
/// bank's own export (GB18030, by its Chinese headers) is read through a profile; a file that does not add up exits 1
/// and says where; a file of no known layout is refused with a sentence. Method: the real binary on the test sets'
/// files, the figures checked against those written by hand in the files.
@Suite struct StatementCheckTests {
    static let fixtures = repositoryRoot().appendingPathComponent("Tests/BankStatementsTests/Fixtures")

    @Test func standardFilesAndBankExportsAreSummarised() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-statement-check"))
        defer { cli.folder.remove() }
        let mt940 = try cli.jsonArray(["statement", "check", Self.fixtures.appendingPathComponent("dialects/mt940/repeated-reference.sta").path, "--json"])
        #expect(mt940.map { $0["sequenceNumber"] as? Int } == [41, 42])
        #expect(mt940.map { $0["closingBalance"] as? String } == ["8250.25", "8000.00"])
        #expect(mt940.first?["debitSum"] as? String == "2500.00" && mt940.first?["creditSum"] as? String == "750.25")

        let icbc = try cli.jsonArray(["statement", "check", Self.fixtures.appendingPathComponent("dialects/china/icbc.csv").path,
                                      "--profile", "icbc", "--json"])
        #expect(icbc.first?["format"] as? String == "bank export (icbc)")
        #expect(icbc.first?["account"] as? String == "1202021109001234567")
        #expect(icbc.first?["openingBalance"] as? String == "1000000.00" && icbc.first?["closingBalance"] as? String == "1236742.83")
        #expect(icbc.first?["entryCount"] as? Int == 4 && icbc.first?["balanced"] as? Bool == true)

        let text = try cli.run(["statement", "check", Self.fixtures.appendingPathComponent("dialects/china/icbc.csv").path]).stdout
        #expect(text.contains("bank export (generic) statement of 1202021109001234567 (CNY), 2026-11-01 … 2026-11-30"), "\(text)")
    }

    @Test func aFileThatDoesNotAddUpOrCannotBeReadExitsOne() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-statement-check"))
        defer { cli.folder.remove() }
        let broken = try cli.run(["statement", "check", Self.fixtures.appendingPathComponent("dialects/china/bocom-broken-balance.csv").path],
                                 status: 1)
        #expect(broken.stderr.contains("the running balance breaks here"), "\(broken.stderr)")
        let unbalanced = try cli.run(["statement", "check", Self.fixtures.appendingPathComponent("statements/mt940/betterplace/sepa_snippet.sta").path],
                                     status: 1)
        #expect(unbalanced.stdout.contains("DOES NOT ADD UP") && unbalanced.stdout.contains("does not balance"), "\(unbalanced.stdout)")
        let nothing = cli.path("notes.txt")
        try "meeting at ten\n".write(toFile: nothing, atomically: true, encoding: .utf8)
        let refused = try cli.run(["statement", "check", nothing], status: 1)
        #expect(refused.stderr.contains("neither camt.053 XML, MT940 nor FundSync statement CSV"), "\(refused.stderr)")
    }
}
