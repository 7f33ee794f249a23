import Foundation
import HubCore
import HubServer
import Hummingbird
import SyncTesting
import Testing
import SyncAPI

/// `Protocol/hub-api.yaml` documents the API: every route the server registers must be in it with its method, and
/// every operation in it must be served. (Full OpenAPI validation: `pip install openapi-spec-validator`, see README.)
@Suite struct HubAPISpecTests {
    /// `path → methods` from the `paths:` section, read by indentation (the file keeps OpenAPI's usual layout).
    static func documentedOperations() throws -> [String: Set<String>] {
        let text = try String(contentsOf: repositoryRoot().appendingPathComponent("Protocol/hub-api.yaml"), encoding: .utf8)
        var operations: [String: Set<String>] = [:]
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.trimmingCharacters(in: .whitespaces)
            if indent == 0 { inPaths = content == "paths:"; currentPath = nil; continue }
            guard inPaths, content.hasSuffix(":") else { continue }
            let key = String(content.dropLast())
            if indent == 2, key.hasPrefix("/") {
                currentPath = key
                operations[key, default: []] = []
            } else if indent == 4, let path = currentPath, methods.contains(key) {
                operations[path, default: []].insert(key.uppercased())
            }
        }
        return operations
    }

    @Test func everyRegisteredRouteIsDocumentedAndEveryDocumentedOneIsServed() throws {
        let documented = try Self.documentedOperations()
        #expect(documented.count == 5, "\(documented)")
        let province = try TestProvince(counties: [])
        defer { province.remove() }
        let service = HubService(hub: province.hub, configuration: HubServerConfiguration(), metrics: HubMetrics(),
                                 clocks: HubServerClocks(nowMilliseconds: { 0 }, uptimeNanoseconds: { 0 }))
        var registered: [String: Set<String>] = [:]
        for route in HubServer.router(service).routes + HubServer.adminRouter(service).routes {
            registered[route.path.description, default: []].insert(route.method.rawValue)
        }
        #expect(registered == documented)
        // Status and metrics only on the admin listener; the batch API tells a caller nothing about the province.
        let batchAPI = Set(HubServer.router(service).routes.map(\.path.description))
        #expect(!batchAPI.contains(HubAPI.statusPath) && !batchAPI.contains(HubAPI.metricsPath))
        #expect(Set(HubServer.adminRouter(service).routes.map(\.path.description)) == [HubAPI.statusPath, HubAPI.metricsPath, HubAPI.healthPath])
        #expect(registered[HubAPI.nextBatchPathPattern] == ["GET"])
        #expect(registered[HubAPI.batchesPath] == ["POST"])
    }

    @Test func theSpecNamesThePullHeaderAndTheBatchMediaType() throws {
        let text = try String(contentsOf: repositoryRoot().appendingPathComponent("Protocol/hub-api.yaml"), encoding: .utf8)
        #expect(text.hasPrefix("openapi: 3.0"))
        #expect(text.contains("name: \(HubAPI.pullAuthorizationHeader)"))
        #expect(text.contains(HubAPI.batchFileNameHeader + ":"))
        #expect(text.contains(HubAPI.batchMediaType + ":"))
    }
}
