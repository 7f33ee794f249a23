import AsyncHTTPClient
import Foundation
import HubCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// A host-to-host link to a bank (7/7 item 3, PROTOCOL §14.5): HTTPS with mutual TLS, the hub presenting its client
/// certificate and trusting only the CA the bank names.
///
/// The bank is asked, not guessed: after an uncertain delivery ``knowledge(of:messageName:bytes:)`` asks the bank
/// whether it has the message (the same bytes), and the bank's `404` is a definite "does not know" (so the message is sent again without a
/// person), where a folder can only say "cannot tell". A message is `PUT` under its id, so a repeated delivery of the
/// same bytes is the same message to the bank, never a second payment.
///
/// The link is synchronous, like the folder link and the sender that uses it: each call waits for the bank's answer
/// (bounded by ``Timeouts``) on AsyncHTTPClient's own event loops, never on the caller's.
public final class HTTPBankLink: BankLink, @unchecked Sendable {
    /// Where the bank's API is, and the files of the hub's side of the TLS.
    public struct Settings: Sendable, Codable, Equatable {
        /// The API's base, `https://host[:port]/path` (no query, no trailing slash needed).
        public var url: String
        /// The hub's client certificate (PEM, with its chain).
        public var certificate: String
        /// The client certificate's private key (PEM).
        public var key: String
        /// The CA the bank's server certificate must chain to (PEM); the system's roots when absent.
        public var trustedCA: String?

        public init(url: String, certificate: String, key: String, trustedCA: String?) {
            self.url = url
            self.certificate = certificate
            self.key = key
            self.trustedCA = trustedCA
        }
    }

    /// How long the link waits.
    public struct Timeouts: Sendable {
        public var connectSeconds: Int64 = 10
        public var readSeconds: Int64 = 60
        public init() {}
    }

    /// Bytes of one answer the link accepts: a file as large as the folder link accepts, a listing far less.
    public static let fileBytesMax = FolderBankLink.fileBytesMax

    let base: String
    let client: HTTPClient
    let timeouts: Timeouts

