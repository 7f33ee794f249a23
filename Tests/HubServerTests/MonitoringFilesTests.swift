import Foundation
@testable import HubServer
import SyncTesting
import Testing

/// 8, item 1: the Grafana dashboard and the Prometheus alert rules in `Nodes/monitoring/` are valid, and every panel
/// and rule queries only metric names the hub really exports (each made, with its help text, in `HubMetrics`).
@Suite struct MonitoringFilesTests {
    static func file(_ name: String, _ path: String = #filePath) -> URL {
        URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Nodes/monitoring/\(name)")
    }

    /// The metric names an expression uses: `fundsync_…` and `process_…`, a histogram's series named by its family.
    static func metricNames(in expression: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(fundsync_[a-z0-9_]+|process_[a-z0-9_]+)\b"#)
        let range = NSRange(expression.startIndex..., in: expression)
        return Set(pattern.matches(in: expression, range: range).compactMap { match in
            Range(match.range, in: expression).map { name -> String in
                var family = String(expression[name])
                for suffix in ["_bucket", "_count", "_sum"] where family.hasSuffix(suffix) && HubMetrics.help[family] == nil {
                    family.removeLast(suffix.count)
                }
                return family
            }
        })
    }

    @Test func everyPanelQueriesOnlyWhatTheHubExports() throws {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file("fundsync-hub-dashboard.json"))) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 12)
        var used = Set<String>()
        for panel in panels {
            let targets = panel["targets"] as? [[String: Any]] ?? []
            let expressions = targets.compactMap { $0["expr"] as? String }
            #expect(!expressions.isEmpty && expressions.allSatisfy { !$0.isEmpty }, "panel \(panel["title"] ?? "?") has no query")
            for expression in expressions {
                let names = Self.metricNames(in: expression)
                #expect(!names.isEmpty, "\(expression) names no FundSync metric")
                used.formUnion(names)
            }
        }
        let unknown = used.subtracting(HubMetrics.help.keys)
        #expect(unknown.isEmpty, "the dashboard queries metrics the hub does not export: \(unknown.sorted())")
    }

    @Test func theAlertRulesLoadInPromtoolAndUseOnlyExportedMetrics() throws {
        let rules = try String(contentsOf: Self.file("fundsync-alerts.yml"), encoding: .utf8)
        let expressions = rules.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("expr:") ? String(text.dropFirst(5)) : nil
        }
        #expect(expressions.count >= 8)
        let used = expressions.reduce(into: Set<String>()) { $0.formUnion(Self.metricNames(in: $1)) }
        #expect(used.subtracting(HubMetrics.help.keys).isEmpty, "rules on metrics the hub does not export: \(used.subtracting(HubMetrics.help.keys).sorted())")
        for needed in ["fundsync_hub_node_last_exchange_age_seconds", "fundsync_hub_funds_in_transit_slips", "fundsync_hub_quarantined_files",
                       "fundsync_stream_blocked", "fundsync_hub_bank_instruction_unconfirmed_oldest_seconds"] {
            #expect(used.contains(needed), "no alert on \(needed)")
        }
        // Debian's prometheus package provides promtool; Scripts/test installs it (DECISIONS, 8).
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "promtool is missing: Scripts/test installs the prometheus package")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else { return }
        let checked = try runProcess("/usr/bin/promtool", ["check", "rules", Self.file("fundsync-alerts.yml").path])
        #expect(checked.status == 0 && checked.stdout.contains("SUCCESS: \(expressions.count) rules found"), "\(checked.stdout)\(checked.stderr)")
    }
}
