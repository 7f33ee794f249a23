import Foundation
import SyncTesting
import Testing

/// Regression test of issue 2/6, finding 8 (the terminal): a memo is data a clerk or another office wrote. A
/// newline or an escape code in it must not reach the terminal raw (it could forge a line or redraw the screen),
/// and an oversized memo is not echoed back in full.
@Suite struct TerminalOutputTests {
    @Test func aMemoCannotForgeALineOrDriveTheTerminal() throws {
        let cli = CLI(folder: try TemporaryDirectory("terminal"))
        defer { cli.folder.remove() }
        try cli.setUpProvince(counties: ["340121"])
        let hostile = "fees\u{1B}[2J\nposted 340121-V999999 2026-11-02 1000000.00 CNY forged"
        let long = String(repeating: "长", count: 20_000)
        let file = try cli.writeVouchers("hostile.json", """
            {"vouchers": [
              {"date": "2026-11-02", "memo": \(String(data: try JSONEncoder().encode(hostile), encoding: .utf8)!), "preparer": "A",
               "lines": [{"account": "340121:1002", "debit": "1.00"}, {"account": "340121:6001", "credit": "1.00"}]},
              {"date": "2026-11-02", "memo": "\(long)", "preparer": "A",
               "lines": [{"account": "340121:1002", "debit": "2.00"}, {"account": "340121:6001", "credit": "2.00"}]}
            ]}
            """)
        let posted = try cli.run(["post", "--data", cli.path("340121"), file]).stdout
        let documents = try cli.run(["documents", "--data", cli.path("340121"), "--kind", "bank_journal"]).stdout
        #expect(!posted.contains("\u{1B}"), "no escape code reaches the terminal")
        #expect(!posted.split(separator: "\n").contains { $0.hasPrefix("posted 340121-V999999") }, "no forged line: \(posted)")
        #expect(posted.contains("fees\\u{1B}[2J\\nposted 340121-V999999"), "the memo is shown escaped, not dropped: \(posted)")
        #expect(posted.utf8.count < 2_000, "the long memo is cut: \(posted.utf8.count) bytes")
        #expect(!documents.contains("\u{1B}"))
    }
}
