import ArgumentParser
import BatchWire
import Foundation
import HubCore
import LedgerCore

/// `fundsync staff-key new`: a person makes their own key pair (4/6). The private key goes into a passphrase-protected
/// file only they can read; the public key goes to the hub's key officer, who certifies it.
struct StaffKeyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff-key",
        abstract: "Make a person's signing key: <staff>.key (passphrase-protected PKCS#8) and <staff>.pub for the key officer.",
        discussion: """
            The passphrase is asked on the terminal (twice), or read from FUNDSYNC_PASSPHRASE_FD or FUNDSYNC_PASSPHRASE_FILE; \
            never from an argument. Give <staff>.pub to the hub's key officer, who certifies it with \
            'fundsync hub staff-key enroll'; from then on the documents you prepare, review or approve carry your signature \
            when FUNDSYNC_KEYS names the folder holding <staff>.key.

            Example:
              fundsync staff-key --staff 340122-wangfang --out ~/.fundsync/keys
              fundsync staff-key --staff 340122-wangfang --out keys --algorithm sm2-sm3   # national algorithms
            """)
    @Option(help: "Your staff id, as the registry has it.") var staff: String
    @Option(help: ArgumentHelp("The folder for the key files (created, mode 0700).", valueName: "DIR")) var out: String
    @Option(help: "ed25519 (default) or sm2-sm3.") var algorithm: SignatureAlgorithm = .ed25519

    func run() throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = try KeyFolderSigner.file(of: staff, in: folder)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CLIError("\(file.path) already exists; a key is never overwritten (rotate: make the new one in another folder)")
        }
        let source = try PassphraseSource.fromEnvironment()
        let passphrase = try source.passphrase(for: staff, purpose: "protect the new key")
        if source.origin == "the terminal" {
            guard try source.passphrase(for: staff, purpose: "confirm it") == passphrase else { throw CLIError("the two passphrases differ") }
        }
        let key = try SigningKey.generate(algorithm)
        let pem = try PersonalKeyFile.encrypt(key, passphrase: passphrase)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(file.path)")
        }
        let publicFile = folder.appendingPathComponent("\(staff).pub")
        try key.publicKey.pem.write(to: publicFile, atomically: true, encoding: .utf8)
        print("key \(key.publicKey.keyID) (\(algorithm.name)) of \(staff): private key in \(file.path), public key in \(publicFile.path)")
    }
}

/// `fundsync hub staff-key …`: the key officer's side — certify, rotate, revoke, list.
struct HubStaffKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff-key", abstract: "Certify, rotate, revoke and list people's signing keys.",
        discussion: """
            Examples:
              fundsync hub staff-key enroll --data hub --staff 340122-wangfang --public-key 340122-wangfang.pub \\
                  --valid-until 2027-12-31 --by 340000-zhoumin
              fundsync hub staff-key list --data hub --staff 340122-wangfang
            """,
        subcommands: [Enroll.self, Rotate.self, Revoke.self, List.self])

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Certify a registered person's public key (the hub signs the certificate; it goes down to their office).",
            discussion: """
                Example:
                  fundsync hub staff-key enroll --data hub --staff 340122-wangfang --public-key 340122-wangfang.pub \\
                      --valid-until 2027-12-31 --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The person's staff id.") var staff: String
        @Option(help: ArgumentHelp("Their <staff>.pub file.", valueName: "FILE")) var publicKey: String
        @Option(help: "The last business date documents may be signed with it.") var validUntil: BusinessDate
        @Option(help: "The key officer (fund-centre manager or supervisor), never the person.") var by: String

        func run() throws {
            let key = try PublicKey(pem: try readTextFile(publicKey))
            let certificate = try openHub(data.data).certifyStaffKey(staff: staff, publicKey: key, validUntil: validUntil, by: by)
            print("certified key \(certificate.keyID) of \(certificate.name) (\(staff), \(certificate.org)) until \(validUntil), "
                  + "registry version \(certificate.certifiedIn)")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Certify a person's new key and revoke their current ones, in one step.",
            discussion: """
                Example:
                  fundsync hub staff-key rotate --data hub --staff 340122-wangfang --public-key new/340122-wangfang.pub \\
                      --valid-until 2028-12-31 --reason "annual renewal" --date 2026-12-01 --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The person's staff id.") var staff: String
        @Option(help: ArgumentHelp("Their new <staff>.pub file.", valueName: "FILE")) var publicKey: String
        @Option(help: "The last business date the new key may sign.") var validUntil: BusinessDate
        @Option(help: "Why the old key is retired.") var reason: String
        @Option(help: "The business date of the rotation.") var date: BusinessDate
        @Option(help: "The key officer.") var by: String

        func run() throws {
            let (new, revoked) = try openHub(data.data).rotateStaffKey(
                staff: staff, to: try PublicKey(pem: try readTextFile(publicKey)), validUntil: validUntil, reason: reason, date: date, by: by)
            print("certified key \(new.keyID) of \(staff); revoked \(revoked.joined(separator: ", ").nonEmpty ?? "no earlier key")")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a person's key (lost UKEY, left the post): documents signed with it after their office learns of it are refused.",
            discussion: """
                Example:
                  fundsync hub staff-key revoke --data hub --key 3f2a9c0d11e4b7a8 --reason "UKEY lost" --date 2026-12-01 --by 340000-zhoumin
                """)
        @OptionGroup var data: DataOption
        @Option(help: "The key id (fundsync hub staff-key list).") var key: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The business date of the revocation.") var date: BusinessDate
        @Option(help: "The key officer.") var by: String

        func run() throws {
            let certificate = try openHub(data.data).revokeStaffKey(key, reason: reason, date: date, by: by)
            print("revoked key \(key) of \(certificate.staff) in registry version \(certificate.revocation?.revokedIn ?? 0)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the certified keys (and documents whose signature waits for review).",
            discussion: "Example:\n  fundsync hub staff-key list --data hub --staff 340122-wangfang --json")
        @OptionGroup var data: DataOption
        @Option(help: "Only this person.") var staff: String?
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let keyID, staff, name, org, posts, algorithm, validUntil: String
            let certifiedIn: Int64
            let revokedIn: Int64?
            let revokedReason: String?
        }

        func run() throws {
            let hub = try openHub(data.data)
            let rows = try hub.staffCertificates(of: staff).map {
                Row(keyID: $0.keyID, staff: $0.staff, name: $0.name, org: $0.org.rawValue, posts: $0.rolesText, algorithm: $0.algorithm,
                    validUntil: $0.validUntil.description, certifiedIn: $0.certifiedIn, revokedIn: $0.revocation?.revokedIn,
                    revokedReason: $0.revocation?.reason)
            }
            if json { return try printJSON(rows) }
            for row in rows {
                let state = row.revokedIn.map { "revoked in version \($0) (\(row.revokedReason ?? ""))" } ?? "valid until \(row.validUntil)"
                print("\(row.keyID)  \(row.name) (\(row.staff), \(row.org))  \(row.posts)  \(row.algorithm)  certified in version \(row.certifiedIn), \(state)")
            }
            if rows.isEmpty { print("no certified keys" + (staff.map { " for \($0)" } ?? "")) }
            for review in try hub.signatureReviews() {
                print("review: \(review.table) \(review.document) of \(review.origin), signed by \(review.staff): \(review.reason)")
            }
        }
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
