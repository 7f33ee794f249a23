import Foundation

/// Validates XML against a published ISO 20022 schema with `xmllint --schema` (Debian's libxml2-utils, which
/// `Scripts/test` installs): an independent validator, not our own reading of the XSD.
enum XMLSchemaValidator {
    static func schema(_ name: String, _ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/iso20022/xsd").appendingPathComponent(name + ".xsd")
    }

    /// `nil` when `xml` validates; else xmllint's complaint.
    static func problems(_ xml: [UInt8], schema name: String) throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appendingPathComponent("message.xml")
        try Data(xml).write(to: document)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--schema", schema(name).path, document.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : String(decoding: output, as: UTF8.self)
    }
}
