import Foundation
import SyncTesting
import Testing

/// 4/6 C: "Examples in every verb's --help". The whole command tree comes from the binary itself
/// (swift-argument-parser's `--experimental-dump-help`), so a verb added without an example fails here.
@Suite struct HelpExamplesTests {
    @Test func everyVerbShowsAnExample() throws {
        let result = try runProcess(CLI.binary, ["--experimental-dump-help"])
        #expect(result.status == 0, "\(result.stderr)")
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var verbs: [(path: String, discussion: String)] = []
        func walk(_ command: [String: Any], path: [String]) {
            let name = command["commandName"] as? String ?? "?"
            let children = command["subcommands"] as? [[String: Any]] ?? []
            let here = path + [name]
            if children.isEmpty {
                verbs.append((here.joined(separator: " "), command["discussion"] as? String ?? ""))
            }
            for child in children where child["commandName"] as? String != "help" { walk(child, path: here) }
        }
        walk(try #require(tool["command"] as? [String: Any]), path: [])
        #expect(verbs.count > 60, "the tree was read: \(verbs.count) verbs")
        let without = verbs.filter { !$0.discussion.contains("Example") }.map(\.path)
        #expect(without.isEmpty, "verbs whose --help shows no example: \(without)")
        for verb in verbs {
            for line in verb.discussion.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("fundsync ") {
                #expect(!line.contains(" --console-listen"), "\(verb.path): an example names a removed option: \(line)")
            }
        }
    }
}
