import ArgumentParser
import BatchWire
import Foundation
import ReplicaStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write one signed batch file per peer with something to send.",
        discussion: """
            Examples:
              fundsync export --data county --to /media/usb
              fundsync export --data hub --to /media/usb --encrypt      # only each recipient can read its file
            """)
    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("Folder to write the batch files into.", valueName: "OUTDIR")) var to: String
    @Flag(help: "Encrypt each batch for its recipient's encryption key, so that only the recipient can read it.") var encrypt = false
    @Option(help: "Also write one JSON log line per file written on standard error (json).") var logFormat: LogFormat?

    func run() throws {
        let office = try Office.open(data.data)
        let files = try office.export(to: URL(fileURLWithPath: to, isDirectory: true), encrypt: encrypt)
        let log = OperationLog(logFormat, label: "fundsync.export")
        for file in files {
            print(file.path)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
            log.record("export", ["office": office.store.org.rawValue, "file": file.lastPathComponent, "bytes": String(bytes),
                                  "encrypted": String(encrypt)])
        }
        if files.isEmpty { print("nothing to send") }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify and apply batch files (files or folders); a copy of each refused file goes to DIR/quarantine/.",
        discussion: """
            Refused files are copied, never moved: the original stays where it was. Files addressed to another office \
            are skipped and left alone, for that office.

            Examples:
              fundsync import --data hub /media/usb/340122-to-340000-000003.fsb
              fundsync import --data county /media/usb/          # the .fsb files addressed to 340122, in name order
            """)
    @OptionGroup var data: DataOption
    @Argument(help: ArgumentHelp("Batch files, or folders of .fsb files.", valueName: "PATH")) var paths: [String]
    @Option(help: "Also write one JSON log line per file with its counts on standard error (json).") var logFormat: LogFormat?

    func run() throws {
        let office = try Office.open(data.data)
        let files = try BatchFiles.expand(paths.map { URL(fileURLWithPath: $0) }, recipient: office.store.org)
        if files.isEmpty { print("no batch files for \(office.store.org) in \(paths.joined(separator: " "))") }
        var problems = 0
        let log = OperationLog(logFormat, label: "fundsync.import")
        for result in office.exchange.importFiles(files) {
            // A file name is outside data: printed with its control characters escaped, so it cannot forge a line.
            let name = BatchFiles.printable(result.file.lastPathComponent)
            var fields = ["office": office.store.org.rawValue, "file": name]
            switch result {
            case .received(_, _, let outcome):
                fields.merge(["result": outcome.isAlreadyApplied ? "already-applied" : "applied", "applied": String(outcome.applied),
                              "rejected": String(outcome.rejected), "duplicate": String(outcome.duplicates),
                              "waiting": String(outcome.waiting), "released": String(outcome.released), "forks": String(outcome.forks)]) { $1 }
                log.record("import", level: outcome.forks > 0 ? .error : .info, fields)
            case .refused(_, let error, _):
                log.record("import", level: .error, fields.merging(["result": "refused", "reason": error.description]) { $1 })
            case .failed(_, let message):
                log.record("import", level: .error, fields.merging(["result": "failed", "reason": message]) { $1 })
            case .skipped(_, let recipient):
                log.record("import", fields.merging(["result": "skipped", "recipient": recipient.rawValue]) { $1 })
            }
            switch result {
            case .received(_, _, let outcome):
                if outcome.isAlreadyApplied {
                    print("already applied \(name): nothing new (\(outcome.duplicates) change(s) seen before)")
                } else {
                    print("applied \(name): \(outcome.applied) applied, \(outcome.rejected) rejected, "
                          + "\(outcome.duplicates) duplicate, \(outcome.waiting) waiting, \(outcome.released) released")
                }
                if outcome.forks > 0 {
                    problems += 1
                    writeError("FORK in \(name): \(outcome.forks) change(s) reuse an id already applied here with other content; "
                               + "they were not applied (its office was restored from an old backup, or its key is used elsewhere; "
                               + "see 'hub alerts')")
                }
            case .refused(_, let error, let target):
                problems += 1
                writeError("refused \(name): \(BatchFiles.printable(error.description)) (a copy is kept as \(target.path); "
                           + "the file itself was left where it is)")
            case .failed(_, let message):
                problems += 1
                writeError("failed \(name): \(BatchFiles.printable(message))")
            case .skipped(_, let recipient):
                print("skipped \(name): addressed to \(recipient), not to \(office.store.org); left where it is")
            }
        }
        if problems > 0 { throw ExitCode(1) }
    }
}
