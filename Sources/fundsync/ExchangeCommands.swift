import ArgumentParser
import BatchWire
import Foundation
import ReplicaStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write one signed batch file per peer with something to send.")
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("Folder to write the batch files into.", valueName: "OUTDIR")) var to: String
    @Flag(help: "Encrypt each batch for its recipient's encryption key, so that only the recipient can read it.") var encrypt = false

    func run() throws {
        let office = try Office.open(data.data)
        let files = try office.export(to: URL(fileURLWithPath: to, isDirectory: true), encrypt: encrypt)
        for file in files { print(file.path) }
        if files.isEmpty { print("nothing to send") }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify and apply batch files (files or folders); refused files go to DIR/quarantine/.")
    @OptionGroup var data: DataOption
    @Argument(help: ArgumentHelp("Batch files, or folders of .fsb files.", valueName: "PATH")) var paths: [String]

    func run() throws {
        let office = try Office.open(data.data)
        let files = try BatchFiles.expand(paths.map { URL(fileURLWithPath: $0) }, recipient: office.store.org)
        if files.isEmpty { print("no batch files for \(office.store.org) in \(paths.joined(separator: " "))") }
        var problems = 0
        for result in office.importFiles(files) {
            switch result {
            case .received(let file, _, let outcome):
                if outcome.isAlreadyApplied {
                    print("already applied \(file.lastPathComponent): nothing new (\(outcome.duplicates) change(s) seen before)")
                } else {
                    print("applied \(file.lastPathComponent): \(outcome.applied) applied, \(outcome.rejected) rejected, "
                          + "\(outcome.duplicates) duplicate, \(outcome.waiting) waiting, \(outcome.released) released")
                }
            case .refused(let file, let error, let target):
                problems += 1
                writeError("refused \(file.lastPathComponent): \(error.description) (moved to \(target.path))")
            case .failed(let file, let message):
                problems += 1
                writeError("failed \(file.lastPathComponent): \(message)")
            }
        }
        if problems > 0 { throw ExitCode(1) }
    }
}
