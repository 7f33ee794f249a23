import Foundation
import LedgerCore
import Testing

/// Where the real-world statement files are, and what the neighbour files say about them.
///
/// The files are vendored in this repository, with their projects' licence files, under
/// `Tests/BankStatementsTests/Fixtures/statements` (see the README there); they are found from this source file's
/// location, so a clone needs nothing beside it. `FUNDSYNC_STATEMENT_TESTDATA` may name another copy (the
/// `statements` folder itself), for checking a newer set of files against the same expectations.
enum StatementTestData {
    static func folder(_ file: String = #filePath) -> URL? {
        let fileManager = FileManager.default
        if let other = ProcessInfo.processInfo.environment["FUNDSYNC_STATEMENT_TESTDATA"], !other.isEmpty {
            let base = URL(fileURLWithPath: other, isDirectory: true)
            return fileManager.fileExists(atPath: base.appendingPathComponent("mt940").path) ? base : nil
        }
        let vendored = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/statements")
        return fileManager.fileExists(atPath: vendored.appendingPathComponent("mt940").path) ? vendored : nil
    }

    /// Every statement file under `folder` (`.sta`, `.xml`), as paths relative to it such as `mt940/cmxl/mt940.sta`.
    static func files(in folder: URL, extension pathExtension: String) -> [String] {
        let base = folder.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == pathExtension else { continue }
            let path = url.standardizedFileURL.path
            found.append(path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path)
        }
        return found.sorted()
    }

    /// The expected values converted once from the neighbour files by `Fixtures/make_expected_fixture.py`.
    static func expected(_ file: String = #filePath) throws -> ExpectedTestData {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/statement-testdata-expected.json")
        return try JSONDecoder().decode(ExpectedTestData.self, from: Data(contentsOf: url))
    }
}

/// The JSON fixture's shape.
struct ExpectedTestData: Decodable {
    var mt940: [String: MT940Expected]
    var camt053: [String: CamtExpected]
}

/// The `mt940` Python library's parse: top-level data is "last value wins" over all statements of a file, and
/// the transactions are one flat list.
struct MT940Expected: Decodable {
    struct Balance: Decodable {
        var status: String
        var amountMinorUnits: Int64
        var currency: String
        var date: String
    }

    struct Entry: Decodable {
        var status: String
        var amountMinorUnits: Int64
        var currency: String?
        var valueDate: String
        var entryDate: String?
        var transactionType: String?
        var customerReference: String?
        var bankReference: String?
        var extraDetails: String?
    }

    var finalOpeningBalance: Balance?
    var intermediateOpeningBalance: Balance?
    var finalClosingBalance: Balance?
    var intermediateClosingBalance: Balance?
    var availableBalance: Balance?
    var accountIdentification: String?
    var transactionReference: String?
    var statementNumber: String?
    var sequenceNumber: String?
    var entries: [Entry]
}

/// The genkgo/camt PHP library's parse.
struct CamtExpected: Decodable {
    struct Balance: Decodable {
        var type: String
        var amountMinorUnits: Int64
        var currency: String
        var date: String
    }

    struct Statement: Decodable {
        var id: String
        var account: String
        var legalSequenceNumber: String?
        var electronicSequenceNumber: String?
        var balances: [Balance]
    }

    struct Entry: Decodable {
        var statementId: String?
        var amountMinorUnits: Int64
        var currency: String
        var creditDebitIndicator: String
        var bookingDate: String?
        var valueDate: String?
        var reversal: Bool?
        var status: String?
    }

    var statementCount: Int
    var statements: [Statement]
    var entries: [Entry]
}
