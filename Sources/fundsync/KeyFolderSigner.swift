import BatchWire
import Foundation
import LedgerCore

/// The people's keys of one terminal (4/6): a folder of passphrase-protected key files, `<staff id>.key`, the software
/// stand-in for the UKEYs of D0. A key is unlocked the first time a document names its owner, with the passphrase
/// from `PassphraseSource`, and is held in memory for this command only.
///
/// `FUNDSYNC_KEYS` names the folder. Without it the CLI signs nothing: an office writes unsigned documents as release 1
/// did, which its hub accepts only until the office's first signed document (PROTOCOL.md §14.6).
final class KeyFolderSigner: StaffSigner, @unchecked Sendable {
    // `@unchecked Sendable`: the keyring locks itself; `passphrases` is read-only after init.
    let folder: URL
    private let passphrases: PassphraseSource
    private let keyring = PersonalKeyring()

    init(folder: URL, passphrases: PassphraseSource) {
        self.folder = folder
        self.passphrases = passphrases
    }

    /// The signer the environment configures, or `nil` when `FUNDSYNC_KEYS` is not set.
    static func fromEnvironment() throws -> KeyFolderSigner? {
        guard let path = ProcessInfo.processInfo.environment["FUNDSYNC_KEYS"], !path.isEmpty else { return nil }
        return KeyFolderSigner(folder: URL(fileURLWithPath: path), passphrases: try PassphraseSource.fromEnvironment())
    }

    /// The key file of `staff`: a staff id that could leave the folder is refused.
    static func file(of staff: String, in folder: URL) throws -> URL {
        guard isFileName(staff) else { throw CLIError("'\(staff)' cannot name a key file") }
        return folder.appendingPathComponent("\(staff).key")
    }

    static func isFileName(_ staff: String) -> Bool {
        !staff.isEmpty && !staff.hasPrefix(".") && !staff.contains("/") && !staff.contains("\0") && staff.utf8.count <= 200
    }

    func keyID(for staff: String) throws -> String? {
        if let key = keyring.key(for: staff) { return key.publicKey.keyID }
        // A name that could not be a key file's (it would leave the folder) has no key here.
        guard Self.isFileName(staff) else { return nil }
        let file = folder.appendingPathComponent("\(staff).key")
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let passphrase = try passphrases.passphrase(for: staff, purpose: "sign")
        do {
            try keyring.unlock(pem: String(decoding: data, as: UTF8.self), passphrase: passphrase, for: staff)
        } catch {
            throw CLIError("\(file.path): \(error)")
        }
        return keyring.key(for: staff)?.publicKey.keyID
    }

    func sign(_ message: [UInt8], as staff: String) throws -> [UInt8] {
        try keyring.sign(message, as: staff)
    }
}
