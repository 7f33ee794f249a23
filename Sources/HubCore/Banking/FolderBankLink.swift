import Foundation

/// A bank reached through folders (7/7 item 3): the hub writes each message into `outbox/` (atomically: a complete
/// `<message>.xml` or nothing), the bank's front-end machine takes it from there and moves it to `outbox/taken/`,
/// and puts the bank's answers into `inbox/`, which the hub moves to `inbox/done/` (or `inbox/refused/`, with a
/// `.reason` file) once read.
///
/// What the bank knows after an uncertain delivery is told by the folders: a message in `outbox/` or
/// `outbox/taken/` with the same bytes was delivered (other bytes under its name: cannot tell); a partial file without the complete one means the delivery never finished, so the
/// bank does not know it; nothing at all cannot be told apart from a front-end that deleted the file, so it waits for
/// a person.
public struct FolderBankLink: BankLink {
    public let folder: URL
    var outbox: URL { folder.appendingPathComponent("outbox") }
    var taken: URL { outbox.appendingPathComponent("taken") }
    var inbox: URL { folder.appendingPathComponent("inbox") }

    public init(folder: URL) throws {
        self.folder = folder
        for path in [outbox, taken, inbox, inbox.appendingPathComponent("done"), inbox.appendingPathComponent("refused")] {
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        }
    }

    public func deliver(_ bytes: Data, name: String) throws {
        try Self.checkName(name)
        let partial = outbox.appendingPathComponent(".\(name).partial")
        let complete = outbox.appendingPathComponent("\(name).xml")
        guard !FileManager.default.fileExists(atPath: complete.path),
              !FileManager.default.fileExists(atPath: taken.appendingPathComponent("\(name).xml").path) else {
            return  // delivered before: the same message is never written twice
        }
        _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
        let handle = try FileHandle(forWritingTo: partial)
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
        try handle.close()
        guard rename(partial.path, complete.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: complete.path])
        }
    }

    public func knowledge(of endToEndIDs: [String], messageName: String, bytes: Data) throws -> [String: BankKnowledge] {
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        let knowledge: BankKnowledge
        if let held = [outbox.appendingPathComponent("\(messageName).xml"), taken.appendingPathComponent("\(messageName).xml")]
            .first(where: exists) {
            // Another message under this name (written by a hub restored from a backup) is not this one.
            knowledge = try Data(contentsOf: held) == bytes ? .knows : .cannotTell
        } else if exists(outbox.appendingPathComponent(".\(messageName).partial")) {
            knowledge = .doesNotKnow
        } else {
            knowledge = .cannotTell
        }
        return Dictionary(uniqueKeysWithValues: endToEndIDs.map { ($0, knowledge) })
    }

    public func incoming() throws -> [BankFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
            .filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".xml") }.sorted()
        var files: [BankFile] = [], held = 0
        for name in names where files.isEmpty || held < BankFile.passBytesMax {
            let url = inbox.appendingPathComponent(name)
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.fileBytesMax else {
                // Never read into memory: set aside at once, with the reason, for a person.
                try acknowledge(BankFile(name: name, bytes: Data()),
                                refusedBecause: "the file is \(size) bytes, over the \(Self.fileBytesMax) a bank file may have")
                continue
            }
            files.append(BankFile(name: name, bytes: try Data(contentsOf: url)))
            held += files[files.count - 1].bytes.count
        }
        return files
    }

    public func acknowledge(_ file: BankFile, refusedBecause reason: String?) throws {
        let source = inbox.appendingPathComponent(file.name)
        let target = inbox.appendingPathComponent(reason == nil ? "done" : "refused").appendingPathComponent(file.name)
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: source, to: target)
        if let reason {
            try Data((reason + "\n").utf8).write(to: target.appendingPathExtension("reason"))
        }
    }

    /// Bytes of one file the bank sends: statements of a month are a few MB.
    public static let fileBytesMax = 64 * 1024 * 1024

    static func checkName(_ name: String) throws {
        guard BankFile.isValidName(name) else { throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: name]) }
    }
}
