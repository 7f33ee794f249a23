import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

/// The simulated bank's host-to-host door (7/7 item 3, PROTOCOL §14.5): HTTPS that admits only clients whose
/// certificate chains to the CA it is given (mutual TLS), in front of the same folders the bank works from. A message
/// `PUT` here is stored in `outbox/` exactly as a front-end machine would leave it, so ``SimulatedBank/run()`` takes it
/// the same way; the bank's answers in `inbox/` are listed, fetched and acknowledged here.
///
/// Unlike a folder, the bank answers for what it has: a message id it never stored is a definite `404`, so the hub
/// resends after an uncertain delivery without a person's sign-off.
public enum SimulatedBankGateway {
    /// The TLS files of the bank's side.
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        /// The CA a client's certificate must chain to: a client without one is refused in the handshake.
        public var clientCA: String

        public init(certificate: String, key: String, clientCA: String) {
            self.certificate = certificate
            self.key = key
            self.clientCA = clientCA
        }
    }

    /// Bytes of one pain.001 message the door accepts (a message of 1,000 instructions is about 0.5 MB).
    public static let messageBytesMax = 16 * 1024 * 1024

    /// The door's application on `host:port`; `onListening` gets the port actually bound (for port 0).
    public static func application(folder: URL, host: String, port: Int, tls: TLSFiles,
                                   onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let store = GatewayFolder(folder: folder)
        try store.prepare()
        let router = Router()
        let api = router.group("v1")
        api.put("messages/:name") { request, context -> Response in
            let name = try Self.name(context)
            let body = try await request.body.collect(upTo: messageBytesMax)
            return Response(status: try store.store(Data(buffer: body), name: name))
        }
        api.get("messages/:name") { _, context -> Response in
            guard let bytes = try store.message(try Self.name(context)) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.get("files") { _, _ -> Response in
            let json = try JSONEncoder().encode(["files": try store.answers()])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
        }
        api.get("files/:name") { _, context -> Response in
            guard let bytes = try store.answer(try Self.name(context)) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.post("files/:name/acknowledgement") { request, context -> Response in
            let name = try Self.name(context)
            let body = try await request.body.collect(upTo: 64 * 1024)
            struct Acknowledgement: Decodable { var refused: String? }
            guard let acknowledgement = try? JSONDecoder().decode(Acknowledgement.self, from: Data(buffer: body)) else {
                throw HTTPError(.badRequest, message: "the body is {\"refused\": null or \"why\"}")
            }
            return Response(status: try store.acknowledge(name, refusedBecause: acknowledgement.refused) ? .noContent : .notFound)
        }
        return Application(
            router: router,
            server: try HTTPServerBuilder.tls(.http1(), tlsConfiguration: tlsConfiguration(tls)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "FundSync-SimulatedBank"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) })
    }

    /// The server's TLS: its certificate, and client certificates required and verified against `clientCA` (no host
    /// name check: a client is known by its certificate, not by where it connects from).
    public static func tlsConfiguration(_ files: TLSFiles) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                           privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .file(files.clientCA)
        return tls
    }

    static func name(_ context: some RequestContext) throws -> String {
        guard let name = context.parameters.get("name"), GatewayFolder.isValidName(name) else {
            throw HTTPError(.badRequest, message: "a message or file is named with letters, digits, -, _ and . (1–64, no leading dot)")
        }
        return name
    }
}

/// The folders behind the door, one request at a time (a lock: the file operations are short, and two requests for
/// the same message id must not both find it new).
final class GatewayFolder: @unchecked Sendable {
    let folder: URL
    private let lock = NSLock()
    var outbox: URL { folder.appendingPathComponent("outbox") }
    var taken: URL { outbox.appendingPathComponent("taken") }
    var inbox: URL { folder.appendingPathComponent("inbox") }

    init(folder: URL) { self.folder = folder }

    func prepare() throws {
        for url in [taken, inbox.appendingPathComponent("done"), inbox.appendingPathComponent("refused")] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
    }

    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...64).contains(bytes.count) && bytes.first != UInt8(ascii: ".")
            && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// `201` stored now; `200` the same bytes were stored before (a repeated delivery is the same message); `409` other
    /// bytes hold that id.
    func store(_ bytes: Data, name: String) throws -> HTTPResponse.Status {
        try lock.withLock {
            for url in [outbox.appendingPathComponent("\(name).xml"), taken.appendingPathComponent("\(name).xml")]
            where FileManager.default.fileExists(atPath: url.path) {
                return try Data(contentsOf: url) == bytes ? .ok : .conflict
            }
            // Complete or absent: written aside, flushed, then renamed into place, as the hub's folder link writes.
            let partial = outbox.appendingPathComponent(".\(name).partial")
            _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
            let handle = try FileHandle(forWritingTo: partial)
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
            guard rename(partial.path, outbox.appendingPathComponent("\(name).xml").path) == 0 else {
                throw HTTPError(.internalServerError, message: "the message could not be stored")
            }
            return .created
        }
    }

    /// The message stored under `name`, or `nil`.
    func message(_ name: String) throws -> Data? {
        try lock.withLock {
            try [outbox.appendingPathComponent("\(name).xml"), taken.appendingPathComponent("\(name).xml")]
                .first { FileManager.default.fileExists(atPath: $0.path) }.map { try Data(contentsOf: $0) }
        }
    }

    func answers() throws -> [String] {
        try lock.withLock {
            try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { Self.isValidName($0) && $0.hasSuffix(".xml") }.sorted()
        }
    }

    func answer(_ name: String) throws -> Data? {
        try lock.withLock {
            let url = inbox.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? try Data(contentsOf: url) : nil
        }
    }

    /// Moves an answer to `inbox/done/` (or `inbox/refused/` with the hub's reason beside it). `false`: no such answer.
    func acknowledge(_ name: String, refusedBecause reason: String?) throws -> Bool {
        try lock.withLock {
            let source = inbox.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: source.path) else { return false }
            let target = inbox.appendingPathComponent(reason == nil ? "done" : "refused").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: source, to: target)
            if let reason { try Data((reason + "\n").utf8).write(to: target.appendingPathExtension("reason")) }
            return true
        }
    }
}
