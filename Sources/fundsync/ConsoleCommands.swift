import ArgumentParser
import Foundation
import HubServer
import HummingbirdBcrypt
import Logging
import NodeAgent
import ReplicaStore
import WebConsole

/// `fundsync console-login`: gives a registered person a login to this office's web console (4/6). Their passphrase
/// is hashed with bcrypt (cost 12) and kept in the office's replica, never in the clear; it should be the passphrase
/// of their key file, which the console then unlocks at login for signing in that session.
struct ConsoleLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-login",
        abstract: "Give a registered person a login to this office's web console (passphrase hashed with bcrypt).",
        discussion: """
            The passphrase is asked on the terminal, or read from FUNDSYNC_PASSPHRASE_FD or FUNDSYNC_PASSPHRASE_FILE. Use the \
            passphrase of the person's key file: the console unlocks the key with it at login, so what they do is signed.

            Example:
              fundsync console-login --data county --staff 340122-wangfang
            """)
    @OptionGroup var data: DataOption
    @Option(help: "The person's staff id (registered at the hub, in this office's registry).") var staff: String

    func run() throws {
        let office = try Office.open(data.data)
        guard try office.store.read({ try $0.staffMember(staff) }) != nil else {
            throw CLIError("\(staff) is not in this office's registry; the hub registers people (hub staff)")
        }
        let passphrase = try PassphraseSource.fromEnvironment().passphrase(for: staff, purpose: "log in to the console")
        guard passphrase.count >= 8 else { throw CLIError("a console passphrase has at least 8 characters") }
        try office.store.setConsoleLogin(staff, hash: Bcrypt.hash(passphrase, cost: 12))
        print("\(staff) may log in to the console of \(office.store.org)")
    }
}

/// `fundsync node serve`: the county's own console on its LAN, for its clerks and its budget units' users. It reads
/// and writes the node's replica only, so it works while the line to the hub is down.
struct NodeServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve this node's web console on the county's LAN (Chinese first; works offline).",
        discussion: """
            People log in with their staff id and passphrase (fundsync console-login); the passphrase also unlocks their \
            key file in FUNDSYNC_KEYS (or --keys) for signing in that session. Stops on SIGINT or SIGTERM.

            The console is under /console (http://HOST:8650/console/). On a LAN that others share, serve it over TLS \
            (--tls-certificate, --tls-key): the session cookie is then marked Secure.

            Examples:
              FUNDSYNC_KEYS=/srv/fundsync/keys fundsync node serve --data county --listen 0.0.0.0:8650
              fundsync node serve --data county --listen 0.0.0.0:8650 --keys /srv/fundsync/keys \\
                --tls-certificate county.pem --tls-key county.key
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("Address to listen on; port 0 picks a free one.", valueName: "HOST:PORT")) var listen = "127.0.0.1:8650"
    @Option(help: ArgumentHelp("The folder of the people's key files (default: FUNDSYNC_KEYS).", valueName: "DIR")) var keys: String?
    @Option(help: "Log lines as text or json.") var logFormat: LogFormat = .text
    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM, the server's certificate first); needs --tls-key.",
                               valueName: "FILE"))
    var tlsCertificate: String?
    @Option(help: ArgumentHelp("The private key (PEM) of --tls-certificate.", valueName: "FILE")) var tlsKey: String?

    func validate() throws {
        _ = try HubServe.parseListen(listen)
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-certificate and --tls-key go together") }
    }

    func run() async throws {
        let (host, port) = try HubServe.parseListen(listen)
        logFormat.bootstrap(level: .info)
        let logger = Logger(label: "fundsync.node.console")
        guard case .node(let node) = try Office.open(data.data) else { throw CLIError("\(data.data) is a hub: its console is served by hub serve under /console") }
        node.store.auditing = nil
        node.store.signer = nil
        let tls = try tlsCertificate.map { try HubServer.tlsConfiguration(.init(certificateChainPath: $0, privateKeyPath: tlsKey ?? "")) }
        let console = try await ConsoleApplication(office: .node(node), keysFolder: consoleKeysFolder(keys), secure: tls != nil)
        let org = node.org
        let scheme = tls == nil ? "http" : "https"
        try await console.application(host: host, port: port, tls: tls, logger: logger) { host, port in
            logger.info("console of \(org) at \(scheme)://\(host):\(port)\(ConsoleApplication.base)/")
        }.runService()
    }
}

/// The key folder a console unlocks people's keys from.
func consoleKeysFolder(_ option: String?) -> URL? {
    (option ?? ProcessInfo.processInfo.environment["FUNDSYNC_KEYS"]).map { URL(fileURLWithPath: $0) }
}
