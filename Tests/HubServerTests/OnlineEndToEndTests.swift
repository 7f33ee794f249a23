import Foundation
import SyncTesting
import Testing

/// Real processes on 127.0.0.1: `fundsync hub serve` on a port the OS picks, three county nodes and one city relay.
///
/// Goal: everyone converges whatever the path — 340121 and 340123 sync over HTTP, 340122 is offline behind the city
/// office, whose relay carries its files to and from the hub (a byte flipped at the relay is refused by the hub and
/// quarantined; the county's next export carries the changes again). The hub goes down for a while (a sync then
/// fails cleanly, within its retry limit) and comes back on another port. At the end the hub's vector entry of each
/// county equals that county's own counter, and `verify` passes everywhere.
@Suite(.serialized) struct OnlineEndToEndTests {
    static let counties = ["340121", "340122", "340123"]

    func setUpProvince(_ cli: FundSyncProcesses) throws {
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui Province"])
        try cli.run(["hub", "org", "--data", cli.path("hub"), "--org", "340100", "--parent", "340000", "--name", "Hefei", "--level", "city"])
        for county in Self.counties {
            try cli.run(["node", "init", "--data", cli.path(county), "--org", county, "--hub-key", cli.path("hub/public.key")])
            try cli.run(["hub", "enroll", "--data", cli.path("hub"), "--org", county, "--parent", "340100", "--name", "County \(county)",
                         "--key", cli.path("\(county)/public.key")])
            for (code, name) in [("1002", "Bank deposits"), ("6001", "Income")] {
                try cli.run(["hub", "account", "add", "--data", cli.path("hub"), "--org", county, "--kind", "subject", "--code", code,
                             "--name", name])
            }
        }
        // The city office: its own key, enrolled for the city, is what lets its relay pull for the counties below.
        try cli.run(["node", "init", "--data", cli.path("city"), "--org", "340100", "--hub-key", cli.path("hub/public.key")])
        try cli.run(["hub", "enroll", "--data", cli.path("hub"), "--org", "340100", "--parent", "340000", "--name", "Hefei",
                     "--level", "city", "--key", cli.path("city/public.key")])
    }

    func post(_ cli: FundSyncProcesses, _ county: String, amount: String, memo: String) throws {
        let file = cli.path("\(county)-\(UUID().uuidString).json")
        try """
            [{"date": "2026-11-02", "memo": "\(memo)", "preparer": "Li Na",
              "lines": [{"account": "\(county):1002", "debit": "\(amount)"}, {"account": "\(county):6001", "credit": "\(amount)"}]}]
            """.write(toFile: file, atomically: true, encoding: .utf8)
        try cli.run(["post", "--data", cli.path(county), file])
    }

    /// 340122's round trip through the city office: the relay pulls its batch from the hub into the city's folder,
    /// the folder is carried to the county, the county imports and exports, and the relay carries that up.
    func relayRound(_ cli: FundSyncProcesses, hub: String, flipAByte: Bool = false) throws -> (status: Int32, stderr: String) {
        try cli.run(["relay", "--from", hub, "--to", cli.path("city-down"), "--county", "340122", "--key", cli.path("city/private.key")])
        try cli.run(["relay", "--from", cli.path("city-down"), "--to", cli.path("340122-inbox"), "--county", "340122"])
        if !(try FileManager.default.contentsOfDirectory(atPath: cli.path("340122-inbox"))).filter({ $0.hasSuffix(".fsb") }).isEmpty {
            try cli.run(["import", "--data", cli.path("340122"), cli.path("340122-inbox")])
            for name in try FileManager.default.contentsOfDirectory(atPath: cli.path("340122-inbox")) {
                try FileManager.default.removeItem(atPath: cli.path("340122-inbox/\(name)"))
            }
        }
        try cli.run(["export", "--data", cli.path("340122"), "--to", cli.path("340122-outbox")])
        try cli.run(["relay", "--from", cli.path("340122-outbox"), "--to", cli.path("city-up")])
        if flipAByte {
            let names = try FileManager.default.contentsOfDirectory(atPath: cli.path("city-up")).filter { $0.hasSuffix(".fsb") }
            let file = URL(fileURLWithPath: cli.path("city-up/\(try #require(names.first))"))
            var bytes = [UInt8](try Data(contentsOf: file))
            bytes[bytes.count / 2] ^= 0x20
            try Data(bytes).write(to: file)
        }
        let up = try cli.run(["relay", "--from", cli.path("city-up"), "--to", hub], status: nil)
        return (up.status, up.stderr)
    }

