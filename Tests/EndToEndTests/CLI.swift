import Foundation
import SyncTesting
import Testing

/// Runs the built `fundsync` binary (it sits beside the test bundle in the build folder).
struct CLI {
    let folder: TemporaryDirectory

    static var binary: String {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleFolder.appendingPathComponent("fundsync").path,
                          repositoryRoot().appendingPathComponent(".build/debug/fundsync").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    func path(_ component: String) -> String { folder.path(component) }

    /// Runs `fundsync arguments`, expecting exit status `status`.
    @discardableResult
    func run(_ arguments: [String], status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> (stdout: String, stderr: String) {
        let result = try runProcess(Self.binary, arguments)
        #expect(result.status == status, "fundsync \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)",
                sourceLocation: sourceLocation)
        return (result.stdout, result.stderr)
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let output = try run(arguments).stdout
        return (try JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
    }

    func jsonArray(_ arguments: [String]) throws -> [[String: Any]] {
        let output = try run(arguments).stdout
        return (try JSONSerialization.jsonObject(with: Data(output.utf8))) as? [[String: Any]] ?? []
    }

    func versionVector(_ data: String) throws -> [String: Int] {
        (try json(["status", "--data", path(data), "--json"])["versionVector"] as? [String: Int]) ?? [:]
    }

    func balances(_ data: String, org: String? = nil) throws -> [[String: AnyHashable]] {
        var arguments = ["balances", "--data", path(data), "--json"]
        if let org { arguments += ["--org", org] }
        return (try json(arguments)["accounts"] as? [[String: AnyHashable]]) ?? []
    }

    func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).filter { $0.hasSuffix(".fsb") }.sorted().map { path("\(folder)/\($0)") }
    }

    func writeVouchers(_ name: String, _ json: String) throws -> String {
        let file = path(name)
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A hub, a city and the given counties, enrolled, with accounts, and the first registry delivered.
    func setUpProvince(counties: [String]) throws {
        try run(["hub", "init", "--data", path("hub"), "--org", "340000", "--name", "Anhui Province"])
        try run(["hub", "org", "--data", path("hub"), "--org", "340100", "--parent", "340000", "--name", "Hefei", "--level", "city"])
        for county in counties {
            try run(["node", "init", "--data", path(county), "--org", county, "--hub-key", path("hub/public.key")])
            try run(["hub", "enroll", "--data", path("hub"), "--org", county, "--parent", "340100", "--name", "County \(county)",
                     "--key", path("\(county)/public.key")])
            for (code, name) in [("1002", "Bank deposits"), ("3001.01", "Intercompany - HQ"), ("6001", "Income")] {
                try run(["hub", "account", "add", "--data", path("hub"), "--org", county, "--kind", "subject", "--code", code, "--name", name])
            }
        }
        try run(["export", "--data", path("hub"), "--to", path("down0")])
        for county in counties { try run(["import", "--data", path(county), path("down0")]) }
    }
}
