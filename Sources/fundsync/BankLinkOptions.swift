import ArgumentParser
import Foundation
import HubClient
import HubCore

/// How `hub bank send` and `receive` reach a bank (7/7 item 3): a folder given on the command line, or a link file that
/// an administrator keeps per bank (README "Connecting a bank").
struct BankLinkOptions: ParsableArguments {
    @Option(help: "The bank's folder (outbox/ and inbox/ under it), for a bank reached through folders.") var bankFolder: String?
    @Option(help: "A bank link file (JSON): {\"folder\": …} or {\"url\": \"https://…\", \"certificate\", \"key\", \"trustedCA\"}, with an optional \"bank\".")
    var bankLink: String?

    /// A bank link file. Exactly one of `folder` and `url`; for `url`, the hub's client certificate and key are required
    /// (mutual TLS), `trustedCA` names the CA of the bank's server certificate (else the system's roots). `bank`, when
    /// given, limits sending to the instructions of the paying accounts of that bank (the registry's bank name).
    struct LinkFile: Codable {
        var folder: String?
        var url: String?
        var certificate: String?
        var key: String?
        var trustedCA: String?
        var bank: String?
    }

    func validate() throws {
        guard (bankFolder == nil) != (bankLink == nil) else { throw ValidationError("give the bank's --bank-folder or its --bank-link file (one of them)") }
    }

    /// The link, and the bank it is limited to.
    func open() throws -> (link: any BankLink, bank: String?) {
        if let bankFolder { return (try FolderBankLink(folder: URL(fileURLWithPath: bankFolder)), nil) }
        guard let bankLink else { throw ValidationError("give the bank's --bank-folder or its --bank-link file") }
        let file: LinkFile
        do {
            let decoder = JSONDecoder()
            file = try decoder.decode(LinkFile.self, from: Data(contentsOf: URL(fileURLWithPath: bankLink)))
        } catch {
            throw ValidationError("the bank link file \(bankLink) cannot be read as JSON {\"folder\": …} or {\"url\": …, \"certificate\": …, \"key\": …}: \(error)")
        }
        // Relative paths in the file are relative to the file, so a folder of link files and certificates can move as one.
        let here = URL(fileURLWithPath: bankLink).deletingLastPathComponent()
        func resolved(_ path: String) -> String { path.hasPrefix("/") ? path : here.appendingPathComponent(path).path }
        switch (file.folder, file.url) {
        case (let folder?, nil):
            return (try FolderBankLink(folder: URL(fileURLWithPath: resolved(folder))), file.bank)
        case (nil, let url?):
            guard let certificate = file.certificate, let key = file.key else {
                throw ValidationError("\(bankLink): an HTTPS link needs the hub's client \"certificate\" and its \"key\" (mutual TLS)")
            }
            let settings = HTTPBankLink.Settings(url: url, certificate: resolved(certificate), key: resolved(key),
                                                 trustedCA: file.trustedCA.map(resolved))
            do {
                return (try HTTPBankLink(settings), file.bank)
            } catch let error as HTTPBankLinkError {
                throw ValidationError("\(bankLink): \(error.description)")
            }
        default:
            throw ValidationError("\(bankLink) names exactly one of \"folder\" and \"url\"")
        }
    }
}