    @Test(.timeLimit(.minutes(5))) func countiesOnlineOfflineAndBehindARelayConverge() throws {
        let cli = FundSyncProcesses(folder: try TemporaryDirectory("fundsync-online-e2e"))
        defer { cli.folder.remove() }
        try setUpProvince(cli)
        var server = try HubServerProcess(data: cli.path("hub"), logURL: cli.folder.url.appendingPathComponent("hub-1.log"))
        defer { server.stop() }
        #expect(server.log.contains("hub 340000 listening on \(server.url)"))
        let quick = ["--retry-attempt-count-max", "2", "--retry-delay-milliseconds-initial", "10", "--retry-delay-milliseconds-max", "20"]

        // The registry reaches everyone: directly, or through the relay.
        for county in ["340121", "340123"] {
            let synced = try cli.run(["sync", "--data", cli.path(county), "--hub", server.url])
            #expect(synced.stdout.contains("sync complete"), "\(synced.stdout)")
        }
        _ = try relayRound(cli, hub: server.url)

        // Day 1: everyone posts; 340122's upload is altered at the relay and refused by the hub.
        for county in Self.counties {
            try post(cli, county, amount: "100.00", memo: "day 1 a")
            try post(cli, county, amount: "25.50", memo: "day 1 b")
        }
        for county in ["340121", "340123"] { try cli.run(["sync", "--data", cli.path(county), "--hub", server.url]) }
        let beforeTampering = try cli.versionVector("hub")["340122"] ?? 0
        let tampered = try relayRound(cli, hub: server.url, flipAByte: true)
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("refused") && tampered.stderr.contains("by the hub"), "\(tampered.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.path("hub/quarantine")).contains { $0.hasSuffix(".reason") })
        #expect(try cli.versionVector("hub")["340122"] ?? 0 == beforeTampering, "nothing of the altered batch was applied")

        // The hub goes down: a sync fails within its retry limit, and posting goes on offline.
        server.stop()
        try post(cli, "340121", amount: "7.00", memo: "while the hub is down")
        let down = try cli.run(["sync", "--data", cli.path("340121"), "--hub", server.url] + quick, status: 1)
        #expect(down.stderr.contains("sync failed") && down.stderr.contains("could not be reached"), "\(down.stderr)")

        // It comes back on another port; everyone catches up (two rounds, so acknowledgements travel both ways).
        server = try HubServerProcess(data: cli.path("hub"), logURL: cli.folder.url.appendingPathComponent("hub-2.log"))
        try post(cli, "340123", amount: "3.05", memo: "after the outage")
        for _ in 0..<2 {
            for county in ["340121", "340123"] { try cli.run(["sync", "--data", cli.path(county), "--hub", server.url]) }
            let round = try relayRound(cli, hub: server.url)
            #expect(round.status == 0, "\(round.stderr)")
        }

        let hubVector = try cli.versionVector("hub")
        for county in Self.counties {
            let own = try cli.versionVector(county)[county]
            #expect(own != nil && hubVector[county] == own, "\(county): hub has \(hubVector[county] ?? 0), county counter \(own ?? 0)")
            try cli.run(["verify", "--data", cli.path(county)])
        }
        // The counters also count each office's audit entries; the vouchers are 3 + 2 + 3.
        #expect(try cli.json(["status", "--data", cli.path("hub"), "--json"])["vouchers"] as? Int == 8)
        try cli.run(["verify", "--data", cli.path("hub")])
        for county in ["340121", "340123"] {
            let status = try cli.json(["status", "--data", cli.path(county), "--json"])
            #expect(status["outbox"] as? Int == 0, "\(county) still has unacknowledged changes: \(status)")
        }
    }
}
