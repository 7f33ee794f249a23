import Foundation
import SyncTesting
import Testing

/// 7/7 item 4 with real processes: `fundsync hub bank send` is killed with SIGKILL at random moments 20 times while
/// payments keep being released, against a simulated bank that pays a repeated end-to-end id again (DECISIONS: many
/// banks do). Afterwards every payment has been paid exactly once, none is lost, and the hub's books verify.
@Suite(.serialized) struct BankSendCrashTests {
    static let account = "6217000012345678901"

    @Test func theSenderKilledAtRandomMomentsNeverPaysTwiceAndLosesNothing() throws {
        let cli = CLI(folder: try TemporaryDirectory("fundsync-e2e-bank-crash"))
        defer { cli.folder.remove() }
        let hub = cli.path("hub"), county = cli.path("340121"), bank = cli.path("bank")
        try cli.setUpProvince(counties: ["340121"])
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340121", "--kind", "subject", "--code", "6602", "--name", "Admin"])
        try cli.run(["hub", "account", "add", "--data", hub, "--org", "340121", "--kind", "bank", "--code", Self.account, "--name", "Expense",
                     "--purpose", "expense", "--class", "general"])
        try cli.run(["hub", "staff", "--data", hub, "--id", "340000-sup", "--org", "340000", "--name", "Supervisor", "--roles", "fund_centre_supervisor"])
        try cli.run(["export", "--data", hub, "--to", cli.path("down1")])
        try cli.run(["import", "--data", county, cli.path("down1")])
        try cli.run(["post", "--data", county, try cli.writeVouchers("opening.json", """
            [{"date": "2026-11-01", "memo": "opening", "preparer": "Li Na", "reviewer": "Wang Fang",
              "lines": [{"account": "\(Self.account)", "debit": "1000000.00"}, {"account": "340121:3001.01", "credit": "1000000.00"}]}]
            """)])

        var generator = SeededGenerator(seed: 77)
        var released: [String] = []
        var kills = 0
        var attempt = 0
        while kills < 20 && attempt < 80 {
            attempt += 1
            // Two more payments entered at the county, carried up and released: there is always something to send.
            for index in 0..<2 {
                let output = try cli.run(["pay", "--data", county, "--from", Self.account, "--payee", "Road Works \(attempt)-\(index)",
                                          "--payee-account", "62220000111122\(attempt % 10)\(index)", "--amount", "\(attempt).0\(index)",
                                          "--date", "2026-11-02", "--purpose", "works", "--expense", "340121:6602",
                                          "--preparer", "Li Na", "--reviewer", "Wang Fang"]).stdout
                let id = try #require(output.split(separator: " ").dropFirst().first.map(String.init))
                released.append(id)
            }
            try cli.run(["export", "--data", county, "--to", cli.path("up\(attempt)")])
            try cli.run(["import", "--data", hub, cli.path("up\(attempt)")])
            for id in released.suffix(2) { try cli.run(["hub", "release", "--data", hub, "--payment", id, "--by", "340000-sup"]) }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["hub", "bank", "send", "--data", hub, "--bank-folder", bank, "--per-message", "1"]
            // The moments between storing a message, delivering it and recording it last 15 ms each instead of microseconds.
            process.environment = ProcessInfo.processInfo.environment.merging(["FUNDSYNC_TEST_BANK_SEND_PAUSE_MS": "15"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...160_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            // The bank takes whatever reached it, and pays a repeated id again.
            try cli.run(["bank-sim", "run", "--folder", bank, "--booking-date", "2026-11-03", "--accept-duplicates"])
        }
        #expect(kills == 20, "the sender was killed \(kills) times in \(attempt) attempts: make the delays shorter")

        // Finish: what nobody could tell about is checked with the bank (it never saw those ids) and signed off.
        let first = try cli.json(["hub", "bank", "send", "--data", hub, "--bank-folder", bank, "--per-message", "1", "--json"])
        let waiting = first["waiting"] as? [String] ?? []
        let state = try bankState(bank)
        let sending = try cli.jsonArray(["hub", "bank", "list", "--data", hub, "--state", "sending", "--json"])
        for record in sending {
            let id = try #require(record["endToEndID"] as? String)
            #expect(!state.received.contains(id), "\(id) waits although the bank has it")
        }
        for message in waiting { try cli.run(["hub", "bank", "resend", "--data", hub, "--message", message, "--by", "340000-sup"]) }
        try cli.run(["hub", "bank", "send", "--data", hub, "--bank-folder", bank])
        try cli.run(["bank-sim", "run", "--folder", bank, "--booking-date", "2026-11-03", "--accept-duplicates"])
        try cli.run(["hub", "bank", "receive", "--data", hub, "--bank-folder", bank])

        let final = try bankState(bank)
        #expect(final.paid.values.allSatisfy { $0 == 1 }, "paid twice: \(final.paid.filter { $0.value > 1 })")
        #expect(Set(final.paid.keys) == Set(released), "every released payment paid once: \(released.count) released, \(final.paid.count) paid")
        let settled = try cli.jsonArray(["hub", "bank", "list", "--data", hub, "--state", "settled", "--json"])
        #expect(settled.count == released.count, "\(settled.count) of \(released.count) settled at the hub")
        try cli.run(["verify", "--data", hub])
        // The kills fell in different places: some runs left a message whose delivery they never recorded.
        let messages = try runProcess("/usr/bin/env", ["sqlite3", "-readonly", cli.path("hub/replica.sqlite"),
                                                       "SELECT COUNT(*) || ' messages, ' || SUM(state = 'abandoned') || ' abandoned' FROM bank_message"]).stdout
        print("bank send crash test: \(kills) kills in \(attempt) attempts; \(messages)")
    }

    struct BankState: Decodable {
        var paid: [String: Int]
        var received: Set<String>
    }

    func bankState(_ folder: String) throws -> BankState {
        try JSONDecoder().decode(BankState.self, from: Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("simulated-bank.json")))
    }
}