    /// - Throws: ``HTTPBankLinkError`` when the URL is not `https`, or a certificate or key cannot be read.
    public init(_ settings: Settings, timeouts: Timeouts = Timeouts()) throws {
        guard let url = URL(string: settings.url), url.scheme == "https", let host = url.host, !host.isEmpty,
              url.query == nil, url.fragment == nil, url.user == nil else {
            throw HTTPBankLinkError("the bank's URL must be https://host[:port][/path] without user, query or fragment, not \(settings.url)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificate)
            guard !chain.isEmpty else { throw HTTPBankLinkError("\(settings.certificate) holds no PEM certificate") }
            tls.certificateChain = chain.map { .certificate($0) }
        } catch let error as HTTPBankLinkError {
            throw error
        } catch {
            throw HTTPBankLinkError("cannot read the hub's client certificate \(settings.certificate): \(error)")
        }
        do {
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: settings.key, format: .pem))
        } catch {
            throw HTTPBankLinkError("cannot read the client certificate's key \(settings.key): \(error)")
        }
        if let ca = settings.trustedCA {
            guard FileManager.default.isReadableFile(atPath: ca) else { throw HTTPBankLinkError("cannot read the bank's CA file \(ca)") }
            tls.trustRoots = .file(ca)
        }
        base = settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url
        self.timeouts = timeouts
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(timeouts.connectSeconds), read: .seconds(timeouts.readSeconds))))
    }

    deinit { try? client.syncShutdown() }

    public func deliver(_ bytes: Data, name: String) throws {
        try Self.check(name)
        let answer = try exchange(.PUT, "/messages/\(name)", body: bytes, contentType: "application/xml")
        switch answer.status {
        case 200, 201: return
        case 409: throw HTTPBankLinkError("the bank holds other content under message id \(name) (409): it refuses this one, and nothing is paid from it")
        default: throw HTTPBankLinkError.unexpected(answer, delivering: name)
        }
    }

    public func knowledge(of endToEndIDs: [String], messageName: String, bytes: Data) throws -> [String: BankKnowledge] {
        try Self.check(messageName)
        let answer = try exchange(.GET, "/messages/\(messageName)")
        let knowledge: BankKnowledge = switch answer.status {
        case 200: answer.body == bytes ? .knows : .cannotTell  // other bytes under the name are another message
        case 404: .doesNotKnow
        default: .cannotTell  // the bank could not say now; the next run asks again
        }
        return Dictionary(uniqueKeysWithValues: endToEndIDs.map { ($0, knowledge) })
    }

    public func incoming() throws -> [BankFile] {
        let listing = try exchange(.GET, "/files")
        guard listing.status == 200 else { throw HTTPBankLinkError.unexpected(listing, delivering: nil) }
        let names: [String]
        do {
            names = try JSONDecoder().decode(FileListing.self, from: listing.body).files
        } catch {
            throw HTTPBankLinkError("the bank's file listing is not {\"files\": [names]}: \(error)")
        }
        var files: [BankFile] = [], held = 0
        for name in names where files.isEmpty || held < BankFile.passBytesMax {
            // A name the bank sends is checked like any outside input: it goes into a URL path and a report.
            guard BankFile.isValidName(name) else { throw HTTPBankLinkError("the bank lists a file named \(name.debugDescription), which no file may be named") }
            let file = try exchange(.GET, "/files/\(name)")
            guard file.status == 200 else { throw HTTPBankLinkError.unexpected(file, delivering: nil) }
            files.append(BankFile(name: name, bytes: file.body))
            held += file.body.count
        }
        return files
    }

    public func acknowledge(_ file: BankFile, refusedBecause reason: String?) throws {
        try Self.check(file.name)
        let body = try JSONEncoder().encode(Acknowledgement(refused: reason))
        let answer = try exchange(.POST, "/files/\(file.name)/acknowledgement", body: body, contentType: "application/json")
        guard answer.status == 204 || answer.status == 200 else { throw HTTPBankLinkError.unexpected(answer, delivering: nil) }
    }

    /// `{"files": [...]}`: the bank's files not yet acknowledged, oldest first.
    public struct FileListing: Codable, Sendable {
        public var files: [String]
        public init(files: [String]) { self.files = files }
    }

    /// `{"refused": null}` for a file read and applied, `{"refused": "why"}` for one set aside.
    public struct Acknowledgement: Codable, Sendable {
        public var refused: String?
        public init(refused: String?) { self.refused = refused }
    }

    struct Answer {
        var status: Int
        var body: Data
    }

    private static func check(_ name: String) throws {
        guard BankFile.isValidName(name) else { throw HTTPBankLinkError("\(name.debugDescription) cannot name a message or file on the link") }
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil) throws -> Answer {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: base + path, method: method, headers: headers, body: body.map { .data($0) })
        } catch {
            throw HTTPBankLinkError("cannot make the request \(method) \(base + path): \(error)")
        }
        let accumulator = ResponseAccumulator(request: request, maxBodySize: Self.fileBytesMax)
        let deadline = NIODeadline.now() + .seconds(timeouts.connectSeconds + timeouts.readSeconds)
        do {
            let response = try client.execute(request: request, delegate: accumulator, deadline: deadline).wait()
            return Answer(status: Int(response.status.code), body: response.body.map { Data($0.readableBytesView) } ?? Data())
        } catch {
            throw HTTPBankLinkError("\(method) \(base + path) failed: \(error)")
        }
    }
}

/// The bank link over HTTPS could not do what was asked; nothing was recorded as done.
public struct HTTPBankLinkError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }

    static func unexpected(_ answer: HTTPBankLink.Answer, delivering name: String?) -> HTTPBankLinkError {
        let text = String(decoding: answer.body.prefix(300), as: UTF8.self)
        return HTTPBankLinkError("the bank answered \(answer.status)" + (name.map { " to message \($0)" } ?? "") + (text.isEmpty ? "" : ": \(text)"))
    }
}
