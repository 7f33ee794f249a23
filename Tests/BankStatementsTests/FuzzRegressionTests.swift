import BankStatements
import Foundation
import Testing

/// Inputs Scripts/fuzz found crashing a parser, kept in Fuzz/regressions/FuzzStatements: each must now be
/// refused with a reason (or read), never crash.
@Suite struct FuzzRegressionTests {
    static var folder: URL {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fuzz/regressions/FuzzStatements")
    }

    @Test func everyFuzzRegressionInputIsHandled() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(!files.isEmpty)
        for name in files {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
            do {
                _ = try BankStatementReader.read(data)
            } catch {
                #expect(!error.description.isEmpty, "\(name)")
            }
        }
    }

    @Test func invalidUTF8InAnElementNameIsRefusedBeforeXMLParserSeesIt() {
        var bytes = Array("<urn:iso:std:iso:20022:tech:xsd:camt.053.".utf8)
        bytes += [0xFF, 0xFF, 0x42, 0x4F]
        #expect(throws: StatementParseError.self) { _ = try BankStatementReader.read(Data(bytes)) }
    }
}
