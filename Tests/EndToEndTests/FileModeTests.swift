import Foundation
import SyncTesting
import Testing

/// Regression test of issue 2/6, finding 8 (local files): a data folder is 0700 and its replica, backups and keys
/// 0600, whatever the umask of the clerk's shell.
///
/// Method: `hub init`, `node init` and `backup` run under `umask 000` (as a careless service file might set it);
/// then every file's mode is read back.
@Suite struct FileModeTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func dataFoldersKeysReplicasAndBackupsArePrivateWhateverTheUmask() throws {
        let folder = try TemporaryDirectory("file-modes")
        defer { folder.remove() }
        func run(_ arguments: [String]) throws {
            let command = "umask 000; exec \"$0\" \"$@\""
            let result = try runProcess("/bin/sh", ["-c", command, CLI.binary] + arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let hub = folder.path("hub"), node = folder.path("340121")
        try run(["hub", "init", "--data", hub, "--org", "340000", "--name", "Anhui"])
        try run(["node", "init", "--data", node, "--org", "340121", "--hub-key", hub + "/public.key"])
        try run(["backup", "--data", node, "--to", folder.path("340121-backup.sqlite")])
        var modes: [String: Int] = [folder.path("340121-backup.sqlite"): 0o600]
        for data in [hub, node] {
            modes[data] = 0o700
            for file in ["replica.sqlite", "private.key", "encryption.key"] { modes[data + "/" + file] = 0o600 }
        }
        let actual = try modes.keys.map { ($0, try Self.mode($0)) }
        for (path, mode) in actual {
            #expect(mode == modes[path], "\(path): \(String(mode, radix: 8))")
        }
    }
}
